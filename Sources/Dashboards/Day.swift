import Foundation
import PostgresClient

/// A calendar date (proleptic Gregorian), with the arithmetic reporting ranges need.
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil when it is not a real date.
    public init?(_ text: String) {
        guard let (year, month, day) = CivilDate.parse(text) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Today's date in `zone`.
    public static func today(in zone: TimeZone, now: Date = Date()) -> Day {
        let seconds = Int(now.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: now)
        return Day(daysSinceEpoch: Int((Double(seconds) / 86_400).rounded(.down)))
    }

    public init(daysSinceEpoch: Int) {
        let (year, month, day) = CivilDate.date(fromDays: daysSinceEpoch)
        self.init(year: year, month: month, day: day)
    }

    public var daysSinceEpoch: Int { CivilDate.days(year: year, month: month, day: day) }

    public func adding(days: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + days) }

    /// The same day-of-month `months` later (or earlier), clamped to the month's last day.
    public func adding(months: Int) -> Day {
        let index = year * 12 + (month - 1) + months
        let newYear = Int((Double(index) / 12).rounded(.down))
        let newMonth = index - newYear * 12 + 1
        return Day(year: newYear, month: newMonth, day: min(day, CivilDate.daysIn(year: newYear, month: newMonth)))
    }

    /// Whole months from `self` to `other` when both are the 1st of a month.
    func months(to other: Day) -> Int { (other.year - year) * 12 + (other.month - month) }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
