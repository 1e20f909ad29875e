import Core
import Foundation
import Logging
import PostgresClient

/// Runs due schedule slots exactly once across any number of daemons sharing a database.
///
/// A slot is claimed by inserting its row (primary key `schedule, slot`): one daemon wins. The
/// winner holds a lease it extends while the job runs; a lease that expires (the daemon died) marks
/// the attempt abandoned and the slot due for retry, which any daemon claims with
/// `for update skip locked`. A slot due while the previous one of its schedule still runs is
/// recorded as skipped (overlap).
public struct SchedulerDaemon: Sendable {
    public let id: String
    public let project: Project
    public let databaseURL: String
    public let logger: Logger
    /// How long a claim stays valid without a heartbeat.
    public var leaseSeconds = 60

    public init(project: Project, databaseURL: String, logger: Logger, id: String? = nil) {
        self.project = project
        self.databaseURL = databaseURL
        self.logger = logger
        self.id = id ?? "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))"
    }

    /// What a tick did, for logs and tests.
    public enum Event: Equatable, Sendable, CustomStringConvertible {
        case ran(schedule: String, slot: Date, attempt: Int, status: String)
        case skipped(schedule: String, slot: Date, reason: String)
        case abandoned(schedule: String, slot: Date, attempt: Int)

        /// One line for people: `nightly slot 2026-11-30T09:15:36Z attempt 1: success`.
        public var description: String {
            switch self {
            case .ran(let schedule, let slot, let attempt, let status):
                "\(schedule) slot \(Self.text(slot)) attempt \(attempt): \(status)"
            case .skipped(let schedule, let slot, let reason):
                "\(schedule) slot \(Self.text(slot)): skipped (\(reason))"
            case .abandoned(let schedule, let slot, let attempt):
                "\(schedule) slot \(Self.text(slot)) attempt \(attempt): abandoned (its daemon died)"
            }
        }

        private static func text(_ date: Date) -> String { date.formatted(.iso8601) }
    }

    /// Does everything due at `now`: recovers dead claims, records skipped slots, claims and runs
    /// due slots and retries, one job at a time.
    public func tick(now: Date, schedules: [Schedule], on connection: PostgresConnection) async throws -> [Event] {
        var events: [Event] = []
        try await ModuleSchema.scheduler.ensure(on: connection)
        try await connection.execute(
            SchedulerSQL.statement(
                "daemon_heartbeat", binding: [id, ProcessInfo.processInfo.hostName, Int(getpid()), now]))
        for schedule in schedules {
            events += try await recoverExpired(schedule, now: now, on: connection)
        }
        for schedule in schedules where schedule.enabled {
            try await connection.execute(
                "insert into clv_meta.schedules (schedule, first_seen) values (\(schedule.name), \(now)) on conflict do nothing"
            )
            let state = try await connection.query(
                SchedulerSQL.statement("schedule_state", binding: [schedule.name, now]))[0]
            let due = SlotPlanner.due(
                schedule, lastSlot: try state.decode(Date?.self, "last_slot"),
                firstSeen: try state.decode(Date.self, "first_seen"),
                now: now)
            for slot in due.skipped {
                if try await record(
                    schedule, slot: slot, status: "skipped",
                    error: "missed while no daemon ran (catch_up: \(schedule.catchUp.rawValue))", on: connection)
                {
                    events.append(.skipped(schedule: schedule.name, slot: slot, reason: "missed"))
                }
            }
            guard let slot = due.run else { continue }
            if try state.decode(Bool.self, "busy") {
                if try await record(
                    schedule, slot: slot, status: "skipped", error: "overlap: the previous run was still going",
                    on: connection)
                {
                    events.append(.skipped(schedule: schedule.name, slot: slot, reason: "overlap"))
                }
                continue
            }
            let claimed = try await connection.query(
                SchedulerSQL.statement(
                    "claim_slot",
                    binding: [schedule.name, slot, id, now.addingTimeInterval(Double(leaseSeconds)), now]))
            if !claimed.isEmpty {
                events.append(try await execute(schedule, slot: slot, attempt: 1, now: now, on: connection))
            }
        }
        while let retry = try await claimRetry(schedules, now: now, on: connection) {
            events.append(
                try await execute(retry.schedule, slot: retry.slot, attempt: retry.attempt, now: now, on: connection))
        }
        return events
    }

    /// Runs a schedule now, in the foreground, with the same claim, lease and history as a slot
    /// (`clv schedule run`): the slot is the current instant.
    /// Runs `schedule` at once for the slot `now`. `referenceTime` makes every step compute as of
    /// another instant (the demo's example data); nil computes as of the time each step runs.
    public func runNow(
        _ schedule: Schedule, now: Date, referenceTime: Date? = nil, on connection: PostgresConnection
    ) async throws -> Event {
        try await ModuleSchema.scheduler.ensure(on: connection)
        try await connection.execute(
            SchedulerSQL.statement(
                "start_slot_now", binding: [schedule.name, now, id, now.addingTimeInterval(Double(leaseSeconds))]))
        return try await execute(
            schedule, slot: now, attempt: 1, now: now, referenceTime: referenceTime, on: connection)
    }

