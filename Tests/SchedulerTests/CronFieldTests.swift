import Testing

@testable import Scheduler

/// One cron field's values, for the forms `CronExpressionTests` does not reach: a step from a
/// single value, a stepped range, weekday ranges through Sunday written as 7 or `sun`, names in
/// any case, and which spellings count as a wildcard.
@Suite struct CronFieldTests {
    static func minutes(_ text: Substring) throws -> CronField {
        try CronField(text, name: "minute", range: 0...59)
    }

    static func weekdays(_ text: Substring) throws -> CronField {
        try CronField(
            text, name: "day-of-week", range: 0...6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
            sundaySeven: true)
    }

    static func values(_ field: CronField) -> [Int] {
        field.range.filter(field.contains)
    }

    @Test func aStepFromOneValueRunsToTheEndOfTheRange() throws {
        #expect(Self.values(try Self.minutes("5/15")) == [5, 20, 35, 50])
    }

    @Test func aSteppedRangeIncludesItsEndWhenTheStepLandsOnIt() throws {
        #expect(Self.values(try Self.minutes("10-40/10")) == [10, 20, 30, 40])
        #expect(Self.values(try Self.minutes("10-45/10")) == [10, 20, 30, 40])
    }

    @Test func weekdayRangesEndingOnSundayWrapToZero() throws {
        #expect(Self.values(try Self.weekdays("fri-sun")) == [0, 5, 6])
        #expect(Self.values(try Self.weekdays("5-7")) == [0, 5, 6])
        #expect(Self.values(try Self.weekdays("7")) == [0])
        #expect(Self.values(try Self.weekdays("SAT,Sun")) == [0, 6])
    }

    @Test func onlyAStarAloneIsAWildcard() throws {
        #expect(try Self.minutes("*").isWildcard)
        #expect(try Self.minutes("*/1").isWildcard)
        #expect(try !Self.minutes("*/2").isWildcard)
        #expect(try !Self.minutes("*,5").isWildcard)
        #expect(try !Self.minutes("0-59").isWildcard)
    }

    @Test func aRangeFromANameToANumberIsRead() throws {
        #expect(Self.values(try Self.weekdays("mon-3")) == [1, 2, 3])
    }
}
