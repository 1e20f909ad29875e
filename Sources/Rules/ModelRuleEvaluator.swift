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
            let rules = try await connection.query(RulesSQL.statement("active_model_rules"))[0].decode(Int.self, "n")
            guard rules > 0 else { return Report(fitID: fitID, rules: 0, matched: 0, revenueEntries: 0) }
            try await connection.execute(
                RulesSQL.statement("model_fit", binding: [fitID, observationEnd]))
            try await connection.execute(
                SQL(unsafeSQL: "create temp table clv_model_rule_matches on commit drop as\n\(statementBody(of: sql))"))
            let appended = try await connection.query(RulesSQL.statement("append_model_matches"))[0]
            let report = Report(
                fitID: fitID, rules: rules, matched: try appended.decode(Int.self, "matched"),
                revenueEntries: try appended.decode(Int.self, "revenue_entries"))
            logger.info(
                "rules on model outputs evaluated", metadata: ["fit": "\(fitID)", "matched": "\(report.matched)"])
            return report
        }
    }
}
