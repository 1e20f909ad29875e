import Core
import Dashboards
import Foundation
import Hummingbird
import Logging

/// `GET /dashboards/…` serves the published pages and widget JSON from the output folder;
/// `GET /api/dashboards/NAME/widgets/ID?from=…&to=…&k=v` runs the widget live and returns the same
/// JSON document.
struct DashboardRoutes: Sendable {
    let project: Project
    let published: URL
    let pool: ConnectionPool
    let runner: WidgetRunner
    let logger: Logger

    func add(to router: Router<BasicRequestContext>) {
        // Hummingbird matches a path with or without its trailing slash.
        // Pages link relatively, so they are served under a trailing slash.
        router.get("/dashboards") { request, _ in
            endsWithSlash(request) ? file("index.html") : redirect(to: "/dashboards/")
        }
        router.get("/dashboards/:name") { request, context in
            endsWithSlash(request)
                ? try page(context) : redirect(to: "/dashboards/\(try safe(context.parameters.require("name")))/")
        }
        router.get("/dashboards/:name/index.html") { _, context in try page(context) }
        router.get("/dashboards/:name/widgets/:file") { _, context in
            let name = try safe(context.parameters.require("name"))
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".json") else { return notFound("no such file") }
            return self.file("\(name)/widgets/\(try safe(String(file.dropLast(5)))).json")
        }
        router.get("/api/dashboards/:name/widgets/:id") { request, context in
            await live(
                request, name: context.parameters.get("name") ?? "", id: context.parameters.get("id") ?? "")
        }
    }

    private func page(_ context: BasicRequestContext) throws -> Response {
        file("\(try safe(context.parameters.require("name")))/index.html")
    }

    private func live(_ request: Request, name: String, id: String) async -> Response {
        let dashboards: [Dashboard]
        do {
            dashboards = try DashboardLoader(project: project).loadAll()
        } catch {
            return JSONResponse.make(.internalServerError, ["error": "\(error)"])
        }
        guard let dashboard = dashboards.first(where: { $0.name == name }) else {
            return notFound("no dashboard named \(name)")
        }
        guard let widget = dashboard.widget(id) else { return notFound("dashboard \(name) has no widget \(id)") }
        var overrides: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { overrides[String(key)] = String(value) }
        let parameters = overrides
        do {
            let result = try await pool.withConnection { connection in
                await runner.run(widget, of: dashboard, overrides: parameters, on: connection)
            }
            let body = Data((result.json().serialized() + "\n").utf8)
            return Response(
                status: result.failure == nil ? .ok : .unprocessableContent,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        } catch {
            return JSONResponse.make(.serviceUnavailable, ["error": "\(error)"])
        }
    }

    /// A published file, or 404.
    private func file(_ relative: String) -> Response {
        let url = published.appendingPathComponent(relative)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return notFound("not published: \(relative) (run clv dashboards publish)")
        }
        let type = relative.hasSuffix(".json") ? "application/json" : "text/html; charset=utf-8"
        return Response(
            status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Whether the request's own target (before routing normalises it) ends with `/`.
    private func endsWithSlash(_ request: Request) -> Bool {
        (request.head.path ?? "").split(separator: "?", omittingEmptySubsequences: false).first?.hasSuffix("/") ?? false
    }

    private func redirect(to path: String) -> Response {
        Response(status: .movedPermanently, headers: [.location: path])
    }

    private func notFound(_ message: String) -> Response { JSONResponse.make(.notFound, ["error": message]) }

    /// A dashboard or widget name as a path part: letters, digits, `_` and `-` only.
    private func safe(_ name: String) throws -> String {
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else { throw HTTPError(.notFound) }
        return name
    }
}