    /// Deletes slot and attempt history finished more than `retention` before `now`.
    public func prune(olderThan retention: TimeInterval, now: Date, on connection: PostgresConnection) async throws
        -> Int
    {
        try await connection.execute(
            "delete from clv_meta.schedule_slots where finished_at < \(now.addingTimeInterval(-retention)) and status in ('success', 'failed', 'timed_out', 'skipped')"
        )
    }

    /// Inserts a slot row in a final status unless the slot is already recorded; returns whether it was new.
    private func record(
        _ schedule: Schedule, slot: Date, status: String, error: String, on connection: PostgresConnection
    ) async throws -> Bool {
        try await connection.execute(
            SchedulerSQL.statement("record_slot", binding: [schedule.name, slot, status, id, error])) == 1
    }

    /// Claims expired by a dead daemon: the attempt is abandoned; the slot retries per policy.
    private func recoverExpired(_ schedule: Schedule, now: Date, on connection: PostgresConnection) async throws
        -> [Event]
    {
        let rows = try await connection.query(
            SchedulerSQL.statement("expire_abandoned_slots", binding: [schedule.retryAttempts, now, schedule.name]))
        var events: [Event] = []
        for row in rows {
            let slot = try row.decode(Date.self, "slot")
            let attempt = try row.decode(Int.self, "attempt")
            try await connection.execute(
                SchedulerSQL.statement("abandon_attempt", binding: [now, schedule.name, slot, attempt]))
            logger.warning(
                "abandoned attempt",
                metadata: ["schedule": "\(schedule.name)", "slot": "\(slot)", "attempt": "\(attempt)"])
            events.append(.abandoned(schedule: schedule.name, slot: slot, attempt: attempt))
        }
        return events
    }

    private func claimRetry(_ schedules: [Schedule], now: Date, on connection: PostgresConnection) async throws
        -> (schedule: Schedule, slot: Date, attempt: Int)?
    {
        let names = schedules.filter(\.enabled).map(\.name)
        let rows = try await connection.query(
            SchedulerSQL.statement(
                "claim_retry",
                binding: [id, now.addingTimeInterval(Double(leaseSeconds)), now, PostgresArrayLiteral.encode(names)]))
        guard let row = rows.first,
            let schedule = schedules.first(where: { $0.name == (try? row.decode(String.self, "schedule")) })
        else {
            return nil
        }
        return (schedule, try row.decode(Date.self, "slot"), try row.decode(Int.self, "attempt"))
    }

    /// Runs a claimed attempt, renewing its lease meanwhile, and records the outcome.
    private func execute(
        _ schedule: Schedule, slot: Date, attempt: Int, now: Date, referenceTime: Date? = nil,
        on connection: PostgresConnection
    ) async throws -> Event {
        try await connection.execute(
            "insert into clv_meta.schedule_attempts (schedule, slot, attempt, daemon, status) values (\(schedule.name), \(slot), \(attempt), \(id), 'running')"
        )
        logger.info(
            "running schedule", metadata: ["schedule": "\(schedule.name)", "slot": "\(slot)", "attempt": "\(attempt)"])
        let heartbeat = Task { [databaseURL, leaseSeconds, id] in
            let renewer = try await PostgresConnection.connect(databaseURL)
            let started = Date()
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(max(1, leaseSeconds / 3)))
                let elapsed = Date().timeIntervalSince(started)
                try await renewer.execute(
                    SchedulerSQL.statement(
                        "renew_lease",
                        binding: [now.addingTimeInterval(elapsed + Double(leaseSeconds)), schedule.name, slot, id]))
            }
        }
        defer { heartbeat.cancel() }
        let status: String
        var error: String?
        var steps: [JobRunner.StepResult]
        var retry = false
        do {
            // A job gets a session of its own: if it is cancelled mid-statement (timeout), closing
            // that session makes the server roll back whatever it left open and release its locks.
            let jobConnection = try await PostgresConnection.connect(databaseURL)
            steps = try await JobRunner(project: project, logger: logger, referenceTime: referenceTime).run(
                schedule, on: jobConnection)
            status = "success"
        } catch let failure as JobRunner.Failure {
            steps = failure.steps
            error = failure.message
            status = failure.kind == .timedOut ? "timed_out" : "failed"
            retry = failure.kind != .permanent && attempt < schedule.retryAttempts
        } catch {
            // The job's own connection could not be opened: transient.
            steps = []
            self.logger.warning("cannot open a job connection", metadata: ["error": "\(error)"])
            (status, retry) = ("failed", attempt < schedule.retryAttempts)
        }
        heartbeat.cancel()
        let stepsJSON = String(decoding: try JSONEncoder().encode(steps), as: UTF8.self)
        let backoff = SlotPlanner.backoff(base: schedule.retryBackoffSeconds, afterAttempt: attempt)
        try await connection.execute(
            SchedulerSQL.statement(
                "finish_attempt", binding: [status, error, stepsJSON, schedule.name, slot, attempt]))
        try await connection.execute(
            SchedulerSQL.statement(
                "finish_slot",
                binding: [
                    retry ? "retry" : status, retry, now.addingTimeInterval(Double(backoff)), error, schedule.name,
                    slot,
                ]))
        logger.info(
            "schedule attempt finished",
            metadata: ["schedule": "\(schedule.name)", "status": "\(status)", "retry": "\(retry)"])
        return .ran(schedule: schedule.name, slot: slot, attempt: attempt, status: status)
    }
}
