import Core
import Foundation
import Modeling
import Scheduler
import TestSupport
import Testing

@Suite struct ScheduleLoaderTests {
    func project(_ files: [String: String]) throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory.make(prefix: "clv-schedules")
        try folder.write(
            "sql/transforms/a.sql", "-- name: analytics.a\n-- materialized: view\nselect 1 as id")
        for (path, text) in files { try folder.write(path, text) }
        return folder
    }

    @Test func validScheduleWithEveryStepKind() throws {
        let folder = try project([
            "dashboards/clv-overview.yaml": "title: CLV overview\n",
            "schedules/nightly.yaml": """
            name: nightly
            cron: "30 2 * * *"
            timezone: Europe/Berlin
            steps:
              - migrate
              - ingest: {kind: conversions, path: incoming/*.csv}
              - transforms: [a]
              - tests
              - dashboards: [clv-overview]
              - predict: {horizon: 2y, discount: 0.02, unit: day, purchases: any-conversion}
              - predict
            retries: {attempts: 3, backoff: 2m}
            timeout: 45m
            catch_up: skip
            enabled: false
            """,
        ])
        let schedules = try ScheduleLoader(project: Project(root: folder.url)).loadAll()
        let schedule = try #require(schedules.first)
        #expect(schedule.name == "nightly")
        #expect(
            schedule.steps == [
                .migrate, .ingest(kind: "conversions", path: "incoming/*.csv"), .transforms(select: ["a"]), .tests,
                .dashboards(names: ["clv-overview"]),
                .predict(horizonMonths: 24, monthlyDiscount: 0.02, unit: .day, purchases: .anyConversion),
                .predict(horizonMonths: 12, monthlyDiscount: 0.01, unit: .week, purchases: .positiveRevenue),
            ])
        #expect(schedule.retryAttempts == 3)
        #expect(schedule.retryBackoffSeconds == 120)
        #expect(schedule.timeoutSeconds == 2700)
        #expect(schedule.catchUp == .skip)
        #expect(!schedule.enabled)
        // 2025-03-30 is Berlin's spring-forward day: 02:30 runs once, at 03:00 CEST (01:00 UTC).
        let after = Date(timeIntervalSince1970: 1_743_249_600)  // 2025-03-29T12:00:00Z
        #expect(
            schedule.upcoming(after: after, count: 2).map(\.timeIntervalSince1970) == [1_743_296_400, 1_743_381_000])
        folder.remove()
    }

    @Test func everyProblemIsReportedWithFileAndField() throws {
        let folder = try project([
            "schedules/broken.yaml": """
            cron: "0 25 * * *"
            timezone: Mars/Olympus
            steps: [migrate, launch, {transforms: [nope]}, {audiences: [whales]}, {ingest: {kind: orders, path: x}}, {predict: {horizon: soon, discount: 2, unit: year, purchases: orders, seed: 1}}]
            retries: {attempts: 0, backoff: soon}
            timeout: forever
            catch_up: twice
            colour: blue
            """
        ])
        let error = #expect(throws: ConfigErrors.self) {
            try ScheduleLoader(project: Project(root: folder.url)).loadAll()
        }
        let lines = Set((error?.errors ?? []).map(\.description))
        #expect(
            lines == [
                "schedules/broken.yaml: colour: unknown field (expected catch_up, cron, enabled, name, retries, steps, timeout, timezone)",
                "schedules/broken.yaml: cron: hour: 25 is outside 0-23",
                "schedules/broken.yaml: timezone: unknown time zone 'Mars/Olympus'",
                "schedules/broken.yaml: steps[1]: unknown step 'launch' (expected migrate, ingest, transforms, tests, rules, audiences, dashboards, predict)",
                "schedules/broken.yaml: steps[2]: transforms: --select nope: no transform named nope",
                "schedules/broken.yaml: steps[3]: unknown audience 'whales' (no sql/audiences/whales.sql)",
                "schedules/broken.yaml: steps[3]: audiences needs {names: [...], destinations: [...]} (destinations from audiences.yaml)",
                "schedules/broken.yaml: steps[4]: ingest kind 'orders' is not one of clicks, conversions, customers, email-events, offers, partners, revenue, sends",
                "schedules/broken.yaml: steps[5]: predict: horizon \"soon\": expected months or years such as 12mo or 1y",
                "schedules/broken.yaml: steps[5]: predict: discount '2' is not a monthly rate in [0, 1)",
                "schedules/broken.yaml: steps[5]: predict: unit 'year' is not day or week",
                "schedules/broken.yaml: steps[5]: predict: purchases 'orders' is not positive-revenue or any-conversion",
                "schedules/broken.yaml: steps[5]: predict: unknown option 'seed' (expected horizon, discount, unit, purchases)",
                "schedules/broken.yaml: retries.attempts: '0' is not a whole number ≥ 1",
                "schedules/broken.yaml: retries.backoff: 'soon' is not a duration (500ms, 30s, 45m, 2h, 7d, 2w, 3mo, 1y)",
                "schedules/broken.yaml: timeout: 'forever' is not a duration (500ms, 30s, 45m, 2h, 7d, 2w, 3mo, 1y)",
                "schedules/broken.yaml: catch_up: 'twice' is not skip or once",
            ])
        folder.remove()
    }

    @Test func duplicateNamesAndMissingFields() throws {
        let folder = try project([
            "schedules/a.yaml": "name: same\ncron: '@daily'\nsteps: [tests]\n",
            "schedules/b.yaml": "name: same\ncron: '@hourly'\nsteps: [tests]\n",
            "schedules/c.yaml": "name: empty\n",
        ])
        let error = #expect(throws: ConfigErrors.self) {
            try ScheduleLoader(project: Project(root: folder.url)).loadAll()
        }
        #expect(
            Set((error?.errors ?? []).map(\.description)) == [
                "schedules/c.yaml: cron: missing",
                "schedules/c.yaml: steps: missing (a list such as [migrate, transforms, tests])",
                "schedules/b.yaml: name: 'same' is also used by schedules/a.yaml",
            ])
        folder.remove()
    }
}
