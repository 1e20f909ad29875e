import Core
import Foundation
import PostgresClient

/// Reads `clv_meta.runs` and `clv_meta.run_steps`.
public enum RunHistory {
    public struct Step: Codable, Sendable {
        public var transform: String
        public var version: String
        public var mode: String
        public var reason: String
        public var status: String
        public var startedAt: Date
        public var finishedAt: Date?
        public var rows: Int64?
        public var error: String?
    }

    public struct Run: Codable, Sendable {
        public var runID: Int64
        public var command: String
        public var status: String
        public var asOf: Date
        public var startedAt: Date
        public var finishedAt: Date?
        public var error: String?
        public var steps: [Step]
    }

    /// The latest `limit` runs, newest first, with their steps in build order.
    public static func recent(_ connection: PostgresConnection, limit: Int) async throws -> [Run] {
        try await ModuleSchema.core.ensure(on: connection)
        var runs: [Run] = []
        for row in try await connection.query(
            """
            select run_id, command, status, as_of, started_at, finished_at, error
            from clv_meta.runs order by run_id desc limit \(limit)
            """)
        {
            runs.append(
                Run(
                    runID: try row.decode(Int64.self, "run_id"), command: try row.decode(String.self, "command"),
                    status: try row.decode(String.self, "status"), asOf: try row.decode(Date.self, "as_of"),
                    startedAt: try row.decode(Date.self, "started_at"),
                    finishedAt: try row.decode(Date?.self, "finished_at"), error: try row.decode(String?.self, "error"),
                    steps: []))
        }
        let ids = runs.map { String($0.runID) }
        let steps = try await connection.query(
            """
            select run_id, transform, version, mode, reason, status, started_at, finished_at, rows, error
            from clv_meta.run_steps where run_id = any(\(array: ids)::bigint[]) order by run_id, started_at
            """)
        for row in steps {
            let runID = try row.decode(Int64.self, "run_id")
            guard let index = runs.firstIndex(where: { $0.runID == runID }) else { continue }
            runs[index].steps.append(
                Step(
                    transform: try row.decode(String.self, "transform"),
                    version: String(try row.decode(String.self, "version").prefix(12)),
                    mode: try row.decode(String.self, "mode"), reason: try row.decode(String.self, "reason"),
                    status: try row.decode(String.self, "status"), startedAt: try row.decode(Date.self, "started_at"),
                    finishedAt: try row.decode(Date?.self, "finished_at"), rows: try row.decode(Int64?.self, "rows"),
                    error: try row.decode(String?.self, "error")))
        }
        return runs
    }
}
