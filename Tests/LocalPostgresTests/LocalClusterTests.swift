import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import LocalPostgres

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

    @Test func aLongPathWithSpacesKeepsItsSocketShort() async throws {
        let home = try TemporaryDirectory.make(prefix: "clv-home")
        let deep = home.url.appendingPathComponent("a folder with spaces/" + String(repeating: "x", count: 100))
        let cluster = LocalCluster(home: deep, settings: ["fsync": "off"])
        let url = try await cluster.start()
        // The data stays in the project; only the socket moves to a short private folder.
        #expect(cluster.dataDirectory.path.hasPrefix(deep.path))
        #expect(cluster.socketDirectory.path.hasPrefix("/tmp/clv-"))
        #expect(!cluster.isRelocated)
        let connection = try await PostgresConnection.connect(url)
        #expect(try await connection.query("select 1 as one")[0]["one"] == "1")
        try cluster.reset()
        #expect(!FileManager.default.fileExists(atPath: cluster.socketDirectory.path))
        home.remove()
    }

    @Test(.enabled(if: geteuid() == 0, "only root runs the server as another user"))
    func asRootInAPrivateFolderTheClusterMovesToASystemFolder() async throws {
        let parent = try TemporaryDirectory.make(prefix: "clv-private")
        #expect(chmod(parent.url.path, 0o700) == 0)
        let home = parent.url.appendingPathComponent("my project/.clv")
        let cluster = LocalCluster(home: home, settings: ["fsync": "off"])
        let url = try await cluster.start()
        #expect(cluster.isRelocated)
        #expect(cluster.rootDirectory.path.hasPrefix("/var/lib/clv/clusters/my_project-"))
        #expect(url.contains("host=/var/lib/clv/clusters/my_project-"))
        // A second value for the same folder (a later command) finds the same cluster.
        let again = LocalCluster(home: home)
        #expect(again.dataDirectory == cluster.dataDirectory)
        let connection = try await PostgresConnection.connect(try await again.start())
        #expect(try await connection.query("select current_user as who")[0]["who"] == "clv")
        try again.stop()
        #expect(try cluster.status() == .stopped)
        let root = cluster.rootDirectory
        try cluster.reset()
        #expect(!FileManager.default.fileExists(atPath: root.path))
        #expect(!cluster.isRelocated)
        parent.remove()
    }

    @Test func placementIsStableAndNamedAfterTheProject() {
        let home = URL(fileURLWithPath: "/root/my project/.clv")
        let placed = ClusterPlacement.relocated(home: home, port: 5432)
        #expect(placed.root.path == "/var/lib/clv/clusters/my_project-\(ClusterPlacement.hash(home.path))")
        #expect(placed.socket == placed.root)
        // FNV-1a 64 of "a" is af63dc4c8601ec8c (the published test vector).
        #expect(ClusterPlacement.hash("a") == "af63dc4c8601")
        #expect(ClusterPlacement.hash(home.path) != ClusterPlacement.hash("/root/my project 2/.clv"))
        let long = URL(fileURLWithPath: "/tmp/" + String(repeating: "y", count: 110))
        let moved = ClusterPlacement.placing(root: long, port: 5432, relocated: false)
        #expect(moved.socket.path == "/tmp/clv-\(geteuid())-\(ClusterPlacement.hash(long.path))")
    }

    @Test func projectHomeHonoursCLVHome() {
        let project = URL(fileURLWithPath: "/srv/project")
        #expect(LocalCluster.forProject(project, environment: [:]).home.path == "/srv/project/.clv")
        #expect(LocalCluster.forProject(project, environment: ["CLV_HOME": "/var/clv"]).home.path == "/var/clv")
    }
}
