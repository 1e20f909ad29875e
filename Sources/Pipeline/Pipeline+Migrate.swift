import Audiences
import Core
import Ingest
import Modeling
import PostgresClient
import Rules
import Transforms

extension Pipeline {
    /// The module schemas every migrated database has, in the order they are made (Modeling
    /// before Rules: a database from before the move finishes Rules' absorbed migrations, which
    /// read Modeling's fits).
    public static let modules: [ModuleSchema] = [.core, .ingest, .audiences, .modeling, .rules]

    /// Brings a database to this clv: every module's own tables (`extra` adds modules this one
    /// cannot see, e.g. the Scheduler's), then the project's pending `sql/schema` migrations.
    /// `clv migrate`, the scheduler's `migrate` step and the demo go through here, so a migrated
    /// database has every table any command reads.
    @discardableResult
    public func migrate(on connection: PostgresConnection, including extra: [ModuleSchema] = []) async throws
        -> [Migrator.Applied]
    {
        let modules = Self.modules + extra
        for schema in modules {
            try await schema.ensure(on: connection)
        }
        return try await Migrator(project: project, logger: logger).migrate(connection, modules: modules)
    }
}
