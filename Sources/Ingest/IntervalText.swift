import Core

/// Reads a duration in clv's grammar (``DurationText``: `24h`, `7d`, `2w`, `90m`, `3mo`, or
/// `N minutes|hours|days|weeks|months|years`) as PostgreSQL `interval` text, refusing counts
/// PostgreSQL cannot store. The word form takes a sign, as PostgreSQL's does; the short form not.
enum IntervalText {
    /// The counts each unit can hold: clock units are stored as int64 microseconds, days and weeks
    /// as int32 days, months and years as int32 months.
    private static func counts(_ unit: DurationText.Unit) -> ClosedRange<Int> {
        let limit: Int
        switch unit {
        case .days, .months: return Int(Int32.min)...Int(Int32.max)
        case .milliseconds: limit = Int.max / 1_000
        case .seconds: limit = Int.max / 1_000_000
        case .minutes: limit = Int.max / 60_000_000
        case .hours: limit = Int.max / 3_600_000_000
        case .weeks: limit = Int(Int32.max) / 7
        case .years: limit = Int(Int32.max) / 12
        }
        return -limit...limit
    }

    /// The interval text, or why `text` (already trimmed) is refused, worded to follow the quoted value.
    static func interval(_ text: String) -> Result<String, CoercionError> {
        guard let duration = DurationText.parse(text, signed: text.contains(" ")) else {
            return .failure(.init("is not a duration (e.g. 24h, 7d, 30d)"))
        }
        let range = counts(duration.unit)
        guard range.contains(duration.count) else {
            return .failure(
                .init("is out of range for an interval (at most \(range.upperBound) \(duration.unit.word))"))
        }
        return .success("\(duration.count) \(duration.unit.word)")
    }
}
