import Core
import Foundation
import Logging
import PostgresClient
import Scheduler
import TestSupport
import Testing

/// Daemons driven tick by tick with explicit instants, against a real database.
@Suite struct SchedulerDaemonTests {
    struct Setup {
        let folder: TemporaryDirectory
        let database: TestDatabase
        let connection: PostgresConnection
        var project: Project { Project(root: folder.url) }

        func daemon(_ id: String) -> SchedulerDaemon {
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            return SchedulerDaemon(project: project, databaseURL: database.url, logger: logger, id: id)
        }

        func schedules() throws -> [Schedule] { try ScheduleLoader(project: project).loadAll() }

        func rows(_ sql: String) async throws -> [[String?]] {
            try await connection.query(SQL(unsafeSQL: sql)).map(\.values)
        }

        func tearDown() async throws {
            try await database.drop()
            folder.remove()
        }
    }

    /// A project with one transform (whose SQL the test chooses) and one schedule every 5 minutes.
    func setup(transform body: String, retries: Int = 3, timeout: String = "1h", catchUp: String = "once") async throws
        -> Setup
    {
        let folder = try TemporaryDirectory.make(prefix: "clv-daemon")
        try folder.write(
            "sql/schema/0001_flaky.sql",
            """
            create sequence flaky_calls;
            -- Fails with a serialization failure (transient) on its first call only.
            create function flaky() returns integer language plpgsql as $$
            begin
                if nextval('flaky_calls') = 1 then raise exception 'try again' using errcode = 'serialization_failure'; end if;
                return 1;
            end $$;
            """)
        try folder.write("sql/transforms/job.sql", "-- name: analytics.job\n-- materialized: table\n\(body)\n")
        try folder.write(
            "schedules/every5.yaml",
            """
            name: every5
            cron: "*/5 * * * *"
            steps: [migrate, transforms]
            retries: {attempts: \(retries), backoff: 1m}
            timeout: \(timeout)
            catch_up: \(catchUp)
            """)
        let database = try await TestDatabase.make()
        return Setup(folder: folder, database: database, connection: try await database.connect())
    }

    static let start = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01T00:00:00Z
    static func at(minutes: Double) -> Date { start.addingTimeInterval(minutes * 60) }

