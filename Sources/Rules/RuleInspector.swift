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
        let rows = try await connection.query(
            """
            select k.conversion_id, to_char(k.occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as occurred_at,
                k.event, k.offer_id, k.partner_id, k.revenue::text as revenue, coalesce(k.payout, 0)::text as payout,
                k.params::text as params,
                coalesce((
                    select string_agg(
                        m.rule_name || ': ' || concat_ws(', ',
                            case when m.outcome_type is not null then case when m.amount >= 0 then '+' else '' end || m.amount::text || ' payout' end,
                            case when m.revenue_type is not null then case when m.revenue_amount >= 0 then '+' else '' end || m.revenue_amount::text || ' revenue' end)
                            || ' (' || case m.entry when 'reversal' then 'reversal of #' || m.reverses
                                else concat_ws('/', m.outcome_type, m.revenue_type) end || ')',
                        '; ' order by m.match_id)
                    from analytics.rule_matches as m where m.conversion_id = k.conversion_id
                ), '') as outcomes
            from raw.conversions as k
            where k.customer_id = \(customer)
            order by k.occurred_at, k.conversion_id
            """)
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
        let current = try await connection.query(
            """
            select status, name, evaluated_on from clv_meta.payout_rules where family = \(rule) and superseded_at is null
            """)
        guard let ruleStatus = current.first?["status"], let version = current.first?["name"] else {
            throw WarehouseError("no payout rule named '\(rule)'")
        }
        if current.first?["evaluated_on"] == "fits" {
            return try await explainOnModelOutputs(
                rule: rule, version: version, status: ruleStatus, customer: customer, on: connection)
        }
        let paid = try await connection.query(
            """
            select s.conversion_id || ': ' || s.amount::text || case when s.scope_key <> '' then ' (scope ' || s.scope_key || ')' else '' end as paid
            from clv_meta.rule_match_slots as s where s.rule_name = \(rule) and s.customer_id = \(customer)
            order by s.conversion_id
            """
        ).compactMap { $0[0] }
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
            return try await connection.query(
                """
                with latest as (
                    select distinct on (scope_key, cycle_start) scope_key, cycle_start, conversion_id
                    from clv_rule_facts order by scope_key, cycle_start, occurred_at desc, conversion_id desc
                )
                select l.scope_key, to_char(l.cycle_start at time zone 'UTC', 'YYYY-MM-DD') as cycle_start,
                    coalesce((
                        select case when p.group_id is not null then case p.combine when 'any' then 'any_of #' else 'all_of #' end || p.group_id || ' › ' else '' end
                            || case g.combine when 'any' then 'any_of #' else 'all_of #' end || g.group_id || ': '
                        from clv_meta.rule_condition_groups as g
                        left join clv_meta.rule_condition_groups as p on p.rule_name = g.rule_name and p.group_id = g.parent_id
                        where g.rule_name = c.rule_name and g.group_id = c.group_id
                    ), '')
                        || c.subject || ' ' || c.logic || ' ' || c.operator || ' '
                        || coalesce(c.text_value, array_to_string(c.text_values, ', '), c.number_value::text || coalesce(' and ' || c.number_high::text, ''))
                        || coalesce(' (events: ' || array_to_string(c.events, ', ') || ')', '')
                        as condition,
                    case c.logic
                        when 'sum_of_values' then 'sum ' || coalesce(s.running_sum::text, '0')
                        when 'count_of_values' then 'count ' || s.running_count::text
                        else 'values: ' || coalesce((
                            select string_agg(distinct coalesce(f.params ->> c.parameter, case c.subject
                                when 'revenue' then f.revenue::text when 'payout' then f.payout::text
                                when 'event' then f.event else '1' end), ', ')
                            from clv_rule_facts as f
                            where f.scope_key = l.scope_key and f.cycle_start is not distinct from l.cycle_start
                                and (c.parameter is null or f.params ? c.parameter)
                                and (c.events is null or f.event = any(c.events))
                        ), 'none yet')
                    end as current,
                    s.holds
                from latest as l
                join clv_meta.rule_conditions as c on c.rule_name = \(version)
                join clv_rule_condition_state as s on s.conversion_id = l.conversion_id and s.position = c.position
                order by l.scope_key, l.cycle_start, c.position
                """)
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
            """
            with model_values as (
                select p.predicted_clv, p.p_alive::numeric as p_alive, p.predicted_decile::numeric as predicted_decile,
                    (select decile::numeric from analytics.clv_deciles where customer_id = \(customer)) as clv_decile
                from analytics.predicted_clv as p where p.customer_id = \(customer)
            )
            select
                c.subject || ' ' || c.operator || ' ' || c.number_value::text || coalesce(' and ' || c.number_high::text, '')
                    as condition,
                coalesce((case c.subject
                    when 'predicted_clv' then v.predicted_clv when 'p_alive' then v.p_alive
                    when 'predicted_decile' then v.predicted_decile when 'clv_decile' then v.clv_decile
                end)::text, 'no value in the latest fit') as current,
                coalesce(clv_meta.rule_number_holds(c.operator, case c.subject
                    when 'predicted_clv' then v.predicted_clv when 'p_alive' then v.p_alive
                    when 'predicted_decile' then v.predicted_decile when 'clv_decile' then v.clv_decile
                end, c.number_value, c.number_high), false) as holds
            from clv_meta.rule_conditions as c
            left join model_values as v on true
            where c.rule_name = \(version)
            order by c.position
            """)
        let standings = try rows.map {
            Standing(
                scopeKey: "", cycleStart: nil, condition: try $0.decode(String.self, "condition"),
                current: $0["current"] ?? "", holds: try $0.decode(Bool.self, "holds"))
        }
        let paid = try await connection.query(
            """
            select s.conversion_id || ': ' || s.amount::text || ' on fit ' || coalesce(m.fit_id::text, '?')
                || ' (evaluated when a fit is published; a later fit that lowers the prediction does not reverse it)'
                as paid
            from clv_meta.rule_match_slots as s join analytics.rule_matches as m on m.match_id = s.match_id
            where s.rule_name = \(rule) and s.customer_id = \(customer)
            """
        ).compactMap { $0[0] }
        return (status, standings, paid)
    }
}
