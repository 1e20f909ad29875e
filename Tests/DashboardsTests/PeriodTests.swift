import Testing

@testable import Core
@testable import Dashboards

/// Previous-period rules and relative dates, computed by hand.
@Suite struct PeriodTests {
    func range(_ from: String, _ to: String, _ grain: ReportingRange.Grain? = nil) -> ReportingRange {
        ReportingRange(from: Day(from)!, to: Day(to)!, grain: grain)
    }

    func previous(_ from: String, _ to: String, _ grain: ReportingRange.Grain? = nil) -> String {
        range(from, to, grain).previous.description
    }

    @Test func wholeCalendarPeriods() {
        #expect(previous("2025-11-01", "2025-12-01") == "[2025-10-01, 2025-11-01)")
        #expect(previous("2025-03-01", "2025-04-01") == "[2025-02-01, 2025-03-01)")  // 28 days, not 31
        #expect(previous("2025-01-01", "2026-01-01") == "[2024-01-01, 2025-01-01)")  // 366 days: a calendar year
        #expect(previous("2025-07-01", "2025-10-01") == "[2025-04-01, 2025-07-01)")
    }

    @Test func partialPeriodsCompareTheSameElapsedSpan() {
        // Month to date on Nov 23 (to = today, exclusive): Oct 1 – Oct 23, not the whole of October.
        #expect(previous("2025-11-01", "2025-11-23") == "[2025-10-01, 2025-10-23)")
        // Quarter to date, year to date.
        #expect(previous("2025-10-01", "2025-11-23") == "[2025-07-01, 2025-08-23)")
        #expect(previous("2025-01-01", "2025-11-23") == "[2024-01-01, 2024-11-23)")
        // January 1–15 is a month to date unless it was written as start_of_year.
        #expect(previous("2026-01-01", "2026-01-15") == "[2025-12-01, 2025-12-15)")
        #expect(previous("2026-01-01", "2026-01-15", .year) == "[2025-01-01, 2025-01-15)")
        // March 1–31 in a leap year: February has 29 days, so Feb 1 – Feb 29.
        #expect(previous("2024-03-01", "2024-03-31") == "[2024-02-01, 2024-02-29)")
    }

    @Test func otherRangesCompareWithEqualLengthJustBefore() {
        #expect(previous("2025-11-10", "2025-11-20") == "[2025-10-31, 2025-11-10)")
        #expect(previous("2025-03-02", "2025-03-09") == "[2025-02-23, 2025-03-02)")
    }

    @Test func relativeDates() throws {
        let today = Day("2026-11-23")!  // a Monday
        #expect(try ParameterValue.resolve("today", today: today) == "2026-11-23")
        #expect(try ParameterValue.resolve("-30d", today: today) == "2026-10-24")
        #expect(try ParameterValue.resolve("+2w", today: today) == "2026-12-07")
        #expect(try ParameterValue.resolve("-1y", today: today) == "2025-11-23")
        #expect(try ParameterValue.resolve("start_of_week", today: Day("2026-11-26")!) == "2026-11-23")
        #expect(try ParameterValue.resolve("start_of_month", today: today) == "2026-11-01")
        #expect(try ParameterValue.resolve("start_of_quarter", today: today) == "2026-10-01")
        #expect(try ParameterValue.resolve("start_of_year", today: today) == "2026-01-01")
        #expect(try ParameterValue.resolve("start_of_month-1mo", today: Day("2026-03-31")!) == "2026-02-01")
        #expect(try ParameterValue.resolve("-1mo", today: Day("2026-03-31")!) == "2026-02-28")
        #expect(try ParameterValue.resolve("p1", today: today) == "p1")
        #expect(throws: ParameterValue.Invalid.self) { try ParameterValue.resolve("2025-02-30", today: today) }
        #expect(throws: ParameterValue.Invalid.self) { try ParameterValue.resolve("start_of_decade", today: today) }
        #expect(throws: ParameterValue.Invalid.self) { try ParameterValue.resolve("-3q", today: today) }
        // One duration grammar: m is minutes everywhere, so it cannot move a date.
        #expect(throws: ParameterValue.Invalid.self) { try ParameterValue.resolve("-1m", today: today) }
        #expect(throws: ParameterValue.Invalid.self) { try ParameterValue.resolve("start_of_month+5h", today: today) }
    }

    @Test func namedParametersBecomePlaceholders() {
        let numbered = SQLLexer.numberingNamedParameters(
            in: "select ':x' as s, a::date -- :y\nfrom t where d >= :from and d < :to and e = :from /* :z */")
        #expect(
            numbered.text == "select ':x' as s, a::date -- :y\nfrom t where d >= $1 and d < $2 and e = $1 /* :z */")
        #expect(numbered.names == ["from", "to"])
        // "and d <" starts at offset 55 in the original and 52 in the numbered text (":from" → "$1").
        #expect(numbered.originalOffset(of: 52) == 55)
        #expect(numbered.originalOffset(of: 50) == 50)  // inside "$1": the parameter's start
    }
}
