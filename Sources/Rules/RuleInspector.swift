import Core
import Foundation
import PostgresClient

/// What affiliate managers debug with: a customer's conversion log with the state accumulated
/// after each conversion and the outcomes on it, and why a rule has or has not fired yet.
public struct RuleInspector: Sendable {

    public init() {}

    /// One conversion in a customer's log.
    public struct Event: Sendable, Codable {
        public var conversionID: String
        public var occurredAt: String
        public var event: String
        public var offerID: String?
        public var partnerID: String?
        public var revenue: String
        /// Data points the conversion carried, by data point name.
        public var dataPoints: [String: String]
        /// After this conversion: per data point, how many values, their sum (numbers) and the last value;
        /// plus conversions, revenue and payout.
        public var accumulated: [String: String]
        /// Ledger entries on this conversion: `rule: +200 payout (fixed)`, `+5 revenue`, or a reversal.
        public var outcomes: [String]
    }

    /// The customer's conversions in time order, each with the state accumulated after it.
    public func conversionEvents(customer: String, on connection: PostgresConnection) async throws -> [Event] {
        let points = try await RuleStore().dataPoints(on: connection)
        let rows = try await connection.query(RulesSQL.statement("conversion_events", binding: [customer]))
        var counts: [String: Int] = [:]
        var sums: [String: Decimal] = [:]
        var last: [String: String] = [:]
        var conversions = 0
        var revenue = Decimal(0)
        var payout = Decimal(0)
        return try rows.map { row in
            let params =
                (try? JSONSerialization.jsonObject(with: Data((row["params"] ?? "{}").utf8)) as? [String: Any]) ?? [:]
            var carried: [String: String] = [:]
            for point in points {
                guard let value = params[point.parameter] else { continue }
                let text = "\(value)"
                carried[point.name] = text
                counts[point.name, default: 0] += 1
                last[point.name] = text
                if point.type == .number, let number = Decimal(string: text) { sums[point.name, default: 0] += number }
            }
            conversions += 1
            revenue += Decimal(string: row["revenue"] ?? "0") ?? 0
            payout += Decimal(string: row["payout"] ?? "0") ?? 0
            var accumulated: [String: String] = [
                "conversions": "\(conversions)", "revenue": "\(revenue)", "payout": "\(payout)",
            ]
            for point in points where counts[point.name] != nil {
                accumulated[point.name] =
                    point.type == .number
                    ? "sum \(sums[point.name] ?? 0), \(counts[point.name]!) value(s), last \(last[point.name]!)"
                    : "\(counts[point.name]!) value(s), last \(last[point.name]!)"
            }
            return Event(
                conversionID: try row.decode(String.self, "conversion_id"),
                occurredAt: try row.decode(String.self, "occurred_at"),
                event: try row.decode(String.self, "event"), offerID: row["offer_id"], partnerID: row["partner_id"],
                revenue: row["revenue"] ?? "0", dataPoints: carried, accumulated: accumulated,
                outcomes: (row["outcomes"] ?? "").isEmpty ? [] : (row["outcomes"] ?? "").components(separatedBy: "; "))
        }
    }

    /// One condition's standing for a customer in a scope group and cycle.
    public struct Standing: Sendable, Codable {
        public var scopeKey: String
        public var cycleStart: String?
        public var condition: String
        public var current: String
        public var holds: Bool
    }

    /// Each condition of `rule` for `customer`, at their latest conversion in each scope group and
    /// cycle, with the accumulated value; evaluated read-only and rolled back.
    public func explain(rule: String, customer: String, on connection: PostgresConnection) async throws -> (
        status: String, standings: [Standing], paid: [String]
    ) {
        // The rule's current version is explained.
        let current = try await connection.query(RulesSQL.statement("current_rule_status", binding: [rule]))
        guard let ruleStatus = current.first?["status"], let version = current.first?["name"] else {
            throw WarehouseError("no payout rule named '\(rule)'")
        }
        if current.first?["evaluated_on"] == "fits" {
            return try await explainOnModelOutputs(
                rule: rule, version: version, status: ruleStatus, customer: customer, on: connection)
        }
        let paid = try await connection.query(RulesSQL.statement("paid_outcomes", binding: [rule, customer]))
            .compactMap { $0[0] }
        let sql = try ["rule_facts", "rule_condition_state"].map {
            try RulesSQL.text($0)
        }
        // Temporary tables only, and rolled back: nothing is written.
        let rows = try await connection.rollingBack { connection -> PostgresRows in
            try await connection.execute(
                "create temp table clv_rule_set on commit drop as select \(version)::text as rule_name")
            try await connection.execute(
                "create temp table clv_rule_customers on commit drop as select \(customer)::text as customer_id")
            // The rule set holds just this rule, so an inactive one is explained as if it were active.
            for (name, text) in zip(["clv_rule_facts", "clv_rule_condition_state"], sql) {
                try await connection.execute(
                    SQL(unsafeSQL: "create temp table \(name) on commit drop as\n\(statementBody(of: text))"))
            }
            return try await connection.query(RulesSQL.statement("condition_standings", binding: [version]))
        }
        let standings = try rows.map {
            Standing(
                scopeKey: $0["scope_key"] ?? "", cycleStart: $0["cycle_start"],
                condition: try $0.decode(String.self, "condition"), current: $0["current"] ?? "",
                holds: try $0.decode(Bool.self, "holds"))
        }
        return (ruleStatus, standings, paid)
    }

    /// A rule on model outputs: each condition against the customer's values from the latest fit,
    /// and what was paid, on which fit — never reversed by a later fit.
    private func explainOnModelOutputs(
        rule: String, version: String, status: String, customer: String, on connection: PostgresConnection
    ) async throws -> (status: String, standings: [Standing], paid: [String]) {
        let rows = try await connection.query(
            RulesSQL.statement("model_condition_standings", binding: [customer, version]))
        let standings = try rows.map {
            Standing(
                scopeKey: "", cycleStart: nil, condition: try $0.decode(String.self, "condition"),
                current: $0["current"] ?? "", holds: try $0.decode(Bool.self, "holds"))
        }
        let paid = try await connection.query(RulesSQL.statement("paid_outcomes_on_fits", binding: [rule, customer]))
            .compactMap { $0[0] }
        return (status, standings, paid)
    }
}
