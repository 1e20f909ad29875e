import Foundation
import PostgresClient

/// Databases made before the modules owned their tables kept one list of `clv_meta` upgrades in
/// `clv_meta.meta_version` (10 entries). Such a database is finished with the upgrades it lacks
/// (`Sources/Core/SQL/legacy`), then holds every module's first script: they are recorded as
/// adopted and the old list is dropped.
enum LegacyMetaVersion {
    /// The checksum recorded for an adopted script.
    static let adopted = "adopted from clv_meta.meta_version"

    /// The last entry of the old list.
    static let last = 10

    /// The scripts the old list had created, as (module, version, name).
    static let scripts = [
        ("Core", 1, "core"), ("Ingest", 1, "loads"), ("Scheduler", 1, "schedules"),
        ("Audiences", 1, "audience_exports"),
    ]

    /// Finishes, records and drops `clv_meta.meta_version`, when there is one.
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
            for number in (version + 1)...max(version + 1, last) where number <= last {
                try await connection.executeScript(
                    try ModuleSQL.read("legacy/meta_version_\(String(format: "%02d", number))", in: .module))
            }
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
