import Foundation
import Scheduler
import Testing

/// Next run times against answers worked out by hand (and checked with Python's zoneinfo).
@Suite struct CronExpressionTests {
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let newYork = TimeZone(identifier: "America/New_York")!
    static let utc = TimeZone(identifier: "UTC")!

    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text.count == 16 ? text + ":00Z" : text)!
    }

    static func text(_ date: Date?) -> String {
        guard let date else { return "none" }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return String(formatter.string(from: date).prefix(16))
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var cron: String
        var zone: TimeZone
        var after: String
        /// The next runs, UTC, to the minute.
        var expected: [String]
        var testDescription: String { "\(cron) in \(zone.identifier) after \(after)" }
    }

    static let cases: [Case] = [
        Case(
            cron: "15 3 * * *", zone: berlin, after: "2025-01-10T12:00",
            expected: ["2025-01-11T02:15", "2025-01-12T02:15"]),
        // Spring forward in Berlin (2025-03-30, 02:00 → 03:00): 02:30 does not exist; it runs once, at 03:00 CEST.
        Case(
            cron: "30 2 * * *", zone: berlin, after: "2025-03-29T12:00",
            expected: ["2025-03-30T01:00", "2025-03-31T00:30"]),
        // Fall back in Berlin (2025-10-26, 03:00 → 02:00): 02:30 happens twice; it runs once, at the first.
        Case(
            cron: "30 2 * * *", zone: berlin, after: "2025-10-25T12:00",
            expected: ["2025-10-26T00:30", "2025-10-27T01:30"]),
        // New York spring forward (2025-03-09) and fall back (2025-11-02).
        Case(
            cron: "30 2 * * *", zone: newYork, after: "2025-03-08T12:00",
            expected: ["2025-03-09T07:00", "2025-03-10T06:30"]),
        Case(
            cron: "30 1 * * *", zone: newYork, after: "2025-11-01T12:00",
            expected: ["2025-11-02T05:30", "2025-11-03T06:30"]),
        // Feb 29 only in leap years.
        Case(
            cron: "0 0 29 2 *", zone: utc, after: "2025-01-01T00:00",
            expected: ["2028-02-29T00:00", "2032-02-29T00:00"]),
        // Day-of-month and day-of-week both set: either matches (2025-06-02 Mon, 06-06 Fri, 06-13 Fri and the 13th).
        Case(
            cron: "0 12 13 * fri", zone: utc, after: "2025-06-01T00:00",
            expected: ["2025-06-06T12:00", "2025-06-13T12:00", "2025-06-20T12:00"]),
        Case(
            cron: "0 12 13 * mon", zone: utc, after: "2025-06-01T00:00",
            expected: ["2025-06-02T12:00", "2025-06-09T12:00", "2025-06-13T12:00", "2025-06-16T12:00"]),
        // Only one of them set: the other is ignored.
        Case(
            cron: "0 0 13 * *", zone: utc, after: "2025-06-01T00:00",
            expected: ["2025-06-13T00:00", "2025-07-13T00:00"]),
        // Steps, ranges and names: 2025-01-03 is a Friday, so the next weekday is Monday the 6th.
        Case(
            cron: "*/20 9-10 * jan-mar mon-fri", zone: utc, after: "2025-01-03T10:50",
            expected: ["2025-01-06T09:00", "2025-01-06T09:20", "2025-01-06T09:40", "2025-01-06T10:00"]),
        Case(
            cron: "5,35 */6 * * *", zone: utc, after: "2025-01-01T05:00",
            expected: ["2025-01-01T06:05", "2025-01-01T06:35", "2025-01-01T12:05"]),
        Case(
            cron: "@hourly", zone: utc, after: "2025-01-01T00:00", expected: ["2025-01-01T01:00", "2025-01-01T02:00"]),
        // @weekly is Sunday midnight; 7 is Sunday too. 2025-01-01 is a Wednesday.
        Case(
            cron: "@weekly", zone: utc, after: "2025-01-01T00:00", expected: ["2025-01-05T00:00", "2025-01-12T00:00"]),
        Case(cron: "0 0 * * 7", zone: utc, after: "2025-01-01T00:00", expected: ["2025-01-05T00:00"]),
        Case(
            cron: "@monthly", zone: berlin, after: "2025-01-15T00:00",
            expected: ["2025-01-31T23:00", "2025-02-28T23:00"]),
        Case(
            cron: "0 0 31 * *", zone: utc, after: "2025-01-31T00:00",
            expected: ["2025-03-31T00:00", "2025-05-31T00:00"]),
    ]

    @Test(arguments: cases) func nextRuns(_ testCase: Case) throws {
        let cron = try CronExpression(testCase.cron)
        let runs = cron.upcoming(after: Self.instant(testCase.after), in: testCase.zone, count: testCase.expected.count)
        #expect(runs.map(Self.text) == testCase.expected)
    }

    @Test func hourlyJobAcrossFallBackRunsEachWallClockHourOnce() throws {
        // 00:00 … 04:00 local on 2025-10-26 in Berlin: 02:15 happens twice but runs once.
        let runs = try CronExpression("15 * * * *").upcoming(
            after: Self.instant("2025-10-25T22:00"), in: Self.berlin, count: 4)
        #expect(
            runs.map(Self.text) == ["2025-10-25T22:15", "2025-10-25T23:15", "2025-10-26T00:15", "2025-10-26T02:15"])
    }

    @Test func badExpressionsNameTheField() {
        let cases: [(String, String)] = [
            ("61 * * * *", "minute"), ("0 24 * * *", "hour"), ("0 0 0 * *", "day-of-month"),
            ("0 0 * foo *", "month"), ("0 0 * * 8", "day-of-week"), ("*/0 * * * *", "minute"),
            ("5-1 * * * *", "minute"), ("* * * *", "expression"), ("* * * * * *", "expression"),
            ("@often", "expression"),
            ("1,,2 * * * *", "minute"),
        ]
        for (text, field) in cases {
            #expect(throws: CronError.self, "\(text)") { try CronExpression(text) }
            do {
                _ = try CronExpression(text)
            } catch let error as CronError {
                #expect(error.field == field, "\(text): \(error)")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }
}
