import Core
import Foundation
import PostgresClient

/// Saves rule definitions as data (`clv_meta.data_points`, `payout_rules`, `rule_conditions`),
/// all at once or not at all, a new version for each changed rule.
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

    /// Replaces what `definitions.files` defined before with what they define now, in one
    /// transaction. A changed rule gets a new version (the old one keeps judging the conversions
    /// of its time); an unchanged one stays as it is. A rule no longer defined is deleted — refused
    /// while it has paid outcomes, unless `reverse`, which writes their reversals first.
    public func apply(
        _ definitions: RuleFileLoader.Definitions, reverse: Bool = false, on connection: PostgresConnection
    ) async throws {
        try await connection.transaction { connection in
            try await connection.execute("select pg_advisory_xact_lock(\(LockKeys.rules))")
            try await remove(
                try await connection.query(
                    """
                    select family, min(file) as file,
                        (select count(*) from clv_meta.rule_match_slots as s where s.rule_name = r.family) as paid
                    from clv_meta.payout_rules as r
                    where file = any(\(array: definitions.files)::text[])
                        and family <> all(\(array: definitions.rules.map(\.name))::text[])
                    group by family order by family
                    """),
                reverse: reverse, on: connection)
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

    /// Deletes the rules in `removed` (family, file, paid): refused for one with paid outcomes
    /// unless `reverse`, which appends a reversal for each and frees its slots.
    private func remove(_ removed: PostgresRows, reverse: Bool, on connection: PostgresConnection) async throws {
        let paid = try removed.filter { try $0.decode(Int.self, "paid") > 0 }
        if !reverse, !paid.isEmpty {
            throw WarehouseError(
                try paid.map {
                    "\(try $0.decode(String.self, "file")): rule '\(try $0.decode(String.self, "family"))' is no longer defined but has \(try $0.decode(Int.self, "paid")) paid outcome(s): keep it (status: inactive stops new outcomes and keeps these), or apply with --reverse to reverse them"
                }.joined(separator: "\n"))
        }
        let families = try removed.map { try $0.decode(String.self, "family") }
        guard !families.isEmpty else { return }
        try await connection.execute(
            """
            insert into analytics.rule_matches (
                rule_name, customer_id, conversion_id, scope_key, cycle_start, outcome_type, amount, revenue_type,
                revenue_amount, entry, reverses, rule_version)
            select s.rule_name, s.customer_id, s.conversion_id, s.scope_key, m.cycle_start, m.outcome_type, -s.amount,
                m.revenue_type, -s.revenue_amount, 'reversal', s.match_id, s.rule_version
            from clv_meta.rule_match_slots as s
            join analytics.rule_matches as m on m.match_id = s.match_id
            where s.rule_name = any(\(array: families)::text[])
            order by s.match_id
            """)
        try await connection.execute(
            "delete from clv_meta.rule_match_slots where rule_name = any(\(array: families)::text[])")
        try await connection.execute(
            """
            delete from clv_meta.rule_evaluations
            where rule_name in (select name from clv_meta.payout_rules where family = any(\(array: families)::text[]))
            """)
        try await connection.execute(
            "delete from clv_meta.payout_rules where family = any(\(array: families)::text[])")
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
        // The current version: unchanged, it stays (its file may have moved); changed, it is
        // superseded now by the next version.
        let current = try await connection.query(
            """
            select version, checksum from clv_meta.payout_rules where family = \(rule.name) and superseded_at is null
            """
        ).first
        if let current, try current.decode(String.self, "checksum") == checksum {
            try await connection.execute(
                "update clv_meta.payout_rules set file = \(rule.file) where family = \(rule.name)")
            return
        }
        let version = try (current?.decode(Int.self, "version") ?? 0) + 1
        let name = version == 1 ? rule.name : "\(rule.name)@v\(version)"
        try await connection.execute(
            """
            update clv_meta.payout_rules set superseded_at = now() where family = \(rule.name) and superseded_at is null
            """)
        try await connection.execute(
            """
            insert into clv_meta.payout_rules (
                family, version, name, file, status, separately_by, offers, partners, advertisers, starts_at, ends_at, goal_cycle,
                window_days, window_from, frequency, apply_on, apply_on_events, outcome_type, outcome_amount,
                revenue_type, revenue_amount, evaluated_on, checksum)
            values (
                \(rule.name), \(version), \(name), \(rule.file), \(rule.active ? "active" : "inactive"), \(rule.grouping.rawValue),
                \((rule.offers.map { PostgresArrayLiteral.encode($0) }) as String?)::text[], \((rule.partners.map { PostgresArrayLiteral.encode($0) }) as String?)::text[],
                \((rule.advertisers.map { PostgresArrayLiteral.encode($0) }) as String?)::text[],
                \((rule.start) as String?)::date::timestamptz, (\((rule.end) as String?)::date + 1)::timestamptz, \(rule.cycle.rawValue),
                \(rule.windowDays as Int?), \(rule.windowFrom.rawValue), \(rule.frequency.rawValue), \(applyOn), \((events.map { PostgresArrayLiteral.encode($0) }) as String?)::text[],
                \(outcomeType as String?), \(amount as String?)::numeric, \(revenueType as String?), \(revenueAmount as String?)::numeric, \(rule.onModelOutputs ? "fits" : "conversions"), \(checksum))
            """)
        for group in rule.groups {
            try await connection.execute(
                """
                insert into clv_meta.rule_condition_groups (rule_name, group_id, parent_id, combine)
                values (\(name), \(group.id), \(group.parent), \(group.combine.rawValue))
                """)
        }
        for (position, condition) in rule.conditions.enumerated() {
            try await connection.execute(
                """
                insert into clv_meta.rule_conditions (
                    rule_name, position, subject, parameter, value_type, logic, operator, text_value, text_values,
                    number_value, number_high, group_id, events)
                values (
                    \(name), \(position), \(condition.subject), \((condition.parameter) as String?), \(condition.valueType.rawValue),
                    \(condition.logic.rawValue), \(condition.op), \((condition.textValue) as String?),
                    \((condition.textValues.map { PostgresArrayLiteral.encode($0) }) as String?)::text[], \((condition.numberValue) as String?)::numeric,
                    \((condition.numberHigh) as String?)::numeric, \(condition.group),
                    \((condition.events.map { PostgresArrayLiteral.encode($0) }) as String?)::text[])
                """)
        }
    }
}
