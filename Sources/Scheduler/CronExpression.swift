import Foundation

/// A standard 5-field cron expression (`minute hour day-of-month month day-of-week`) with lists,
/// ranges, steps, month and day names, and `@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`.
///
/// When both day-of-month and day-of-week are restricted, a day matches if either does
/// (standard cron). Times are computed in an IANA time zone; across DST changes a local time
/// skipped by the clock fires once at the change, and a local time that happens twice fires once,
/// at its first occurrence.
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField
    public let description: String

    static let macros: [String: String] = [
        "@hourly": "0 * * * *", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@weekly": "0 0 * * 0",
        "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *",
    ]

    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let expanded = Self.macros[trimmed.lowercased()] ?? trimmed
        if expanded.hasPrefix("@") { throw CronError(field: "expression", reason: "unknown macro '\(trimmed)'") }
        let fields = expanded.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            throw CronError(
                field: "expression",
                reason: "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)")
        }
        minutes = try CronField(fields[0], name: "minute", range: 0...59)
        hours = try CronField(fields[1], name: "hour", range: 0...23)
        daysOfMonth = try CronField(fields[2], name: "day-of-month", range: 1...31)
        months = try CronField(
            fields[3], name: "month", range: 1...12,
            names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
        daysOfWeek = try CronField(
            fields[4], name: "day-of-week", range: 0...6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
            sundaySeven: true)
        description = trimmed
    }

    /// Whether a local calendar day is a run day.
    func matchesDay(year: Int, month: Int, day: Int) -> Bool {
        guard months.contains(month) else { return false }
        let weekday = LocalTime.weekday(year: year, month: month, day: day)
        let byMonthDay = daysOfMonth.contains(day)
        let byWeekDay = daysOfWeek.contains(weekday)
        if daysOfMonth.isWildcard || daysOfWeek.isWildcard { return byMonthDay && byWeekDay }
        return byMonthDay || byWeekDay
    }

    /// The first run strictly after `instant`, in `zone`; nil when none within 8 years.
    public func next(after instant: Date, in zone: TimeZone) -> Date? {
        let start = LocalTime(instant, in: zone)
        var (year, month, day) = (start.year, start.month, start.day)
        for _ in 0..<(366 * 8) {
            if matchesDay(year: year, month: month, day: day) {
                for hour in hours.allowed.sorted() {
                    for minute in minutes.allowed.sorted() {
                        let local = LocalTime(year: year, month: month, day: day, hour: hour, minute: minute)
                        guard let fire = local.firstInstant(in: zone), fire > instant else { continue }
                        return fire
                    }
                }
            }
            (year, month, day) = LocalTime.dayAfter(year: year, month: month, day: day)
        }
        return nil
    }

    /// The next `count` runs after `instant`.
    public func upcoming(after instant: Date, in zone: TimeZone, count: Int) -> [Date] {
        var runs: [Date] = []
        var cursor = instant
        while runs.count < count, let next = next(after: cursor, in: zone) {
            runs.append(next)
            cursor = next
        }
        return runs
    }
}
