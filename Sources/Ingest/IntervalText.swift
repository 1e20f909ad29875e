/// Reads a duration (`24h`, `7d`, `2w`, `90m`, or `N minutes|hours|days|weeks|months`) as
/// PostgreSQL `interval` text, refusing counts PostgreSQL cannot store.
enum IntervalText {
    private struct Unit {
        var suffix: UInt8?
        var word: String
        var counts: ClosedRange<Int>
    }

    /// Minutes and hours are stored as int64 microseconds, days and months as int32 (weeks as 7 days).
    private static let units = [
        Unit(suffix: 109, word: "minutes", counts: -(Int.max / 60_000_000)...(Int.max / 60_000_000)),
        Unit(suffix: 104, word: "hours", counts: -(Int.max / 3_600_000_000)...(Int.max / 3_600_000_000)),
        Unit(suffix: 100, word: "days", counts: Int(Int32.min)...Int(Int32.max)),
        Unit(suffix: 119, word: "weeks", counts: -(Int(Int32.max) / 7)...(Int(Int32.max) / 7)),
        Unit(suffix: nil, word: "months", counts: Int(Int32.min)...Int(Int32.max)),
    ]

    /// The interval text, or why `text` (already trimmed) is refused, worded to follow the quoted value.
    static func interval(_ text: String) -> Result<String, CoercionError> {
        let lowered = text.lowercased()
        let words = lowered.split(separator: " ")
        let count: Int?
        let unit: Unit?
        if words.count == 2 {
            count = Int(words[0])
            unit = units.first { $0.word == words[1] || $0.word.dropLast() == words[1] }
        } else {
            count = Int(lowered.dropLast()).flatMap { $0 >= 0 ? $0 : nil }
            unit = units.first { $0.suffix != nil && $0.suffix == lowered.utf8.last }
        }
        guard let unit, let count else { return .failure(.init("is not a duration (e.g. 24h, 7d, 30d)")) }
        guard unit.counts.contains(count) else {
            return .failure(.init("is out of range for an interval (at most \(unit.counts.upperBound) \(unit.word))"))
        }
        return .success(words.count == 2 ? lowered : "\(count) \(unit.word)")
    }
}
