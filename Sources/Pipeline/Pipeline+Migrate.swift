import Audiences
import Core
import Ingest
import PostgresClient
import Transforms

extension Pipeline {
    /// Brings a database to this clv: every module's own tables (`extra` adds modules this one
    /// cannot see, e.g. the Scheduler's), then the project's pending `sql/schema` migrations.
    /// `clv migrate`, the scheduler's `migrate` step and the demo go through here, so a migrated
    /// database has every table any command reads.
    @discardableResult
    public func migrate(on connection: PostgresConnection, including extra: [ModuleSchema] = []) async throws
        -> [Migrator.Applied]
    {
        for schema in [ModuleSchema.core, .ingest, .audiences] + extra {
            try await schema.ensure(on: connection)
        }
        return try await Migrator(project: project, logger: logger).migrate(connection)
    }
}
