import Foundation
import LocalPostgres
import PostgresClient

/// The PostgreSQL server tests run against: `DATABASE_URL` when set, otherwise one throwaway
/// embedded cluster per test process, stopped when the process exits.
public actor TestServer {
    public static let shared = TestServer()
    private var starting: Task<String, any Error>?

    /// A URL to an administrative database on the test server, starting it on first use.
    public func url() async throws -> String {
        if let starting { return try await starting.value }
        let task = Task { try await Self.start() }
        starting = task
        return try await task.value
    }

    private static func start() async throws -> String {
        if let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty {
            return url
        }
        let home = try TemporaryDirectory.make(prefix: "clv-test-cluster").url
        let cluster = LocalCluster(
            home: home,
            settings: [
                "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "shared_buffers": "'128MB'",
                // Every suite runs at once, each test with its own database and connections.
                "max_connections": "300",
            ]
        )
        let url = try await cluster.start()
        TestClusterCleanup.register(home: home.path)
        return url
    }
}

/// Stops the throwaway cluster and removes its folder when the test process exits.
enum TestClusterCleanup {
    nonisolated(unsafe) static var homes: [String] = []
    nonisolated(unsafe) static var registered = false

    static func register(home: String) {
        homes.append(home)
        guard !registered else { return }
        registered = true
        atexit {
            for home in TestClusterCleanup.homes {
                let cluster = LocalCluster(home: URL(fileURLWithPath: home))
                try? cluster.stop()
                try? FileManager.default.removeItem(atPath: home)
            }
        }
    }
}
