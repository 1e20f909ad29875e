import Core
import Foundation
import PostgresClient

/// Reads the slots and attempts of a schedule from `clv_meta`.
public enum ScheduleHistory {
    public struct Attempt: Codable, Sendable {
        public var attempt: Int
        public var daemon: String
        public var status: String
        public var startedAt: Date
        public var finishedAt: Date?
        public var error: String?
        public var steps: [JobRunner.StepResult]
    }

    public struct Slot: Codable, Sendable {
        public var schedule: String
        public var slot: Date
        public var status: String
        public var error: String?
        public var attempts: [Attempt]
    }

    /// The latest `limit` slots of `schedule` (or of every schedule), newest first.
    public static func recent(_ connection: PostgresConnection, schedule: String?, limit: Int) async throws -> [Slot] {
        try await ModuleSchema.scheduler.ensure(on: connection)
        let rows = try await connection.query(
            SchedulerSQL.statement("schedule_history", binding: [schedule, limit]))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try rows.map { row in
            Slot(
                schedule: try row.decode(String.self, "schedule"), slot: try row.decode(Date.self, "slot"),
                status: try row.decode(String.self, "status"), error: try row.decode(String?.self, "error"),
                attempts: try decoder.decode([Attempt].self, from: Data(try row.decode(String.self, "attempts").utf8)))
        }
    }
}
