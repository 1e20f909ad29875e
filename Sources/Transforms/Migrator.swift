import Core
import Foundation
import Logging
import PostgresClient

/// Applies `sql/schema` migrations in order, each in its own transaction, recorded in
/// `clv_meta.migrations`.
public struct Migrator: Sendable {
    public let project: Project
    public let logger: Logger

    public init(project: Project, logger: Logger) {
        self.project = project
        self.logger = logger
    }

    /// What one migration did.
    public struct Applied: Sendable {
        public var migration: Migration
        public var milliseconds: Int
    }

    /// Applies every pending migration. Refuses, before running anything, when an applied file
    /// was edited or removed. `modules` are the module schemas already ensured: the migrations
    /// they absorbed may be gone from the project (or left in it: they are not applied again), and
    /// the ones clv rewrote for the move are accepted with the checksum they were shipped with.
    @discardableResult
    public func migrate(_ connection: PostgresConnection, modules: [ModuleSchema] = []) async throws -> [Applied] {
        try await ModuleSchema.core.ensure(on: connection)
        let migrations = try Migration.loadAll(project)
        return try await connection.withAdvisoryLock(LockKeys.migration) {
            try await apply(migrations, modules: modules, on: connection)
        }
    }

    private func apply(_ migrations: [Migration], modules: [ModuleSchema], on connection: PostgresConnection)
        async throws -> [Applied]
    {
        let absorbed = modules.flatMap(\.absorbed)
        let rewritten = modules.reduce(into: [Int: String]()) { $0.merge($1.rewritten) { first, _ in first } }
        let ledger = try await connection.query(
            "select version, name, checksum from clv_meta.migrations order by version")
        var applied: [Int: (name: String, checksum: String)] = [:]
        for row in ledger {
            applied[try row.decode(Int.self, "version")] = (
                try row.decode(String.self, "name"), try row.decode(String.self, "checksum")
            )
        }
        for (version, entry) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = migrations.first(where: { $0.version == version }) else {
                if absorbed.contains(where: { $0.isNamed(version, entry.name) }) { continue }
                throw WarehouseError(
                    "migration \(version)_\(entry.name) was applied but its file is gone from sql/schema; migrations are append-only"
                )
            }
            if migration.checksum != entry.checksum, rewritten[version] == entry.checksum {
                try await connection.execute(
                    "update clv_meta.migrations set checksum = \(migration.checksum) where version = \(version)")
                continue
            }
            guard migration.checksum == entry.checksum else {
                throw WarehouseError(
                    "was edited after it was applied (applied checksum \(entry.checksum.prefix(12)), file checksum \(migration.checksum.prefix(12))); migrations are append-only: add a new file instead",
                    at: migration.file)
            }
        }
        var done: [Applied] = []
        let pending = migrations.filter { migration in
            applied[migration.version] == nil
                && !absorbed.contains { $0.version == migration.version && $0.checksum == migration.checksum }
        }
        for migration in pending {
            let started = ContinuousClock.now
            try await connection.transaction { connection in
                do {
                    try await connection.executeScript(migration.text)
                } catch let error as PostgresError {
                    throw Self.located(error, in: migration)
                }
                let elapsed = ContinuousClock.now - started
                let milliseconds = Int(elapsed.inSeconds * 1000)
                try await connection.execute(
                    """
                    insert into clv_meta.migrations (version, name, checksum, duration_ms)
                    values (\(migration.version), \(migration.name), \(migration.checksum), \(milliseconds))
                    """)
                done.append(Applied(migration: migration, milliseconds: milliseconds))
            }
            logger.info("applied migration", metadata: ["migration.file": "\(migration.file)"])
        }
        return done
    }

    /// Maps a server error inside a migration script to `file:line:col`.
    static func located(_ error: PostgresError, in migration: Migration) -> WarehouseError {
        guard let position = error.position else { return WarehouseError(error.description, at: migration.file) }
        let location = SourceLocation.at(characterOffset: position - 1, in: migration.text, file: migration.file)
        return WarehouseError(error.description, at: location)
    }
}
