import Core
import Foundation
import PostgresClient

/// Partner payout statements: per partner and calendar month (UTC), every conversion of the month
/// with its default payout, the rules applied and its final payout, and adjustments for earlier
/// months. An issued statement is frozen (`clv_meta.payout_statements`, `payout_statement_lines`):
/// what changes later reaches the partner's next statement as adjustments, never an issued one.
public struct PayoutStatements: Sendable {

    public init() {}

    /// One line: a conversion of the month, or an adjustment of an earlier one.
    public struct Line: Sendable, Codable, Equatable {
        public var line: Int
        /// `conversion` or `adjustment`.
        public var kind: String
        public var conversionID: String
        /// When it happened (nil: the conversion is gone).
        public var occurredAt: String?
        public var event: String?
        public var defaultPayout: String?
        /// The rules whose outcomes it carries, comma-separated.
        public var appliedRules: String
        public var bonus: String?
        public var finalPayout: String
        /// What this partner's earlier statements stated for it.
        public var statedBefore: String
        /// finalPayout − statedBefore: what this statement pays for it.
        public var amount: String
    }

    /// A statement with its totals; `issuedAt` is nil for a preview.
    public struct Statement: Sendable, Codable {
        public var partner: String
        /// `YYYY-MM`.
        public var period: String
        public var issuedAt: String?
        public var lines: [Line]
        /// The month's conversions before rules, what the rules add, and both together.
        public var defaultPayout: String
        public var rulesPayout: String
        public var conversionsTotal: String
        public var adjustmentsTotal: String
        public var total: String
    }

    /// The month `text` (`YYYY-MM`) as its first day and the next month's, or nil.
    public static func month(_ text: String) -> (first: String, next: String)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]),
            let month = Int(parts[1]), (1...12).contains(month), year >= 1
        else { return nil }
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        return (
            String(format: "%04d-%02d-01", year, month), String(format: "%04d-%02d-01", next.0, next.1)
        )
    }

    /// The statement of `partner` for `period` (`YYYY-MM`): the issued one when there is one,
    /// else computed now — and frozen when `issue`. Statements are issued in order: a month before
    /// the partner's latest issued one is refused (its late data is in the next statement).
    public func statement(partner: String, period: String, issue: Bool, on connection: PostgresConnection)
        async throws -> Statement
    {
        guard let (first, next) = Self.month(period) else {
            throw WarehouseError("--period: '\(period)' is not a month such as 2026-11")
        }
        let sql = try RulesSQL.text("payout_statement_lines")
        return try await connection.transaction { connection in
            // Rule outcomes do not move while a statement is read or issued.
            try await connection.execute("select pg_advisory_xact_lock(\(LockKeys.rules))")
            if let issued = try await issuedStatement(partner: partner, first: first, on: connection) {
                return try await frozen(issued, partner: partner, period: period, on: connection)
            }
            let later = try await connection.query(
                RulesSQL.statement("later_issued_statement", binding: [partner, first]))
            if let latest = later.first?["latest"] {
                throw WarehouseError(
                    "\(partner)'s statement for \(latest) is already issued: statements are issued month by month, and what changed in \(period) is in the next one as adjustments"
                )
            }
            try await connection.execute(RulesSQL.statement("statement_scope", binding: [partner, first, next]))
            try await connection.execute(
                SQL(unsafeSQL: "create temp table clv_statement_lines on commit drop as\n\(statementBody(of: sql))"))
            var statement = try await read(partner: partner, period: period, issuedAt: nil, on: connection)
            if issue {
                statement.issuedAt = try await freeze(statement, first: first, on: connection)
            }
            return statement
        }
    }

    /// Issued statements, newest first (one partner's, or everyone's).
    public func issued(partner: String?, on connection: PostgresConnection) async throws -> PostgresRows {
        try await connection.query(RulesSQL.statement("issued_statements", binding: [partner]))
    }

    private func issuedStatement(partner: String, first: String, on connection: PostgresConnection) async throws
        -> (id: Int64, issuedAt: String)?
    {
        try await connection.query(RulesSQL.statement("issued_statement", binding: [partner, first]))
            .first.map { (try $0.decode(Int64.self, "statement_id"), try $0.decode(String.self, "issued_at")) }
    }

    /// Saves the computed statement (its totals as `read` made them, its lines from
    /// `clv_statement_lines`) as issued; returns when.
    private func freeze(_ statement: Statement, first: String, on connection: PostgresConnection) async throws
        -> String
    {
        let row = try await connection.query(
            RulesSQL.statement(
                "issue_statement",
                binding: [
                    statement.partner, first, statement.lines.filter { $0.kind == "conversion" }.count,
                    statement.lines.filter { $0.kind == "adjustment" }.count, statement.defaultPayout,
                    statement.rulesPayout, statement.conversionsTotal, statement.adjustmentsTotal, statement.total,
                ]))[0]
        let id = try row.decode(Int64.self, "statement_id")
        try await connection.execute(RulesSQL.statement("issue_statement_lines", binding: [id]))
        return try row.decode(String.self, "issued_at")
    }

    private func frozen(
        _ issued: (id: Int64, issuedAt: String), partner: String, period: String, on connection: PostgresConnection
    ) async throws -> Statement {
        try await connection.execute(RulesSQL.statement("issued_statement_lines", binding: [issued.id]))
        return try await read(partner: partner, period: period, issuedAt: issued.issuedAt, on: connection)
    }

    /// Reads the lines of `clv_statement_lines` (computed, or an issued statement's) and totals them.
    private func read(partner: String, period: String, issuedAt: String?, on connection: PostgresConnection)
        async throws -> Statement
    {
        let lines = try await connection.query(RulesSQL.statement("statement_lines_text")).map { row in
            Line(
                line: try row.decode(Int.self, "line"), kind: try row.decode(String.self, "kind"),
                conversionID: try row.decode(String.self, "conversion_id"), occurredAt: row["occurred_at"],
                event: row["event"], defaultPayout: row["default_payout"], appliedRules: row["applied_rules"] ?? "",
                bonus: row["bonus"], finalPayout: try row.decode(String.self, "final_payout"),
                statedBefore: try row.decode(String.self, "stated_before"),
                amount: try row.decode(String.self, "amount"))
        }
        let totals = try await connection.query(RulesSQL.statement("statement_totals"))[0]
        return Statement(
            partner: partner, period: period, issuedAt: issuedAt, lines: lines,
            defaultPayout: try totals.decode(String.self, "default_payout"),
            rulesPayout: try totals.decode(String.self, "rules_payout"),
            conversionsTotal: try totals.decode(String.self, "conversions_total"),
            adjustmentsTotal: try totals.decode(String.self, "adjustments_total"),
            total: try totals.decode(String.self, "total"))
    }
}
