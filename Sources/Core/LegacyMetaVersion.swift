import PostgresClient

/// Databases made before the modules owned their tables kept one list of `clv_meta` upgrades in
/// `clv_meta.meta_version` (10 entries). Upgrades 2, 3 and 4 created what Ingest, the Scheduler
/// and the Audiences now own; the rest built Core's bookkeeping. Adopting such a database records
/// the module scripts it already has, finishes Core's part with the upgrades it lacks
/// (`Sources/Core/SQL/legacy`), and drops the old list; a module whose upgrade the database lacked
/// creates its tables itself, as on a new database.
enum LegacyMetaVersion {
    /// The checksum recorded for an adopted script.
    static let adopted = "adopted from clv_meta.meta_version"

    /// The last entry of the old list.
    static let last = 10

    /// The module scripts the old list created, as (module, version, name, old upgrade).
    static let scripts = [
        ("Core", 1, "core", 1), ("Ingest", 1, "loads", 2), ("Scheduler", 1, "schedules", 3),
        ("Audiences", 1, "audience_exports", 4),
    ]

    /// The old upgrades that changed Core's bookkeeping after its first (kept as files).
    static let coreUpgrades = 5...last

    /// Records, finishes and drops `clv_meta.meta_version`, when there is one.
    static func adopt(on connection: PostgresConnection) async throws {
        let present = try await connection.query(
            "select to_regclass('clv_meta.meta_version') is not null as present")[0].decode(Bool.self, "present")
        guard present else { return }
        let version = try await connection.query(
            "select coalesce(max(version), 0) as v from clv_meta.meta_version")[0].decode(Int.self, "v")
        guard version >= 1, version <= last else {
            throw WarehouseError(
                "clv_meta.meta_version says upgrade \(version), which no clv made (1 to \(last)); recreate the database"
            )
        }
        try await connection.transaction { connection in
            for number in coreUpgrades where number > version {
                let name = "legacy/meta_version_\(number < 10 ? "0" : "")\(number)"
                try await connection.executeScript(try CoreSQL.text(name))
            }
            for (module, number, name, upgrade) in scripts where upgrade <= version {
                try await connection.execute(
                    """
                    insert into clv_meta.module_schemas (module, version, name, checksum)
                    values (\(module), \(number), \(name), \(adopted)) on conflict do nothing
                    """)
            }
            try await connection.execute("drop table clv_meta.meta_version")
        }
    }
}