    @Test func twoDaemonsRunEachSlotExactlyOnce() async throws {
        let setup = try await setup(transform: "select 1 as id")
        let (a, b) = (setup.daemon("a"), setup.daemon("b"))
        let (connectionA, connectionB) = (try await setup.database.connect(), try await setup.database.connect())
        let schedules = try setup.schedules()
        // First sight at 00:00 (a slot at exactly 00:00 is not backfilled), then four slots, both daemons ticking at once.
        _ = try await a.tick(now: Self.at(minutes: 0), schedules: schedules, on: connectionA)
        var ran = 0
        for minute in [5.0, 10, 15, 20] {
            async let eventsA = a.tick(now: Self.at(minutes: minute + 0.1), schedules: schedules, on: connectionA)
            async let eventsB = b.tick(now: Self.at(minutes: minute + 0.1), schedules: schedules, on: connectionB)
            let events = try await eventsA + eventsB
            ran += events.filter { if case .ran = $0 { true } else { false } }.count
        }
        #expect(ran == 4)
        #expect(
            try await setup.rows(
                "select to_char(slot at time zone 'UTC', 'HH24:MI'), status, attempt::text from clv_meta.schedule_slots order by slot"
            ) == [
                ["00:05", "success", "1"], ["00:10", "success", "1"], ["00:15", "success", "1"],
                ["00:20", "success", "1"],
            ])
        #expect(try await setup.rows("select count(*)::text from clv_meta.schedule_attempts") == [["4"]])
        try await setup.tearDown()
    }

    @Test func transientFailureIsRetriedWithBackoff() async throws {
        let setup = try await setup(transform: "select flaky() as id")
        let daemon = setup.daemon("a")
        let schedules = try setup.schedules()
        _ = try await daemon.tick(now: Self.at(minutes: 0), schedules: schedules, on: setup.connection)
        let first = try await daemon.tick(now: Self.at(minutes: 5), schedules: schedules, on: setup.connection)
        #expect(first == [.ran(schedule: "every5", slot: Self.at(minutes: 5), attempt: 1, status: "failed")])
        #expect(
            try await setup.rows(
                "select status, to_char(next_attempt_at at time zone 'UTC', 'HH24:MI') from clv_meta.schedule_slots")
                == [["retry", "00:06"]])
        // 30 s later the backoff (1m) has not passed; at 00:06 it has.
        #expect(try await daemon.tick(now: Self.at(minutes: 5.5), schedules: schedules, on: setup.connection).isEmpty)
        let second = try await daemon.tick(now: Self.at(minutes: 6), schedules: schedules, on: setup.connection)
        #expect(second == [.ran(schedule: "every5", slot: Self.at(minutes: 5), attempt: 2, status: "success")])
        #expect(
            try await setup.rows("select attempt::text, status from clv_meta.schedule_attempts order by attempt") == [
                ["1", "failed"], ["2", "success"],
            ])
        try await setup.tearDown()
    }

    @Test func sqlErrorIsNotRetried() async throws {
        let setup = try await setup(transform: "select 1 / 0 as id")
        let daemon = setup.daemon("a")
        let schedules = try setup.schedules()
        _ = try await daemon.tick(now: Self.at(minutes: 0), schedules: schedules, on: setup.connection)
        let events = try await daemon.tick(now: Self.at(minutes: 5), schedules: schedules, on: setup.connection)
        #expect(events == [.ran(schedule: "every5", slot: Self.at(minutes: 5), attempt: 1, status: "failed")])
        #expect(try await daemon.tick(now: Self.at(minutes: 9), schedules: schedules, on: setup.connection).isEmpty)
        let slot = try await setup.rows("select status, next_attempt_at::text, error from clv_meta.schedule_slots")
        #expect(slot[0][0] == "failed")
        #expect(slot[0][1] == nil)
        #expect(slot[0][2]?.contains("sql/transforms/job.sql: division by zero (SQLSTATE 22012)") == true)
        try await setup.tearDown()
    }

    @Test func timeoutCancelsTheStatementAndRetriesPerPolicy() async throws {
        let setup = try await setup(transform: "select pg_sleep(10)::text as slept", retries: 2, timeout: "1s")
        let daemon = setup.daemon("a")
        let schedules = try setup.schedules()
        _ = try await daemon.tick(now: Self.at(minutes: 0), schedules: schedules, on: setup.connection)
        let clock = ContinuousClock()
        let started = clock.now
        let first = try await daemon.tick(now: Self.at(minutes: 5), schedules: schedules, on: setup.connection)
        #expect(clock.now - started < .seconds(8))
        #expect(first == [.ran(schedule: "every5", slot: Self.at(minutes: 5), attempt: 1, status: "timed_out")])
        let second = try await daemon.tick(now: Self.at(minutes: 7), schedules: schedules, on: setup.connection)
        #expect(second == [.ran(schedule: "every5", slot: Self.at(minutes: 5), attempt: 2, status: "timed_out")])
        #expect(try await setup.rows("select status from clv_meta.schedule_slots") == [["timed_out"]])
        // No sleeping statement is left behind on the server.
        #expect(
            try await setup.rows(
                "select count(*)::text from pg_stat_activity where query like 'create table%pg_sleep%' and state = 'active'"
            ) == [["0"]])
        try await setup.tearDown()
    }

    @Test func deadDaemonsClaimIsAbandonedAndRetriedByAnother() async throws {
        let setup = try await setup(transform: "select 1 as id")
        let daemon = setup.daemon("b")
        let schedules = try setup.schedules()
        _ = try await daemon.tick(now: Self.at(minutes: 0), schedules: schedules, on: setup.connection)
        // Daemon "a" claimed the 00:05 slot and died: its lease ran out at 00:06.
        try await setup.connection.executeScript(
            """
            insert into clv_meta.schedule_slots (schedule, slot, status, attempt, daemon, lease_until, started_at)
            values ('every5', '2025-01-01 00:05+00', 'running', 1, 'a', '2025-01-01 00:06+00', '2025-01-01 00:05+00');
            insert into clv_meta.schedule_attempts (schedule, slot, attempt, daemon, status) values ('every5', '2025-01-01 00:05+00', 1, 'a', 'running');
            """)
        // While the lease holds, the slot is not touched and the next slot would overlap.
        #expect(try await daemon.tick(now: Self.at(minutes: 5.5), schedules: schedules, on: setup.connection).isEmpty)
        let events = try await daemon.tick(now: Self.at(minutes: 7), schedules: schedules, on: setup.connection)
        #expect(
            events == [
                .abandoned(schedule: "every5", slot: Self.at(minutes: 5), attempt: 1),
                .ran(schedule: "every5", slot: Self.at(minutes: 5), attempt: 2, status: "success"),
            ])
        #expect(
            try await setup.rows(
                "select attempt::text, daemon, status from clv_meta.schedule_attempts order by attempt") == [
                    ["1", "a", "abandoned"], ["2", "b", "success"],
                ])
        try await setup.tearDown()
    }

    @Test func overlapAndCatchUp() async throws {
        let setup = try await setup(transform: "select 1 as id")
        let daemon = setup.daemon("a")
        let schedules = try setup.schedules()
        _ = try await daemon.tick(now: Self.at(minutes: 0), schedules: schedules, on: setup.connection)
        // Another daemon is still running the 00:05 slot (valid lease) when 00:10 comes: 00:10 is skipped.
        try await setup.connection.executeScript(
            "insert into clv_meta.schedule_slots (schedule, slot, status, attempt, daemon, lease_until) values ('every5', '2025-01-01 00:05+00', 'running', 1, 'other', '2025-01-01 01:00+00')"
        )
        let overlap = try await daemon.tick(now: Self.at(minutes: 10), schedules: schedules, on: setup.connection)
        #expect(overlap == [.skipped(schedule: "every5", slot: Self.at(minutes: 10), reason: "overlap")])
        try await setup.connection.executeScript(
            "update clv_meta.schedule_slots set status = 'success', lease_until = null where slot = '2025-01-01 00:05+00'"
        )
        // Down from 00:10 to 00:31: slots 00:15 … 00:30 were missed; catch_up once runs 00:30 and skips the rest.
        let events = try await daemon.tick(now: Self.at(minutes: 31), schedules: schedules, on: setup.connection)
        #expect(
            events == [
                .skipped(schedule: "every5", slot: Self.at(minutes: 15), reason: "missed"),
                .skipped(schedule: "every5", slot: Self.at(minutes: 20), reason: "missed"),
                .skipped(schedule: "every5", slot: Self.at(minutes: 25), reason: "missed"),
                .ran(schedule: "every5", slot: Self.at(minutes: 30), attempt: 1, status: "success"),
            ])
        try await setup.tearDown()
    }

    @Test func historyOlderThanRetentionIsPruned() async throws {
        let setup = try await setup(transform: "select 1 as id")
        let daemon = setup.daemon("a")
        let schedules = try setup.schedules()
        _ = try await daemon.tick(now: Self.at(minutes: 0), schedules: schedules, on: setup.connection)
        _ = try await daemon.tick(now: Self.at(minutes: 5), schedules: schedules, on: setup.connection)
        try await setup.connection.executeScript(
            "update clv_meta.schedule_slots set finished_at = '2025-01-01 00:05+00'")
        // Retention 1 day: at 00:05 the next day plus a minute, the 00:05 slot (finished then) is older.
        #expect(try await daemon.prune(olderThan: 86_400, now: Self.at(minutes: 5 + 1439), on: setup.connection) == 0)
        #expect(try await daemon.prune(olderThan: 86_400, now: Self.at(minutes: 5 + 1441), on: setup.connection) == 1)
        #expect(try await setup.rows("select count(*)::text from clv_meta.schedule_attempts") == [["0"]])
        try await setup.tearDown()
    }
}
