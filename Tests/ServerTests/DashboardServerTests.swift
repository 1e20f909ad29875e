import Core
import Dashboards
import Foundation
import Logging
import PostgresClient
import Server
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The server's dashboard routes over real HTTP on loopback: published files and live widgets.
@Suite struct DashboardServerTests {
    static let board = """
        title: Served
        params: {from: 2025-02-01, to: 2025-03-01, kind: a}
        widgets:
          - id: totals
            title: Totals
            type: kpi
            compare: previous_period
            sql: |
              select coalesce(sum(amount), 0) as total, count(*) as facts
              from facts where day >= :from and day < :to
          - id: by_kind
            title: One kind
            type: table
            sql: select :kind::text as kind, coalesce(sum(amount), 0) as total from facts where kind = :kind
        """

    /// Where a GET is redirected (the redirect itself, not followed).
    static func redirect(port: Int, _ path: String) async throws -> String? {
        final class NoRedirects: NSObject, URLSessionTaskDelegate {
            func urlSession(
                _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
            ) { completionHandler(nil) }
        }
        let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
        let (_, response) = try await session.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        let http = response as? HTTPURLResponse
        return http?.statusCode == 301 ? http?.value(forHTTPHeaderField: "Location") : nil
    }

    @Test func servesPublishedPagesAndLiveWidgets() async throws {
        let project = try TemporaryDirectory.make(prefix: "clv-serve")
        try project.write("dashboards/served.yaml", Self.board)
        let published = project.url.appendingPathComponent("published")
        let server = try await RunningServer.start { configuration, database in
            let connection = try await database.connect()
            try await connection.executeScript(
                """
                create table facts (day date, kind text, amount numeric);
                insert into facts values ('2025-01-10', 'a', 40), ('2025-02-03', 'a', 30), ('2025-02-20', 'b', 20);
                """)
            let dashboards = try DashboardLoader(project: Project(root: project.url)).loadAll()
            _ = try await DashboardPublisher(logger: Logger(label: "test")).publish(
                dashboards, all: dashboards, overrides: [:], to: published, on: connection)
            configuration.project = Project(root: project.url)
            configuration.publishedDashboards = published
        }

        let page = try await server.get("/dashboards/served/")
        #expect(page.status == 200)
        #expect(page.type.hasPrefix("text/html"))
        #expect(String(decoding: page.body, as: UTF8.self).contains("<h1>Served</h1>"))
        // Without the trailing slash the page's relative links would break: redirected.
        #expect(try await Self.redirect(port: server.port, "/dashboards/served") == "/dashboards/served/")
        #expect(try await Self.redirect(port: server.port, "/dashboards") == "/dashboards/")
        let index = try await server.get("/dashboards/")
        #expect(String(decoding: index.body, as: UTF8.self).contains("served/index.html"))

        let file = try await server.get("/dashboards/served/widgets/totals.json")
        #expect(file.status == 200)
        let stored = try JSONSerialization.jsonObject(with: file.body) as? [String: Any]
        #expect((stored?["rows"] as? [[Any]])?.first?.compactMap { $0 as? Int } == [50, 2])

        // Live, for January: 40 over 1 fact; the previous period is December: nothing.
        let live = try await server.get("/api/dashboards/served/widgets/totals?from=2025-01-01&to=2025-02-01")
        #expect(live.status == 200)
        let json = try JSONSerialization.jsonObject(with: live.body) as? [String: Any]
        #expect((json?["rows"] as? [[Any]])?.first?.compactMap { $0 as? Int } == [40, 1])
        let comparison = json?["comparison"] as? [String: Any]
        #expect((comparison?["rows"] as? [[Any]])?.first?.compactMap { $0 as? Int } == [0, 0])
        #expect(json?["params"] as? [String: String] == ["from": "2025-01-01", "kind": "a", "to": "2025-02-01"])

        // A query parameter is a value, never SQL.
        let attack = try await server.get("/api/dashboards/served/widgets/by_kind?kind=a'%20or%20'1'='1")
        let attacked = try JSONSerialization.jsonObject(with: attack.body) as? [String: Any]
        #expect((attacked?["rows"] as? [[Any]])?.first?.first as? String == "a' or '1'='1")
        #expect((attacked?["rows"] as? [[Any]])?.first?.last as? Int == 0)

        #expect(try await server.get("/api/dashboards/served/widgets/nope").status == 404)
        #expect(try await server.get("/api/dashboards/nope/widgets/totals").status == 404)
        #expect(try await server.get("/dashboards/..%2F..%2Fetc/index.html").status == 404)
        try await server.stop()
        project.remove()
    }
}
