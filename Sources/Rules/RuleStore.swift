import Foundation
import PostgresClient
import Warehouse

/// Saves rule definitions as data (`clv_meta.data_points`, `payout_rules`, `rule_conditions`),
/// all at once or not at all.
public struct RuleStore: Sendable {
    public init() {}

    /// The data points already saved.
    public func dataPoints(on connection: PostgresConnection) async throws -> [DataPoint] {
        try await connection.query("select name, type, parameter from clv_meta.data_points order by name").map {
            DataPoint(
                name: try $0.decode(String.self, "name"), type: DataPoint.Kind(rawValue: $0[1] ?? "") ?? .text,
                parameter: try $0.decode(String.self, "parameter"))
        }
    }

    /// Replaces what `definitions.files` defined before with what they define now, in one transaction.
    public func apply(_ definitions: RuleFileLoader.Definitions, on connection: PostgresConnection) async throws {
        try await connection.transaction { connection in
            try await connection.execute(
                """
                delete from clv_meta.payout_rules
                where file = any(\(array: definitions.files)::text[])
                    and name <> all(\(array: definitions.rules.map(\.name))::text[])
                """)
            for point in definitions.dataPoints {
                try await connection.execute(
                    """
                    insert into clv_meta.data_points (name, type, parameter, file)
                    values (\(point.name), \(point.type.rawValue), \(point.parameter), \(definitions.files.first ?? ""))
                    on conflict (name) do update set type = excluded.type, parameter = excluded.parameter
                    """)
            }
            for rule in definitions.rules {
                try await save(rule, on: connection)
            }
        }
    }

    private func save(_ rule: PayoutRule, on connection: PostgresConnection) async throws {
        var body = rule
        body.file = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let checksum = SHA256.hex(String(decoding: try encoder.encode(body), as: UTF8.self))
        let (applyOn, events): (String, [String]?) =
            switch rule.applyOn {
            case .allConversions: ("all_conversions", nil)
            case .baseOnly: ("base_only", nil)
            case .events(let names): ("events", names)
            }
        let columns = { (outcome: PayoutRule.Outcome?) -> (String?, String?) in
            switch outcome {
            case .fixed(let amount): ("fixed", amount)
            case .revshare(let percent): ("revshare", percent)
            case nil: (nil, nil)
            }
        }
        let (outcomeType, amount) = columns(rule.outcome)
        let (revenueType, revenueAmount) = columns(rule.revenueOutcome)
        try await connection.execute("delete from clv_meta.payout_rules where name = \(rule.name)")
        try await connection.execute(
            """
            insert into clv_meta.payout_rules (
                name, file, status, separately_by, offers, partners, advertisers, starts_at, ends_at, goal_cycle,
                window_days, window_from, frequency, apply_on, apply_on_events, outcome_type, outcome_amount,
                revenue_type, revenue_amount, checksum)
            values (
                \(rule.name), \(rule.file), \(rule.active ? "active" : "inactive"), \(rule.grouping.rawValue),
                \((rule.offers.map { PostgresArrayLiteral.encode($0) }) as String?)::text[], \((rule.partners.map { PostgresArrayLiteral.encode($0) }) as String?)::text[],
                \((rule.advertisers.map { PostgresArrayLiteral.encode($0) }) as String?)::text[],
                \((rule.start) as String?)::date::timestamptz, (\((rule.end) as String?)::date + 1)::timestamptz, \(rule.cycle.rawValue),
                \(rule.windowDays as Int?), \(rule.windowFrom.rawValue), \(rule.frequency.rawValue), \(applyOn), \((events.map { PostgresArrayLiteral.encode($0) }) as String?)::text[],
                \(outcomeType), \(amount)::numeric, \(revenueType), \(revenueAmount)::numeric, \(checksum))
            """)
        for group in rule.groups {
            try await connection.execute(
                """
                insert into clv_meta.rule_condition_groups (rule_name, group_id, parent_id, combine)
                values (\(rule.name), \(group.id), \(group.parent), \(group.combine.rawValue))
                """)
        }
        for (position, condition) in rule.conditions.enumerated() {
            try await connection.execute(
                """
                insert into clv_meta.rule_conditions (
                    rule_name, position, subject, parameter, value_type, logic, operator, text_value, text_values,
                    number_value, number_high, group_id, events)
                values (
                    \(rule.name), \(position), \(condition.subject), \((condition.parameter) as String?), \(condition.valueType.rawValue),
                    \(condition.logic.rawValue), \(condition.op), \((condition.textValue) as String?),
                    \((condition.textValues.map { PostgresArrayLiteral.encode($0) }) as String?)::text[], \((condition.numberValue) as String?)::numeric,
                    \((condition.numberHigh) as String?)::numeric, \(condition.group),
                    \((condition.events.map { PostgresArrayLiteral.encode($0) }) as String?)::text[])
                """)
        }
    }
}
