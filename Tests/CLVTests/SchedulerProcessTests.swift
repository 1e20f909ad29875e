import Core
import Foundation
import Logging
import PostgresClient
import Scheduler
import TestSupport
import Testing

/// The scheduler as real processes: killed mid-job, and stopped by SIGTERM.
@Suite(.serialized) struct SchedulerProcessTests {
    func project() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory.make(prefix: "clv-sched")
        try folder.write(
            "sql/schema/0001_slow.sql",
            """
            create sequence slow_calls;
            -- Sleeps on its first call only (sequences survive rollback, so a killed attempt counts).
            create function slow_once() returns text language plpgsql as $$
            begin
                if nextval('slow_calls') = 1 then perform pg_sleep(10); end if;
                return 'done';
            end $$;
            """)
        try folder.write(
            "sql/transforms/slow.sql", "-- name: analytics.slow\n-- materialized: table\nselect slow_once() as result\n"
        )
        try folder.write(
            "schedules/slow.yaml",
            "name: slow\ncron: '0 4 * * *'\nsteps: [migrate, transforms]\nretries: {attempts: 2, backoff: 1s}\n")
        return folder
    }

    func waitFor(_ sql: String, on connection: PostgresConnection, seconds: Double = 20) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            // Tables the process creates may not exist yet: not yet, then.
            if let rows = try? await connection.query(SQL(unsafeSQL: sql)), !rows.isEmpty { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test func jobKilledWithSIGKILLIsRecoveredByAnotherDaemon() async throws {
        let database = try await TestDatabase.make()
        let folder = try project()
        let watcher = try await database.connect()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLVBinary.path)
        process.arguments = ["schedule", "run", "slow", "--project", folder.url.path, "--database-url", database.url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        #expect(
            try await waitFor(
                "select 1 from pg_stat_activity where query like '%slow_once%' and state = 'active' and pid <> pg_backend_pid()",
                on: watcher))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try await watcher.query("select status from clv_meta.schedule_slots")[0]["status"] == "running")

        // Another daemon, once the dead one's lease (60 s) has run out.
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let survivor = SchedulerDaemon(
            project: Project(root: folder.url), databaseURL: database.url, logger: logger, id: "survivor")
        let schedules = try ScheduleLoader(project: Project(root: folder.url)).loadAll()
        let events = try await survivor.tick(now: Date().addingTimeInterval(61), schedules: schedules, on: watcher)
        #expect(events.count == 2)
        if case .abandoned(_, _, let attempt) = events.first {
            #expect(attempt == 1)
        } else {
            Issue.record("expected abandoned first: \(events)")
        }
        if case .ran(_, _, let attempt, let status) = events.last {
            #expect(attempt == 2)
            #expect(status == "success")
        } else {
            Issue.record("expected a retry: \(events)")
        }
        #expect(
            try await watcher.query(
                "select string_agg(attempt || ':' || status, ',' order by attempt) as a from clv_meta.schedule_attempts"
            )[0]["a"] == "1:abandoned,2:success")
        #expect(try await watcher.query("select result from analytics.slow")[0]["result"] == "done")
        folder.remove()
        try await database.drop()
    }

    @Test func sigtermStopsTheDaemonCleanly() async throws {
        let database = try await TestDatabase.make()
        let folder = try project()
        let watcher = try await database.connect()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLVBinary.path)
        process.arguments = ["scheduler", "--project", folder.url.path, "--database-url", database.url]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Running: its heartbeat row appears.
        #expect(try await waitFor("select 1 from clv_meta.daemons", on: watcher))
        let stopped = Date()
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(stopped) < 10)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        folder.remove()
        try await database.drop()
    }
}
