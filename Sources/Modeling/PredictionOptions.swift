import Core
import Foundation
import PostgresClient

/// What `clv predict` fits and scores.
public struct PredictionOptions: Sendable, Equatable {
    /// The model's time unit.
    public enum Unit: String, Sendable, Codable, CaseIterable {
        case day, week
        public var days: Int { self == .day ? 1 : 7 }
    }

    /// Which revenue events are purchases (issue #16, "One truth for revenue, orders, cost and deciles").
    public enum Purchases: String, Sendable, Codable, CaseIterable {
        /// The project's definition: a purchase is a revenue event with amount > 0, and a purchase
        /// day's value is the sum of that day's purchases (refunds are not purchases).
        case positiveRevenue = "positive-revenue"
        /// Every conversion day is a purchase day, zero revenue included, valued at the sum of its
        /// revenue, as in the published CDNOW analyses.
        case anyConversion = "any-conversion"

        /// The modes for messages, e.g. `positive-revenue or any-conversion`.
        public static var choices: String { allCases.map(\.rawValue).joined(separator: " or ") }
    }

    /// The last day of the observation period (inclusive); later transactions are ignored.
    public var observationEnd: String
    public var unit: Unit = .week
    public var purchases: Purchases = .positiveRevenue
    public var horizonMonths: Int = 12
    public var monthlyDiscount: Double = 0.01
    /// L2 penalty on the parameters of both fits (0: plain maximum likelihood).
    public var penalizer: Double = 0

    public init(observationEnd: String) {
        self.observationEnd = observationEnd
    }

    public var forecast: CLVForecast {
        CLVForecast(horizonMonths: horizonMonths, monthlyDiscount: monthlyDiscount, unitDays: unit.days)
    }

    /// The horizon's column suffix, e.g. `12m`.
    public var horizonLabel: String { "\(horizonMonths)m" }

    /// Parses a horizon in months or years (`12mo`, `18 months`, `1y`) into months, up to 100 years.
    public static func months(fromHorizon text: String) throws -> Int {
        let duration = DurationText.parse(text)
        guard let months = duration?.months, months > 0, months <= 1200 else {
            let minutes = duration?.unit == .minutes ? " (m is minutes; months are mo)" : ""
            throw ModelingError("horizon \"\(text)\": expected months or years such as 12mo or 1y\(minutes)")
        }
        return months
    }

    /// Today's UTC date as `YYYY-MM-DD`.
    public static func today(_ now: Date = Date()) -> String {
        String(PostgresTimestamp.format(now).prefix(10))
    }

    /// Checks a `YYYY-MM-DD` date.
    public static func validDate(_ text: String) throws -> String {
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else {
            throw ModelingError("as-of date \"\(text)\": expected YYYY-MM-DD")
        }
        guard CivilDate.parse(text) != nil else { throw ModelingError("as-of date \"\(text)\": no such day") }
        return text
    }
}
