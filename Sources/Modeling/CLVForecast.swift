import Foundation

/// How far ahead and how steeply predicted CLV looks: H months of 4.345 weeks, discounted monthly.
public struct CLVForecast: Sendable, Equatable, Codable {
    /// Months ahead (H).
    public var horizonMonths: Int
    /// Monthly discount rate (d).
    public var monthlyDiscount: Double
    /// Model time unit in days: 1 (day) or 7 (week).
    public var unitDays: Int

    /// A month in weeks, the convention of the public implementations.
    public static let weeksPerMonth = 4.345

    public init(horizonMonths: Int, monthlyDiscount: Double, unitDays: Int) {
        self.horizonMonths = horizonMonths
        self.monthlyDiscount = monthlyDiscount
        self.unitDays = unitDays
    }

    /// One month in the model's unit.
    public var monthLength: Double { Self.weeksPerMonth * 7 / Double(unitDays) }

    /// For one purchase summary: E[X(t_H)] and Σᵢ (E[X(tᵢ)] − E[X(tᵢ₋₁)]) / (1 + d)ⁱ, the number of
    /// purchases to multiply by the expected average value to get predicted CLV.
    public func purchases(_ model: BGNBDModel, frequency: Int, recency: Double, age: Double) -> (
        expected: Double, discounted: Double
    ) {
        var previous = 0.0
        var discounted = 0.0
        for month in 1...max(horizonMonths, 1) {
            let expected = model.expectedPurchases(
                Double(month) * monthLength, frequency: frequency, recency: recency, age: age)
            discounted += (expected - previous) / pow(1 + monthlyDiscount, Double(month))
            previous = expected
        }
        return (previous, discounted)
    }
}
