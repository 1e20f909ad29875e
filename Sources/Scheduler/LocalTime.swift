import Foundation
import PostgresClient

/// A wall-clock minute in some time zone, and its mapping to instants across DST changes.
struct LocalTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute) = (year, month, day, hour, minute)
    }

    /// The wall clock at `instant` in `zone`.
    init(_ instant: Date, in zone: TimeZone) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let (y, m, d) = Self.civil(fromDays: days)
        let secondsOfDay = seconds - days * 86_400
        self.init(year: y, month: m, day: d, hour: secondsOfDay / 3600, minute: secondsOfDay / 60 % 60)
    }

    /// The wall clock read as if it were UTC, in seconds since 1970.
    var naiveSeconds: Int {
        Self.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60
    }

    /// The first instant the clock in `zone` shows this time. A time skipped by a forward change
    /// maps to the instant of the change; a time shown twice maps to its first occurrence.
    func firstInstant(in zone: TimeZone) -> Date? {
        let naive = naiveSeconds
        let offsets = Set(
            [-36 * 3600, 0, 36 * 3600].map { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(naive + $0))) }
        )
        let exact = offsets.map { naive - $0 }.filter { candidate in
            candidate + zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(candidate))) == naive
        }
        if let first = exact.min() { return Date(timeIntervalSince1970: Double(first)) }
        // In a gap: the change itself is the next valid time.
        let before = Date(timeIntervalSince1970: Double(naive - (offsets.max() ?? 0) - 7200))
        return zone.nextDaylightSavingTimeTransition(after: before)
    }

    /// 0 = Sunday … 6 = Saturday.
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let days = Self.days(year: year, month: month, day: day)
        return ((days % 7) + 11) % 7  // 1970-01-01 was a Thursday (4)
    }

    static func dayAfter(year: Int, month: Int, day: Int) -> (Int, Int, Int) {
        civil(fromDays: days(year: year, month: month, day: day) + 1)
    }

    /// Days since 1970-01-01.
    static func days(year: Int, month: Int, day: Int) -> Int { CivilDate.days(year: year, month: month, day: day) }

    static func civil(fromDays days: Int) -> (Int, Int, Int) { CivilDate.date(fromDays: days) }
}
