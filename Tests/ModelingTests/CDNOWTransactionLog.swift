import Foundation
import PostgresClient
import Testing

/// A conversion log whose RFM summary as of 1997-09-30 is the CDNOW sample's, row by row.
///
/// The sample gives recency t_x and age T in weeks to two decimals. A week is 7 days and 1/7 > 0.01,
/// so each two-decimal value is days / 7 for exactly one whole number of days: the log uses those
/// days, and the SQL summary gives back t_x and T to 0.01 weeks (the fit then sees days / 7, not the
/// rounded weeks). A customer's first purchase is T days before the observation end, the last
/// repeat t_x days after the first, and the x repeats sit on distinct days between them, each worth
/// zbar, so the mean repeat value is zbar. Every conversion is at noon UTC.
struct CDNOWTransactionLog {
    static let observationEnd = "1997-09-30"
    /// How many one-time customers get a $0 first (and only) conversion instead of a purchase.
    static let zeroRevenueCount = 8
    /// The value of a first purchase (the models never read it).
    static let firstPurchaseValue = "10.00"

    /// COPY text for `raw.conversions (conversion_id, customer_id, occurred_at, revenue)`.
    var copyText = ""
    /// The customers whose only conversion has no revenue: the first eight with x = 0.
    var zeroRevenueCustomers: Set<String> = []

    init(_ customers: [CDNOWFitTests.Customer]) throws {
        let end = CivilDate.days(year: 1997, month: 9, day: 30)
        for customer in customers {
            let age = try Self.days(weeks: customer.age, of: customer)
            let recency = try Self.days(weeks: customer.recency, of: customer)
            guard customer.frequency <= recency, (customer.frequency == 0) == (recency == 0), recency <= age else {
                throw LogError(
                    "customer \(customer.id): x = \(customer.frequency) repeat days do not fit in t_x = \(recency) days, T = \(age) days"
                )
            }
            let first = end - age
            var firstValue = Self.firstPurchaseValue
            if customer.frequency == 0 && zeroRevenueCustomers.count < Self.zeroRevenueCount {
                zeroRevenueCustomers.insert(customer.id)
                firstValue = "0"
            }
            append(customer.id, 0, day: first, value: firstValue)
            // Repeat k of x on day round(k · t_x / x): steps of t_x / x ≥ 1 day keep the days distinct,
            // and the last repeat falls on day t_x.
            for k in stride(from: 1, through: customer.frequency, by: 1) {
                let offset = (Double(k * recency) / Double(customer.frequency)).rounded()
                append(customer.id, k, day: first + Int(offset), value: String(format: "%.2f", customer.monetaryValue))
            }
        }
    }

    /// The whole days whose length in weeks rounds to `weeks` (given to two decimals).
    static func days(weeks: Double, of customer: CDNOWFitTests.Customer) throws -> Int {
        let days = Int((weeks * 7).rounded())
        guard (Double(days) / 7 * 100).rounded() == (weeks * 100).rounded() else {
            throw LogError("customer \(customer.id): no whole number of days is \(weeks) weeks to 0.01")
        }
        return days
    }

    private mutating func append(_ customer: String, _ index: Int, day: Int, value: String) {
        let noon = PostgresTimestamp.format(epochSeconds: day * 86_400 + 12 * 3_600)
        copyText += "cdnow-\(customer)-\(index)\t\(customer)\t\(noon)\t\(value)\n"
    }

    struct LogError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
