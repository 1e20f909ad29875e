import Foundation

/// The PostgreSQL server programs the embedded cluster needs (`initdb`, `pg_ctl`).
public struct ServerBinaries: Sendable {
    /// The folder holding `initdb`, `pg_ctl` and `postgres`.
    public let directory: String

    public var initdb: String { directory + "/initdb" }
    public var pgCtl: String { directory + "/pg_ctl" }

    /// Looks on `PATH` first, then under `/usr/lib/postgresql/*/bin` (newest version first).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws
        -> ServerBinaries
    {
        let fileManager = FileManager.default
        func complete(_ directory: String) -> Bool {
            ["initdb", "pg_ctl", "postgres"].allSatisfy { fileManager.isExecutableFile(atPath: directory + "/" + $0) }
        }
        for directory in (environment["PATH"] ?? "").split(separator: ":").map(String.init) where complete(directory) {
            return ServerBinaries(directory: directory)
        }
        let versions = (try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let directory = "/usr/lib/postgresql/\(version)/bin"
            if complete(directory) { return ServerBinaries(directory: directory) }
        }
        throw LocalPostgresError(
            """
            PostgreSQL server programs (initdb, pg_ctl, postgres) were not found on PATH or under \
            /usr/lib/postgresql/*/bin. Install the server (Debian/Ubuntu: apt-get install postgresql; \
            Fedora: dnf install postgresql-server; macOS: brew install postgresql@16), or point clv at an \
            existing database with --database-url or DATABASE_URL.
            """)
    }
}
