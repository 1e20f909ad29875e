import Core
import Foundation
import Logging
import PostgresClient

/// Evaluates the active payout rules in SQL, one generic evaluation for every rule (rules are
/// data), and reconciles the outcome with the ledger: new matches are appended, matches that no
/// longer hold get reversal rows, and once-only outcomes stay unique through the match slots.
///
/// Incremental by default: only customers with conversions loaded, corrected or deleted since the
/// last evaluation, or whose paid conversion has disappeared, are evaluated. A new or changed rule, or
/// `full`, evaluates every customer.
public struct RuleEvaluator: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// What an evaluation did.
    public struct Report: Sendable, Codable {
        public var rules: Int
        public var full: Bool
        public var customers: Int
        public var matched: Int
        public var reversed: Int
        /// Ledger entries of this evaluation that change booked revenue (matches and reversals).
        public var revenueEntries: Int = 0
        public var seconds: Double
    }

    /// Whether any rule is active (so `clv run` knows to evaluate).
    public static func hasActiveRules(on connection: PostgresConnection) async throws -> Bool {
        // A project without the rules migration has no rules table: nothing to evaluate.
        let exists = try await connection.query(
            "select to_regclass('clv_meta.payout_rules') is not null as present")[0].decode(Bool.self, "present")
        guard exists else { return false }
        return try await connection.query(
            """
            select exists (
                select 1 from clv_meta.payout_rules
                where status = 'active' and superseded_at is null and evaluated_on = 'conversions'
            ) as active
            """)[0].decode(Bool.self, "active")
    }

    /// Evaluates every active rule in one transaction: incrementally, or for every customer when
    /// `requested` or when a rule is new or changed.
    public func evaluate(on connection: PostgresConnection, full requested: Bool = false) async throws -> Report {
        let started = ContinuousClock.now
        let sql = try ["rule_facts", "rule_condition_state", "rule_desired_matches"].map {
            try RulesSQL.text($0)
        }
        let watermark = try await LoadWatermark.read(connection)
        return try await connection.transaction { connection in
            try await connection.execute("select pg_advisory_xact_lock(\(LockKeys.rules))")
            try await connection.execute("set local work_mem = '256MB'")
            // Index lookups of a few customers' conversions are cheap (the pages are cached); with
            // the default 4.0 the planner scans all conversions instead.
            try await connection.execute("set local random_page_cost = 1.1")
            // Every active version of the rules whose current version is active: each judges the
            // conversions of its own time.
            try await connection.executeScript(
                """
                create temp table clv_rule_set on commit drop as
                select v.name as rule_name from clv_meta.payout_rules as v
                join clv_meta.payout_rules as c on c.family = v.family and c.superseded_at is null and c.status = 'active'
                where v.status = 'active' and v.evaluated_on = 'conversions';
                """)
            let state = try await connection.query(
                """
                select count(distinct r.family) as rules,
                    count(*) filter (where e.rule_name is null or e.checksum <> r.checksum) as changed,
                    coalesce(min(e.load_watermark), 0) as since
                from clv_rule_set as s
                join clv_meta.payout_rules as r on r.name = s.rule_name
                left join clv_meta.rule_evaluations as e on e.rule_name = r.name
                """)[0]
            let rules = try state.decode(Int.self, "rules")
            let changed = try state.decode(Int.self, "changed")
            let full = requested || changed > 0
            let since = try state.decode(Int64.self, "since")
            if full {
                try await connection.execute(
                    """
                    create temp table clv_rule_customers on commit drop as
                    select distinct customer_id from raw.conversions where customer_id is not null
                    """)
            } else {
                try await connection.execute(
                    """
                    create temp table clv_rule_customers on commit drop as
                    select customer_id from raw.conversions
                    where customer_id is not null and _load_id > \(since) and _load_id <= \(watermark)
                    union
                    -- Deleted or corrected conversions' customers (a correction's old customer too).
                    select customer_id from raw_history.conversions
                    where customer_id is not null and _replaced_by > \(since) and _replaced_by <= \(watermark)
                    union
                    select s.customer_id from clv_meta.rule_match_slots as s
                    where not exists (select 1 from raw.conversions as k where k.conversion_id = s.conversion_id)
                    """)
            }
            try await connection.executeScript(
                "create index on clv_rule_customers (customer_id); analyze clv_rule_customers;")
            let customers = try await connection.query("select count(*) as n from clv_rule_customers")[0]
                .decode(Int.self, "n")
            for (name, text) in zip(["clv_rule_facts", "clv_rule_condition_state", "clv_rule_desired_matches"], sql) {
                try await connection.execute(
                    SQL(unsafeSQL: "create temp table \(name) on commit drop as\n\(statementBody(of: text))"))
                try await connection.execute(SQL(unsafeSQL: "analyze \(name)"))
            }
            let lastEntry = try await connection.query(
                "select coalesce(max(match_id), 0) as last from analytics.rule_matches")[0].decode(Int64.self, "last")
            let reversed = try await reconcileReversals(on: connection)
            let matched = try await appendMatches(on: connection)
            let revenueEntries = try await connection.query(
                """
                select count(*) as n from analytics.rule_matches where match_id > \(lastEntry) and revenue_amount <> 0
                """)[0].decode(Int.self, "n")
            try await connection.execute(
                """
                insert into clv_meta.rule_evaluations (rule_name, checksum, load_watermark)
                select r.name, r.checksum, \(watermark) from clv_meta.payout_rules as r
                join clv_rule_set as s on s.rule_name = r.name
                on conflict (rule_name) do update
                set checksum = excluded.checksum, load_watermark = excluded.load_watermark, evaluated_at = now()
                """)
            let report = Report(
                rules: rules, full: full, customers: customers, matched: matched, reversed: reversed,
                revenueEntries: revenueEntries, seconds: (ContinuousClock.now - started).inSeconds)
            logger.info(
                "rules evaluated",
                metadata: [
                    "full": "\(full)", "customers": "\(customers)", "matched": "\(matched)", "reversed": "\(reversed)",
                ])
            return report
        }
    }

    /// Reverses paid outcomes that no longer hold: the customer no longer qualifies, the paid
    /// conversion is gone, or its payout or revenue amount changed. A once-only outcome that still holds stays
    /// where it was paid, even if a late conversion would now complete it earlier.
    private func reconcileReversals(on connection: PostgresConnection) async throws -> Int {
        try await connection.execute(
            """
            create temp table clv_rule_reverse on commit drop as
            select s.*
            from clv_meta.rule_match_slots as s
            join clv_rule_customers as c on c.customer_id = s.customer_id
            where s.rule_name in (
                select r.family from clv_meta.payout_rules as r join clv_rule_set as t on t.rule_name = r.name
            )
            and not exists (
                select 1 from clv_rule_desired_matches as d
                where d.rule_name = s.rule_name and d.customer_id = s.customer_id and d.scope_key = s.scope_key
                    and d.slot_key = s.slot_key
                    and (
                        (d.conversion_id = s.conversion_id and d.amount = s.amount and d.revenue_amount = s.revenue_amount)
                        or (d.conversion_id <> s.conversion_id and exists (
                            select 1 from clv_rule_facts as f
                            join clv_meta.payout_rules as r on r.name = f.rule_name
                            where r.family = s.rule_name and f.conversion_id = s.conversion_id))
                    )
            )
            """)
        let reversed = try await connection.execute(
            """
            insert into analytics.rule_matches (
                rule_name, customer_id, conversion_id, scope_key, cycle_start, outcome_type, amount, revenue_type,
                revenue_amount, entry, reverses, rule_version)
            select s.rule_name, s.customer_id, s.conversion_id, s.scope_key, m.cycle_start, m.outcome_type, -s.amount,
                m.revenue_type, -s.revenue_amount, 'reversal', s.match_id, s.rule_version
            from clv_rule_reverse as s
            join analytics.rule_matches as m on m.match_id = s.match_id
            """)
        try await connection.execute(
            """
            delete from clv_meta.rule_match_slots as s
            using clv_rule_reverse as r
            where s.rule_name = r.rule_name and s.customer_id = r.customer_id and s.scope_key = r.scope_key
                and s.slot_key = r.slot_key
            """)
        return reversed
    }

    /// Appends every outcome that has no slot yet, and takes its slot (the slot's primary key
    /// refuses a second once-only payout however evaluations interleave).
    private func appendMatches(on connection: PostgresConnection) async throws -> Int {
        try await connection.execute(
            """
            with fresh as (
                select d.*
                from clv_rule_desired_matches as d
                where not exists (
                    select 1 from clv_meta.rule_match_slots as s
                    where s.rule_name = d.rule_name and s.customer_id = d.customer_id and s.scope_key = d.scope_key
                        and s.slot_key = d.slot_key
                )
            ),
            appended as (
                insert into analytics.rule_matches (
                    rule_name, customer_id, conversion_id, scope_key, cycle_start, outcome_type, amount, revenue_type,
                    revenue_amount, entry, rule_version)
                select rule_name, customer_id, conversion_id, scope_key, cycle_start, outcome_type, amount, revenue_type,
                    revenue_amount, 'match', rule_version
                from fresh
                order by customer_id, rule_name, conversion_id
                returning match_id, rule_name, customer_id, conversion_id, scope_key, cycle_start, amount, revenue_amount,
                    rule_version
            )
            insert into clv_meta.rule_match_slots (
                rule_name, customer_id, scope_key, slot_key, match_id, conversion_id, amount, revenue_amount, rule_version)
            select a.rule_name, a.customer_id, a.scope_key, f.slot_key, a.match_id, a.conversion_id, a.amount,
                a.revenue_amount, a.rule_version
            from appended as a
            join fresh as f
                on f.rule_name = a.rule_name and f.customer_id = a.customer_id and f.scope_key = a.scope_key
                and f.conversion_id = a.conversion_id and f.cycle_start is not distinct from a.cycle_start
            """)
    }
}
