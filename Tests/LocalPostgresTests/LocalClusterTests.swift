import Foundation
import LocalPostgres
import PostgresClient
import TestSupport
import Testing

@Suite struct LocalClusterTests {
    @Test func startsFromNothingStopsAndResets() async throws {
        let home = try TemporaryDirectory.make(prefix: "clv-home")
        let cluster = LocalCluster(home: home.url.appendingPathComponent(".clv"), settings: ["fsync": "off"])
        #expect(try cluster.status() == .notInitialized)

        let url = try await cluster.start()
        #expect(url == cluster.url())
        guard case .running(let pid) = try cluster.status() else {
            Issue.record("cluster is not running after start")
            return
        }
        #expect(pid > 0)
        let connection = try await PostgresConnection.connect(url)
        let row = try await connection.query(
            "select current_user as who, current_database() as db, current_setting('listen_addresses') as tcp")[0]
        #expect(row["who"] == "clv")
        #expect(row["db"] == "clv")
        #expect(row["tcp"] == "")  // no TCP port, only the socket
        #expect(FileManager.default.fileExists(atPath: cluster.socketDirectory.path + "/.s.PGSQL.5432"))
        if geteuid() == 0 {
            // As root the server runs as the postgres system user, which owns the data.
            let owner =
                try FileManager.default.attributesOfItem(atPath: cluster.dataDirectory.path)[.ownerAccountName]
                as? String
            #expect(owner == "postgres")
        }

        // Starting again is a no-op; stopping and starting keeps the data.
        try await connection.executeScript("create table kept (id int); insert into kept values (1)")
        try await cluster.start()
        try cluster.stop()
        #expect(try cluster.status() == .stopped)
        let again = try await PostgresConnection.connect(try await cluster.start())
        #expect(try await again.query("select count(*) as n from kept")[0]["n"] == "1")

        try cluster.reset()
        #expect(try cluster.status() == .notInitialized)
        home.remove()
    }

    @Test func tooLongSocketPathSaysWhatToDo() async throws {
        let home = try TemporaryDirectory.make(prefix: "clv-home")
        let deep = home.url.appendingPathComponent(String(repeating: "x", count: 100))
        let error = await #expect(throws: LocalPostgresError.self) { try await LocalCluster(home: deep).start() }
        #expect(error?.message.contains("CLV_HOME") == true)
        home.remove()
    }

    @Test func projectHomeHonoursCLVHome() {
        let project = URL(fileURLWithPath: "/srv/project")
        #expect(LocalCluster.forProject(project, environment: [:]).home.path == "/srv/project/.clv")
        #expect(LocalCluster.forProject(project, environment: ["CLV_HOME": "/var/clv"]).home.path == "/var/clv")
    }
}
