import Core
import Foundation
import Logging
import PostgresClient

/// Evaluates the payout rules on model outputs (predicted CLV, P(alive), predicted or 365-day CLV
/// decile) for a fit `clv predict` has just published: each qualifying customer is paid once, on
/// their latest conversion in the rule's scope, with the fit recorded. A later fit that lowers the
/// prediction reverses nothing: the outcome was earned on the fit that triggered it.
public struct ModelRuleEvaluator: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// What an evaluation did.
    public struct Report: Sendable, Codable {
        public var fitID: Int64
        public var rules: Int
        public var matched: Int
        /// Ledger entries that change booked revenue.
        public var revenueEntries: Int
    }

    /// Evaluates the active rules on model outputs for fit `fitID`, whose observation ended on
    /// `observationEnd` (`YYYY-MM-DD`, its whole day included).
    public func evaluate(fitID: Int64, observationEnd: String, on connection: PostgresConnection) async throws
        -> Report
    {
        let sql = try RulesSQL.text("model_rule_matches")
        return try await connection.transaction { connection in
            try await connection.execute("select pg_advisory_xact_lock(\(LockKeys.rules))")
            let rules = try await connection.query(
                """
                select count(*) as n from clv_meta.payout_rules
                where evaluated_on = 'fits' and status = 'active' and superseded_at is null
                """)[0].decode(Int.self, "n")
            guard rules > 0 else { return Report(fitID: fitID, rules: 0, matched: 0, revenueEntries: 0) }
            try await connection.execute(
                """
                create temp table clv_model_fit on commit drop as
                select \(fitID)::bigint as fit_id, (\(observationEnd)::date + 1)::timestamp at time zone 'UTC' as fitted_until
                """)
            try await connection.execute(
                SQL(unsafeSQL: "create temp table clv_model_rule_matches on commit drop as\n\(statementBody(of: sql))"))
            let appended = try await connection.query(
                """
                with appended as (
                    insert into analytics.rule_matches (
                        rule_name, customer_id, conversion_id, scope_key, outcome_type, amount, revenue_type,
                        revenue_amount, entry, rule_version, fit_id)
                    select rule_name, customer_id, conversion_id, '', outcome_type, amount, revenue_type,
                        revenue_amount, 'match', rule_version, fit_id
                    from clv_model_rule_matches
                    order by customer_id, rule_name
                    returning match_id, rule_name, customer_id, conversion_id, amount, revenue_amount, rule_version
                ),
                slotted as (
                    insert into clv_meta.rule_match_slots (
                        rule_name, customer_id, scope_key, slot_key, match_id, conversion_id, amount, revenue_amount,
                        rule_version)
                    select rule_name, customer_id, '', '', match_id, conversion_id, amount, revenue_amount, rule_version
                    from appended
                )
                select count(*) as matched, count(*) filter (where revenue_amount <> 0) as revenue_entries
                from appended
                """)[0]
            let report = Report(
                fitID: fitID, rules: rules, matched: try appended.decode(Int.self, "matched"),
                revenueEntries: try appended.decode(Int.self, "revenue_entries"))
            logger.info(
                "rules on model outputs evaluated", metadata: ["fit": "\(fitID)", "matched": "\(report.matched)"])
            return report
        }
    }
}
