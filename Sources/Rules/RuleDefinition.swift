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
    /// A fixed amount (added to the payout or the booked revenue), or a share of the conversion's
    /// revenue (replacing it; with several, the largest).
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
    /// Where a window from the first conversion starts.
    public enum WindowStart: String, Sendable, Codable {
        /// The customer's first conversion, whatever its offer or partner (the rule builder's meaning).
        case customer
        /// The customer's first conversion in the rule's scope group, after the Apply-To filter.
        case scope
    }

    /// Days from the customer's first conversion; nil: the rule's duration.
    public var windowDays: Int?
    /// Which first conversion `windowDays` counts from.
    public var windowFrom: WindowStart = .customer
    /// Every condition, each in a group (0: the top level, where all must hold).
    public var conditions: [Condition]
    /// The `any_of` / `all_of` groups the conditions sit in, parents before children.
    public var groups: [ConditionGroup] = []
    public var frequency: Frequency
    public var applyOn: ApplyOn
    /// Whether its conditions are on model outputs: then it is evaluated when `clv predict`
    /// publishes a fit, pays once per customer on their latest conversion, and is never reversed
    /// by a later fit.
    public var onModelOutputs: Bool {
        conditions.contains { Condition.modelMetrics.contains($0.subject) && $0.parameter == nil }
    }
    /// What the rule pays the partner, if anything.
    public var outcome: Outcome?
    /// What the rule books as revenue from the advertiser, if anything.
    public var revenueOutcome: Outcome? = nil
}

/// An `any_of` or `all_of` group of conditions: in the top level, or in another group (one level).
public struct ConditionGroup: Sendable, Equatable, Codable {
    /// How the members combine.
    public enum Combine: String, Sendable, Codable {
        case all, any
    }
    /// 1, 2, … in the order the groups appear.
    public var id: Int
    /// The enclosing group: 0 for the top level.
    public var parent: Int
    public var combine: Combine
}

/// One condition on a data point or a built-in metric (`conversions`, `revenue`, `payout`, `event`).
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
    /// The group it sits in (0: the top level).
    public var group: Int = 0
    /// When set, only conversions with one of these events count towards it (Apply Condition To).
    public var events: [String]?

    public static let textOperators = ["exact_match", "not_equal", "contains", "starts_with", "in_list"]
    public static let numberOperators = [
        "greater_than", "greater_or_equal", "less_than", "less_or_equal", "equal", "between",
    ]
    /// Metrics every conversion has, usable like number data points.
    public static let builtInMetrics = ["conversions", "revenue", "payout"]
    /// The conversion's event name, usable like a text data point.
    public static let builtInTextMetrics = ["event"]
    /// The customer's values from the latest published fit (`clv predict`) and their 365-day CLV
    /// decile: a rule on them is evaluated when a fit is published, not on conversions.
    public static let modelMetrics = ["predicted_clv", "p_alive", "predicted_decile", "clv_decile"]
}
