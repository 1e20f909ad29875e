import Foundation
import PostgresClient

extension ModuleSchema {
    /// The checksum recorded for a first script whose tables project migrations made.
    static let adoptedFromMigrations = "adopted from project migrations"

    /// What stands for a script's checksum when its tables were made before the module owned them.
    static let adoptionMarks = [LegacyMetaVersion.adopted, adoptedFromMigrations]

    /// On a database that ran some of the module's absorbed migrations as project migrations (made
    /// by a clv from before the module owned its tables): runs the ones it lacks, recorded as
    /// project migrations like the others, and records the module's first script as adopted. On
    /// any other database, nothing. Runs under the migration lock, after Core's scripts.
    func adoptAbsorbed(on connection: PostgresConnection) async throws {
        guard !absorbed.isEmpty else { return }
        let adopted = try await connection.query(
            "select 1 from clv_meta.module_schemas where module = \(module) and version = 1")
        guard adopted.isEmpty else { return }
        var ran: [(version: Int, name: String)] = []
        for row in try await connection.query("select version, name from clv_meta.migrations") {
            ran.append((try row.decode(Int.self, "version"), try row.decode(String.self, "name")))
        }
        guard absorbed.contains(where: { migration in ran.contains { migration.isNamed($0.version, $0.name) } })
        else { return }
        try await connection.transaction { connection in
            for migration in absorbed where !ran.contains(where: { migration.isNamed($0.version, $0.name) }) {
                do {
                    try await connection.executeScript(migration.text)
                } catch let error as PostgresError {
                    throw WarehouseError(
                        "finishing the project migrations \(module) absorbed: \(error.description)",
                        at:
                            "Sources/\(module)/SQL/absorbed/\(String(format: "%04d", migration.version))_\(migration.name).sql"
                    )
                }
                try await connection.execute(
                    """
                    insert into clv_meta.migrations (version, name, checksum, duration_ms)
                    values (\(migration.version), \(migration.name), \(migration.checksum), 0)
                    """)
            }
            try await connection.execute(
                """
                insert into clv_meta.module_schemas (module, version, name, checksum)
                values (\(module), 1, \(try firstScriptName()), \(Self.adoptedFromMigrations))
                """)
        }
    }

    private func firstScriptName() throws -> String {
        guard let first = try parsed.get().first, first.version == 1 else {
            throw WarehouseError("\(module) absorbs project migrations but has no schema script 0001")
        }
        return first.name
    }
}
