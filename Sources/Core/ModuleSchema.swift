import PostgresClient

/// The tables a module owns, created and upgraded by that module from its scripts
/// (`Sources/MODULE/SQL/schema/NNNN_name.sql`): each applied once, in order, in its own
/// transaction, recorded in `clv_meta.module_schemas`. Like the project's migrations they are
/// append-only: a script changed after it was applied is refused.
///
/// Core's own script (`clv_meta` bookkeeping: load ids, runs, transform state) comes first for
/// every module, so any module's `ensure` is enough before it touches the database.
public struct ModuleSchema: Sendable {
    /// The owner, e.g. `scheduler`.
    public let module: String
    /// The scripts in version order, read once from the module's SQL (or why they cannot be).
    let parsed: Result<[Script], WarehouseError>
    /// The project migrations the module's first script replaces, in version order.
    public let absorbed: [AbsorbedMigration]
    /// Project migrations clv rewrote because of the move, by version: the checksum they had when
    /// shipped, which the migrator accepts for what the file says now.
    public let rewritten: [Int: String]

    /// A module's schema: the `schema/NNNN_name` entries of its compiled-in SQL (`MODULESQL.files`),
    /// and the `absorbed/NNNN_name` project migrations its first script replaces.
    public init(module: String, files: [String: String], rewritten: [Int: String] = [:]) {
        self.module = module
        parsed = Self.scripts(of: module, in: files)
        absorbed = Self.absorbed(in: files)
        self.rewritten = rewritten
    }

    /// Core's schema: the `clv_meta` bootstrap every other module builds on.
    public static let core = ModuleSchema(module: "Core", files: CoreSQL.files)

    /// One script.
    struct Script: Sendable {
        var version: Int
        var name: String
        var file: String
        var text: String
        var checksum: String
    }

    /// Creates or upgrades Core's tables and this module's. Safe to run concurrently; cheap when
    /// everything is applied (two small queries, no lock).
    public func ensure(on connection: PostgresConnection) async throws {
        let owners = module == Self.core.module ? [self] : [.core, self]
        let scripts = try owners.map { try $0.parsed.get() }
        if try await upToDate(owners, scripts, on: connection) { return }
        try await connection.withAdvisoryLock(LockKeys.migration) {
            try await connection.executeScript(
                """
                create schema if not exists clv_meta;
                create table if not exists clv_meta.module_schemas (
                    module text not null,
                    version integer not null,
                    name text not null,
                    checksum text not null,
                    applied_at timestamptz not null default clock_timestamp(),
                    primary key (module, version)
                );
                """)
            try await LegacyMetaVersion.adopt(on: connection)
            for (owner, scripts) in zip(owners, scripts) {
                try await owner.apply(scripts, on: connection)
            }
        }
    }

    /// Whether every script of `owners` is recorded with its checksum (anything else takes the
    /// locked path, which applies or refuses).
    private func upToDate(_ owners: [ModuleSchema], _ scripts: [[Script]], on connection: PostgresConnection)
        async throws -> Bool
    {
        let present = try await connection.query(
            "select to_regclass('clv_meta.module_schemas') is not null as present")[0].decode(Bool.self, "present")
        guard present else { return false }
        var recorded: Set<String> = []
        for row in try await connection.query(
            "select module || ' ' || version || ' ' || checksum as entry from clv_meta.module_schemas")
        {
            recorded.insert(try row.decode(String.self, "entry"))
        }
        for (owner, scripts) in zip(owners, scripts) {
            for script in scripts {
                let entry = "\(owner.module) \(script.version) "
                guard ([script.checksum] + Self.adoptionMarks).contains(where: { recorded.contains(entry + $0) })
                else { return false }
            }
        }
        return true
    }

    private func apply(_ scripts: [Script], on connection: PostgresConnection) async throws {
        try await adoptAbsorbed(on: connection)
        var applied: [Int: String] = [:]
        for row in try await connection.query(
            "select version, checksum from clv_meta.module_schemas where module = \(module)")
        {
            applied[try row.decode(Int.self, "version")] = try row.decode(String.self, "checksum")
        }
        for script in scripts {
            if let checksum = applied[script.version] {
                guard checksum == script.checksum || Self.adoptionMarks.contains(checksum) else {
                    throw WarehouseError(
                        "\(module) schema script was changed after it was applied (applied checksum \(checksum.prefix(12))); scripts are append-only: add a new one",
                        at: script.file)
                }
                continue
            }
            try await connection.transaction { connection in
                try await connection.executeScript(script.text)
                try await connection.execute(
                    """
                    insert into clv_meta.module_schemas (module, version, name, checksum)
                    values (\(module), \(script.version), \(script.name), \(script.checksum))
                    """)
            }
        }
    }

    /// The `absorbed/NNNN_name` entries of `files` in version order (their names are checked by
    /// the tests, which read every module's files).
    private static func absorbed(in files: [String: String]) -> [AbsorbedMigration] {
        files.compactMap { name, text -> AbsorbedMigration? in
            guard name.hasPrefix("absorbed/") else { return nil }
            let parts = name.dropFirst("absorbed/".count).split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let version = Int(parts[0]) else { return nil }
            return AbsorbedMigration(version: version, name: String(parts[1]), text: text, checksum: SHA256.hex(text))
        }.sorted { $0.version < $1.version }
    }

    /// The `schema/NNNN_name` entries of `files` in version order.
    private static func scripts(of module: String, in files: [String: String]) -> Result<[Script], WarehouseError> {
        var scripts: [Script] = []
        for (name, text) in files where name.hasPrefix("schema/") {
            let fileName = name.dropFirst("schema/".count)
            let file = "Sources/\(module)/SQL/schema/\(fileName).sql"
            let parts = fileName.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let version = Int(parts[0]) else {
                return .failure(WarehouseError("schema scripts are named NNNN_name.sql", at: file))
            }
            scripts.append(
                Script(version: version, name: String(parts[1]), file: file, text: text, checksum: SHA256.hex(text)))
        }
        return .success(scripts.sorted { $0.version < $1.version })
    }
}
