import Foundation
import Logging
import PostgresClient

/// The embedded default: a private PostgreSQL cluster under `<home>/postgres`, reached only
/// through a Unix socket in that folder (no TCP port).
///
/// When the server's user cannot reach the home folder (clv runs as root in a private folder),
/// the cluster lives under `/var/lib/clv/clusters` instead; see ``ClusterPlacement``.
/// The superuser and the database are both named `clv`; authentication is `trust`, which is safe
/// because the socket lives in a folder only its owner can enter.
public struct LocalCluster: Sendable {
    /// The clv home folder (`<project>/.clv` or `CLV_HOME`).
    public let home: URL
    /// Extra `postgresql.conf` settings (tests turn fsync off, for instance).
    public let settings: [String: String]
    public let port = 5432
    public static let superuser = "clv"
    public static let database = "clv"

    public init(home: URL, settings: [String: String] = [:]) {
        self.home = home.standardizedFileURL
        self.settings = settings
    }

    /// The cluster for a project folder: `CLV_HOME` when set, else `<project>/.clv`.
    public static func forProject(
        _ project: URL, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> LocalCluster {
        if let home = environment["CLV_HOME"], !home.isEmpty {
            return LocalCluster(home: URL(fileURLWithPath: home, relativeTo: project))
        }
        return LocalCluster(home: project.appendingPathComponent(".clv"))
    }

    /// Where the data and the socket are (read from the home folder's marker each time).
    var placement: ClusterPlacement { .recorded(home: home, port: port) }
    /// The folder holding `data/` and `server.log`.
    public var rootDirectory: URL { placement.root }
    public var dataDirectory: URL { rootDirectory.appendingPathComponent("data") }
    public var socketDirectory: URL { placement.socket }
    /// True when the cluster lives outside the home folder, because the server's user cannot reach it.
    public var isRelocated: Bool { placement.relocated }
    public var logFile: URL { rootDirectory.appendingPathComponent("server.log") }
    var lockFile: URL { home.appendingPathComponent("postgres.lock") }

    /// A libpq URI for `database` that `psql` accepts as it is.
    public func url(database: String = LocalCluster.database) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#")
        let host = socketDirectory.path.addingPercentEncoding(withAllowedCharacters: allowed) ?? socketDirectory.path
        return "postgresql://\(Self.superuser)@/\(database)?host=\(host)&port=\(port)"
    }

    /// What state the cluster is in.
    public enum Status: Equatable, Sendable {
        case notInitialized
        case stopped
        case running(pid: Int)
    }

    public func status() throws -> Status {
        guard FileManager.default.fileExists(atPath: dataDirectory.appendingPathComponent("PG_VERSION").path) else {
            return .notInitialized
        }
        let binaries = try ServerBinaries.locate()
        let output = try serverCommand(binaries.pgCtl, ["status", "-D", dataDirectory.path]).run()
        guard output.status == 0 else { return .stopped }
        let pidLine =
            (try? String(contentsOf: dataDirectory.appendingPathComponent("postmaster.pid"), encoding: .utf8))?
            .split(separator: "\n").first
        return .running(pid: pidLine.flatMap { Int($0) } ?? 0)
    }

    /// Creates the cluster if needed, starts it if stopped, makes sure the `clv` database exists,
    /// and returns its URL. Safe to call from several processes at once.
    @discardableResult
    public func start(logger: Logger = Logger(label: "clv.local-postgres")) async throws -> String {
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let lock = try FileLock(path: lockFile.path)
        defer { lock.unlock() }
        let binaries = try ServerBinaries.locate()
        try ServerUser.check()
        if try status() == .notInitialized {
            try relocateIfUnreachable()
            logger.info("creating embedded PostgreSQL cluster", metadata: ["path": "\(dataDirectory.path)"])
            try initialize(binaries)
        }
        try makeSocketDirectory()
        try writeSettings()
        if case .running = try status() {
        } else {
            logger.info("starting embedded PostgreSQL", metadata: ["socket": "\(socketDirectory.path)"])
            let output = try serverCommand(
                binaries.pgCtl, ["start", "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60"]
            ).run()
            guard output.status == 0 else {
                throw LocalPostgresError(
                    "embedded PostgreSQL did not start (pg_ctl exit \(output.status)):\n\(output.text)\(logTail())")
            }
        }
        try await createDatabaseIfMissing()
        return url()
    }

