import PostgresClient

/// The load watermark: the highest load id below which every write of raw facts has ended.
public enum LoadWatermark {
    /// Waits for in-flight writers of raw facts, then returns the highest load id handed out:
    /// every id at or below it is committed or rolled back, so no later commit can fall below it.
    public static func read(_ connection: PostgresConnection) async throws -> Int64 {
        try await connection.transaction { connection in
            try await connection.query("select pg_advisory_xact_lock(\(LockKeys.ingestBarrier))")
            let row = try await connection.query(
                "select case when is_called then last_value else 0 end as watermark from clv_meta.load_seq")[0]
            return try row.decode(Int64.self, "watermark")
        }
    }
}
