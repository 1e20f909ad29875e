/// Identical RFM summaries counted once: the BG/NBD input. Rows are kept grouped by frequency so the
/// terms that depend only on the frequency are computed once per distinct value.
public struct PurchaseSummaries: Sendable {
    /// Repeat purchase periods (x).
    public private(set) var frequency: [Int] = []
    /// Time from the first to the last purchase (tₓ), in the model's unit.
    public private(set) var recency: [Double] = []
    /// Time from the first purchase to the end of observation (T), in the model's unit.
    public private(set) var age: [Double] = []
    /// How many customers share the summary.
    public private(set) var weight: [Double] = []

    public init() {}

    /// Adds `count` customers with one summary; rejects impossible summaries.
    public mutating func append(frequency: Int, recency: Double, age: Double, count: Double = 1) throws {
        guard frequency >= 0, recency >= 0, age >= recency, count > 0, recency.isFinite, age.isFinite else {
            throw ModelingError(
                "impossible purchase summary: frequency \(frequency), recency \(recency), T \(age), count \(count)")
        }
        guard frequency > 0 || recency == 0 else {
            throw ModelingError("a customer without repeat purchases has recency \(recency), not 0")
        }
        self.frequency.append(frequency)
        self.recency.append(recency)
        self.age.append(age)
        self.weight.append(count)
    }

    public var isEmpty: Bool { frequency.isEmpty }
    public var count: Int { frequency.count }
    /// Customers represented (the sum of the weights).
    public var customers: Double { weight.reduce(0, +) }

    /// Row ranges sharing one frequency, after sorting by frequency.
    func groupedByFrequency() -> (rows: PurchaseSummaries, groups: [(frequency: Int, range: Range<Int>)]) {
        let order = frequency.indices.sorted { frequency[$0] < frequency[$1] }
        var sorted = PurchaseSummaries()
        sorted.frequency = order.map { frequency[$0] }
        sorted.recency = order.map { recency[$0] }
        sorted.age = order.map { age[$0] }
        sorted.weight = order.map { weight[$0] }
        var groups: [(Int, Range<Int>)] = []
        var start = 0
        while start < sorted.count {
            var end = start
            while end < sorted.count && sorted.frequency[end] == sorted.frequency[start] { end += 1 }
            groups.append((sorted.frequency[start], start..<end))
            start = end
        }
        return (sorted, groups)
    }
}

/// Identical (frequency, mean spend) pairs of repeat customers counted once: the Gamma-Gamma input.
public struct SpendSummaries: Sendable {
    /// Repeat purchase periods (x > 0).
    public private(set) var frequency: [Int] = []
    /// Mean value of the repeat purchases (m̄ₓ > 0).
    public private(set) var monetaryValue: [Double] = []
    public private(set) var weight: [Double] = []

    public init() {}

    /// Adds `count` customers with one summary; rejects customers the spend model cannot use.
    public mutating func append(frequency: Int, monetaryValue: Double, count: Double = 1) throws {
        guard frequency > 0, monetaryValue > 0, monetaryValue.isFinite, count > 0 else {
            throw ModelingError(
                "the spend model needs repeat customers with a positive mean value; got frequency \(frequency), value \(monetaryValue)"
            )
        }
        self.frequency.append(frequency)
        self.monetaryValue.append(monetaryValue)
        self.weight.append(count)
    }

    public var isEmpty: Bool { frequency.isEmpty }
    public var count: Int { frequency.count }
    public var customers: Double { weight.reduce(0, +) }
}

/// A modeling problem: bad input or a fit that cannot be used.
public struct ModelingError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
