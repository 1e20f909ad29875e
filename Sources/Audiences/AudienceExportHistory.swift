import Core
import PostgresClient

/// Past exports as `clv audiences history` shows them.
public enum AudienceExportHistory {
    /// The latest `limit` exports, newest first, with their counts and status.
    public static func recent(limit: Int, on connection: PostgresConnection) async throws -> PostgresRows {
        try await ModuleSchema.audiences.ensure(on: connection)
        return try await connection.query(AudiencesSQL.statement("export_history", binding: [limit]))
    }
}
