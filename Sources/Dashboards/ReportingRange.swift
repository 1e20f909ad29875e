/// A half-open range of days `[from, to)` in the reporting time zone, and the period it is
/// compared with.
public struct ReportingRange: Sendable, Equatable, CustomStringConvertible {
    /// A calendar period a range starting on the 1st of a month belongs to.
    public enum Grain: Int, Sendable {
        case month = 1
        case quarter = 3
        case year = 12
    }

    public var from: Day
    public var to: Day
    /// The calendar period `from` starts, when it was written as one (`start_of_year`…): it decides
    /// what a partial range is compared with. Without it, the smallest period that holds the range.
    public var grain: Grain?

    public init(from: Day, to: Day, grain: Grain? = nil) {
        self.from = from
        self.to = to
        self.grain = grain
    }

    public var days: Int { to.daysSinceEpoch - from.daysSinceEpoch }

    /// The previous period:
    /// - a range starting on the 1st of a month is compared by calendar: `[from, to)` moves back
    ///   by whole months. Whole months move back by their count (`[Nov 1, Dec 1)` → `[Oct 1, Nov 1)`,
    ///   a calendar year → the calendar year before). A partial period (one that ends today) moves
    ///   back by its period (month, quarter or year), so it is compared with the same elapsed span
    ///   of the previous period, never with a full one; a year is a calendar year, not 365 or 366 days.
    /// - any other range is compared with the range of equal length just before it.
    public var previous: ReportingRange {
        guard from.day == 1, days > 0 else {
            return ReportingRange(from: from.adding(days: -days), to: from)
        }
        let span: Int
        // Months the range touches, counting a partial last month.
        let touched = from.months(to: Day(year: to.year, month: to.month, day: 1)) + (to.day == 1 ? 0 : 1)
        if let grain, touched <= grain.rawValue {
            span = grain.rawValue
        } else if to.day == 1 {
            span = touched
        } else if touched == 1 {
            span = 1
        } else if (from.month - 1) % 3 == 0 && touched <= 3 {
            span = 3
        } else if from.month == 1 && touched <= 12 {
            span = 12
        } else {
            span = touched
        }
        return ReportingRange(from: from.adding(months: -span), to: to.adding(months: -span), grain: grain)
    }

    public var description: String { "[\(from), \(to))" }
}