    /// Stops the server if it runs (fast shutdown: open sessions are ended).
    public func stop() throws {
        guard case .running = try status() else { return }
        let binaries = try ServerBinaries.locate()
        let output = try serverCommand(binaries.pgCtl, ["stop", "-D", dataDirectory.path, "-m", "fast", "-w"]).run()
        guard output.status == 0 else {
            throw LocalPostgresError("embedded PostgreSQL did not stop:\n\(output.text)")
        }
    }

    /// Stops the server and deletes the cluster with all its data (wherever it lives).
    public func reset() throws {
        try stop()
        let placement = placement
        let fileManager = FileManager.default
        for folder in [placement.root, placement.socket] where fileManager.fileExists(atPath: folder.path) {
            try fileManager.removeItem(at: folder)
        }
        let marker = ClusterPlacement.marker(home: home)
        if fileManager.fileExists(atPath: marker.path) { try fileManager.removeItem(at: marker) }
    }

    /// Before a new cluster is created: when the server runs as another user that cannot enter the
    /// home folder (root in `/root/project` or a `0700` folder), records a system folder for it.
    private func relocateIfUnreachable() throws {
        guard let user = ServerUser.current.runAs, !placement.relocated else { return }
        let probe = try ExternalCommand(executable: "/usr/bin/test", arguments: ["-x", home.path], user: user).run()
        guard probe.status != 0 else { return }
        let target = ClusterPlacement.relocated(home: home, port: port)
        // Every folder on the way must be traversable by the server's user, whatever the umask.
        for folder in [ClusterPlacement.systemRoot.deletingLastPathComponent(), ClusterPlacement.systemRoot] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        }
        // A root left by a start that failed before initdb holds nothing worth keeping.
        let unreachable = home.appendingPathComponent("postgres")
        if (try? FileManager.default.contentsOfDirectory(atPath: unreachable.path))?.isEmpty == true {
            try FileManager.default.removeItem(at: unreachable)
        }
        try (target.root.path + "\n").write(
            to: ClusterPlacement.marker(home: home), atomically: true, encoding: .utf8)
    }

    /// Creates the socket's own folder when it is not the cluster root (a long project path):
    /// private to the server's user, and refused if someone else made it first.
    private func makeSocketDirectory() throws {
        let socket = socketDirectory
        guard socket != rootDirectory else { return }
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: socket.path) {
            try fileManager.createDirectory(at: socket, withIntermediateDirectories: false)
            try fileManager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: socket.path)
            if let user = ServerUser.current.runAs {
                try fileManager.setAttributes(
                    [.ownerAccountName: user, .groupOwnerAccountName: user], ofItemAtPath: socket.path)
            }
        }
        var info = stat()
        let expectedOwner = ServerUser.current.runAs.flatMap { getpwnam($0)?.pointee.pw_uid } ?? geteuid()
        guard lstat(socket.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == expectedOwner,
            info.st_mode & 0o077 == 0
        else {
            throw LocalPostgresError(
                "\(socket.path) (the embedded PostgreSQL socket folder, used because the project path is long) is not a private folder of the server's user: remove it, or set CLV_HOME to a shorter folder"
            )
        }
    }

    private func initialize(_ binaries: ServerBinaries) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: rootDirectory, withIntermediateDirectories: true)
        try fileManager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: rootDirectory.path)
        if let user = ServerUser.current.runAs {
            try fileManager.setAttributes(
                [.ownerAccountName: user, .groupOwnerAccountName: user], ofItemAtPath: rootDirectory.path)
            let probe = try ExternalCommand(
                executable: "/usr/bin/test", arguments: ["-w", rootDirectory.path], user: user
            )
            .run()
            guard probe.status == 0 else {
                throw LocalPostgresError(
                    """
                    PostgreSQL will not run as root, so clv runs it as the '\(user)' system user, but that user \
                    cannot write to \(rootDirectory.path): set CLV_HOME to a folder it can reach, or run clv as \
                    a normal user.
                    """)
            }
        }
        let output = try serverCommand(
            binaries.initdb,
            [
                "-D", dataDirectory.path, "-U", Self.superuser, "--auth=trust", "--encoding=UTF8", "--locale=C",
                "--no-sync",
            ]
        ).run()
        guard output.status == 0 else {
            throw LocalPostgresError("initdb failed (exit \(output.status)):\n\(output.text)")
        }
        let conf = dataDirectory.appendingPathComponent("postgresql.conf")
        let handle = try FileHandle(forWritingTo: conf)
        handle.seekToEndOfFile()
        handle.write(
            Data("\n# Managed by clv: socket, port and tuning are rewritten on every start.\ninclude 'clv.conf'\n".utf8)
        )
        try handle.close()
    }

    /// The server's page cache: a quarter of the machine's memory, between 128 MB and 2 GB. An
    /// incremental run touches index pages all over million-row tables; with 256 MB on a 1M-customer
    /// warehouse each page it read evicted one a full build had left dirty, and wrote it first.
    static var sharedBuffersMegabytes: UInt64 {
        let quarter = ProcessInfo.processInfo.physicalMemory / 4 / (1 << 20)
        return min(max(quarter, 128), 2048)
    }

    /// Rewrites `clv.conf` so a moved project folder still gets its socket in the right place.
    private func writeSettings() throws {
        var values: [(String, String)] = [
            ("listen_addresses", "''"),
            ("unix_socket_directories", Identifier.literal(socketDirectory.path)),
            ("unix_socket_permissions", "0700"),
            ("port", String(port)),
            ("wal_level", "minimal"),
            ("max_wal_senders", "0"),
            ("shared_buffers", "'\(Self.sharedBuffersMegabytes)MB'"),
            ("work_mem", "'64MB'"),
            ("maintenance_work_mem", "'512MB'"),
            ("max_wal_size", "'4GB'"),
            ("checkpoint_timeout", "'15min'"),
            // End the work of clients that died mid-statement (a killed clv) instead of finishing it.
            ("client_connection_check_interval", "'1s'"),
        ]
        for (key, value) in settings.sorted(by: { $0.key < $1.key }) {
            values.removeAll { $0.0 == key }
            values.append((key, value))
        }
        let text = values.map { "\($0.0) = \($0.1)" }.joined(separator: "\n") + "\n"
        let path = dataDirectory.appendingPathComponent("clv.conf").path
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        if let user = ServerUser.current.runAs {
            try FileManager.default.setAttributes(
                [.ownerAccountName: user, .groupOwnerAccountName: user], ofItemAtPath: path)
        }
    }

    private func createDatabaseIfMissing() async throws {
        let connection = try await PostgresConnection.connect(url(database: "postgres"))
        let rows = try await connection.query("select 1 from pg_database where datname = \(Self.database)")
        if rows.isEmpty {
            do {
                try await connection.executeScript("create database \(Identifier.quote(Self.database))")
            } catch let error as PostgresError where error.sqlState == "42P04" {
                // Created by a concurrent start.
            }
        }
    }

    private func serverCommand(_ executable: String, _ arguments: [String]) -> ExternalCommand {
        ExternalCommand(executable: executable, arguments: arguments, user: ServerUser.current.runAs)
    }

    private func logTail() -> String {
        guard let log = try? String(contentsOf: logFile, encoding: .utf8) else { return "" }
        let lines = log.split(separator: "\n").suffix(15).joined(separator: "\n")
        return "\nlast lines of \(logFile.path):\n\(lines)"
    }
}
