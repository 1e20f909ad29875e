/// A custom data point: a conversion parameter given a name and a type.
public struct DataPoint: Sendable, Equatable, Codable {
    /// How the values are compared.
    public enum Kind: String, Sendable, Codable { case text, number }
    public var name: String
    public var type: Kind
    /// The conversion parameter that carries it (`params ->> parameter`).
    public var parameter: String
}

/// A Customer Value payout rule: pay when a customer's accumulated activity meets its conditions.
public struct PayoutRule: Sendable, Equatable, Codable {
    /// Whether accumulation is per customer, or per customer and offer, partner or advertiser.
    public enum Grouping: String, Sendable, Codable {
        case allTogether = ""
        case offer, partner, advertiser
    }
    /// When accumulation resets (UTC days, ISO weeks, calendar months), if ever.
    public enum Cycle: String, Sendable, Codable { case continuous, daily, weekly, monthly }
    /// How often the outcome is paid.
    public enum Frequency: String, Sendable, Codable {
        case oncePerCustomer = "once_per_customer"
        case oncePerCycle = "once_per_cycle"
        case everyConversion = "every_conversion"
    }
    /// Which conversions may carry the outcome.
    public enum ApplyOn: Sendable, Equatable, Codable {
        case allConversions, baseOnly
        case events([String])
    }
    /// A fixed bonus (added to the payout), or a revenue share (replacing it).
    public enum Outcome: Sendable, Equatable, Codable {
        case fixed(amount: String)
        case revshare(percent: String)
    }

    public var name: String
    public var file: String
    public var active: Bool
    public var grouping: Grouping
    public var offers: [String]?
    public var partners: [String]?
    public var advertisers: [String]?
    /// First day the rule counts (inclusive), `YYYY-MM-DD`.
    public var start: String?
    /// Last day the rule counts (inclusive), `YYYY-MM-DD`.
    public var end: String?
    public var cycle: Cycle
    /// Days from the customer's first conversion in the scope group; nil: the rule's duration.
    public var windowDays: Int?
    public var conditions: [Condition]
    public var frequency: Frequency
    public var applyOn: ApplyOn
    public var outcome: Outcome
}

/// One condition on a data point or a built-in metric (`conversions`, `revenue`, `payout`).
public struct Condition: Sendable, Equatable, Codable {
    /// How the received values are combined before the operator is applied.
    public enum Logic: String, Sendable, Codable {
        case anyValue = "any_value"
        case sumOfValues = "sum_of_values"
        case countOfValues = "count_of_values"
    }
    public var subject: String
    /// The data point's parameter; nil for built-in metrics.
    public var parameter: String?
    public var valueType: DataPoint.Kind
    public var logic: Logic
    public var op: String
    public var textValue: String?
    public var textValues: [String]?
    public var numberValue: String?
    public var numberHigh: String?

    public static let textOperators = ["exact_match", "not_equal", "contains", "starts_with", "in_list"]
    public static let numberOperators = [
        "greater_than", "greater_or_equal", "less_than", "less_or_equal", "equal", "between",
    ]
    /// Metrics every conversion has, usable like number data points.
    public static let builtInMetrics = ["conversions", "revenue", "payout"]
}
