import PostgresClient

/// Databases made before the modules owned their tables kept one list of `clv_meta` upgrades in
/// `clv_meta.meta_version` (11 entries). Such a database has every module's first script already:
/// they are recorded as adopted and the old list is dropped.
enum LegacyMetaVersion {
    /// The checksum recorded for an adopted script.
    static let adopted = "adopted from clv_meta.meta_version"

    /// The scripts the last old upgrade (11) had created, as (module, version, name).
    static let scripts = [
        ("Core", 1, "core"), ("Ingest", 1, "loads"), ("Scheduler", 1, "schedules"),
        ("Audiences", 1, "audience_exports"),
    ]

    /// Records the adopted scripts and drops `clv_meta.meta_version`, when there is one.
    static func adopt(on connection: PostgresConnection) async throws {
        let present = try await connection.query(
            "select to_regclass('clv_meta.meta_version') is not null as present")[0].decode(Bool.self, "present")
        guard present else { return }
        let version = try await connection.query(
            "select coalesce(max(version), 0) as v from clv_meta.meta_version")[0].decode(Int.self, "v")
        guard version == 11 else {
            throw WarehouseError(
                "clv_meta was made by an older clv (upgrade \(version) of 11) that this version cannot finish: open it once with the clv release of 2026-11 (or recreate the database)"
            )
        }
        try await connection.transaction { connection in
            for (module, number, name) in scripts {
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
