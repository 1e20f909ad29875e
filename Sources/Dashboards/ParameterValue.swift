import Core
import Foundation

/// Resolves a parameter default: relative dates become `YYYY-MM-DD`, anything else stays text.
///
/// Dates: `today`, `yesterday`, `start_of_week` (Monday), `start_of_month`, `start_of_quarter`,
/// `start_of_year`, each optionally followed by an offset (`start_of_month-1mo`), an offset alone
/// relative to today (`-30d`, `+2w`, `-3mo`, `-1y`), or a date (`2025-01-31`).
public enum ParameterValue {
    /// A date expression that cannot be read.
    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// `text` with a date expression replaced by its `YYYY-MM-DD` relative to `today`.
    public static func resolve(_ text: String, today: Day) throws -> String {
        try date(text, today: today)?.description ?? text
    }

    /// The date `text` stands for, nil when it is not a date expression at all.
    public static func date(_ text: String, today: Day) throws -> Day? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let day = Day(trimmed) { return day }
        if trimmed.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil {
            throw Invalid(description: "'\(text)' is not a real date")
        }
        let weekday = ((today.daysSinceEpoch + 3) % 7 + 7) % 7  // 1970-01-01 was a Thursday; Monday = 0
        let anchors: [(String, Day)] = [
            ("start_of_quarter", Day(year: today.year, month: (today.month - 1) / 3 * 3 + 1, day: 1)),
            ("start_of_month", Day(year: today.year, month: today.month, day: 1)),
            ("start_of_year", Day(year: today.year, month: 1, day: 1)),
            ("start_of_week", today.adding(days: -weekday)),
            ("yesterday", today.adding(days: -1)),
            ("today", today),
        ]
        var base = today
        var rest = Substring(trimmed)
        var anchored = false
        for (word, day) in anchors where rest.hasPrefix(word) {
            base = day
            rest = rest.dropFirst(word.count)
            anchored = true
            break
        }
        if rest.isEmpty { return anchored ? base : nil }
        let offset = rest.first == "+" || rest.first == "-" ? DurationText.parse(String(rest), signed: true) : nil
        guard let offset, abs(offset.count) <= 99_999 else {
            if anchored || trimmed.hasPrefix("start_of") || trimmed.wholeMatch(of: /[+-]\d+[a-z]+/) != nil {
                throw Invalid(
                    description:
                        "'\(text)' is not a date expression (today, yesterday, start_of_week|month|quarter|year, ±N d|w|mo|y, YYYY-MM-DD)"
                )
            }
            return nil
        }
        if let days = offset.days { return base.adding(days: days) }
        if let months = offset.months { return base.adding(months: months) }
        throw Invalid(
            description:
                "'\(text)': a date moves by days, weeks, months or years (d, w, mo, y)\(offset.unit == .minutes ? "; m is minutes, months are mo" : "")"
        )
    }
}
