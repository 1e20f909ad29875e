/// The one grammar for durations clv reads, wherever it reads them (schedules, destinations, the
/// ingest attribution window, dashboard date offsets, the predict horizon, rule windows):
/// `<count><unit>` such as `500ms`, `30s`, `45m`, `2h`, `7d`, `2w`, `3mo`, `1y`, or
/// `<count> <unit word>` such as `30 days`. `m` is always minutes; months are `mo`.
///
/// Each reader accepts the units that make sense for it (a timeout needs a fixed length, a date
/// offset whole days or months) and says which when it refuses one.
public struct DurationText: Sendable, Equatable, CustomStringConvertible {
    /// A unit, with its suffix as raw value.
    public enum Unit: String, Sendable, CaseIterable {
        case milliseconds = "ms"
        case seconds = "s"
        case minutes = "m"
        case hours = "h"
        case days = "d"
        case weeks = "w"
        case months = "mo"
        case years = "y"

        /// The unit's word, plural.
        public var word: String { "\(self)" }

        /// Its fixed length in seconds; nil for the calendar units (months, years).
        public var seconds: Double? {
            switch self {
            case .milliseconds: 0.001
            case .seconds: 1
            case .minutes: 60
            case .hours: 3600
            case .days: 86_400
            case .weeks: 604_800
            case .months, .years: nil
            }
        }
    }

    /// The count, negative only for a signed offset.
    public var count: Int
    public var unit: Unit

    public init(count: Int, unit: Unit) {
        self.count = count
        self.unit = unit
    }

    /// How the grammar is described in errors.
    public static let examples = "500ms, 30s, 45m, 2h, 7d, 2w, 3mo, 1y"

    /// Reads `text` (surrounding blanks ignored, any case); nil when it is not a duration. A
    /// leading `+` or `-` is accepted only when `signed`.
    public static func parse(_ text: String, signed: Bool = false) -> DurationText? {
        var rest = Substring(text.trimming([" ", "\t"]).lowercased())
        var sign = 1
        if signed, let first = rest.first, first == "+" || first == "-" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 18, let count = Int(digits) else { return nil }
        let suffix = rest.dropFirst(digits.count)
        let word = suffix.hasPrefix(" ") ? String(suffix.dropFirst()) : nil
        let unit = Unit.allCases.first { unit in
            if let word { return word == unit.word || word == String(unit.word.dropLast()) }
            return suffix == unit.rawValue
        }
        return unit.map { DurationText(count: sign * count, unit: $0) }
    }

    /// The fixed length in seconds; nil for months and years.
    public var seconds: Double? { unit.seconds.map { Double(count) * $0 } }

    /// Whole days for `d` and `w`; nil otherwise.
    public var days: Int? {
        switch unit {
        case .days: count
        case .weeks: count * 7
        default: nil
        }
    }

    /// Whole months for `mo` and `y`; nil otherwise.
    public var months: Int? {
        switch unit {
        case .months: count
        case .years: count * 12
        default: nil
        }
    }

    /// Why a text was refused, worded to follow the quoted value (`'soon' is not a duration …`).
    public struct Refusal: Error, Sendable, Equatable {
        public var reason: String
    }

    /// A fixed length in seconds (`500ms` to `2w`), refusing what is not a duration, negative, or
    /// a calendar length.
    public static func fixedSeconds(_ text: String) -> Result<Double, Refusal> {
        guard let duration = parse(text) else { return .failure(Refusal(reason: "is not a duration (\(examples))")) }
        guard let seconds = duration.seconds else {
            return .failure(Refusal(reason: "is a calendar length; expected a fixed one such as 45m, 2h or 7d"))
        }
        return .success(seconds)
    }

    /// The canonical short form, e.g. `45m`.
    public var description: String { "\(count)\(unit.rawValue)" }
}
