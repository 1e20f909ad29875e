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
                """
                select to_char(max(period), 'YYYY-MM') as latest from clv_meta.payout_statements
                where partner_id = \(partner) and period > \(first)::date
                """)
            if let latest = later.first?["latest"] {
                throw WarehouseError(
                    "\(partner)'s statement for \(latest) is already issued: statements are issued month by month, and what changed in \(period) is in the next one as adjustments"
                )
            }
            try await connection.execute(
                """
                create temp table clv_statement_scope on commit drop as
                select \(partner)::text as partner_id, \(first)::timestamp at time zone 'UTC' as starts,
                    \(next)::timestamp at time zone 'UTC' as ends
                """)
            try await connection.execute(
                SQL(unsafeSQL: "create temp table clv_statement_lines on commit drop as\n\(statementBody(of: sql))"))
            var statement = try await read(
                linesFrom: "clv_statement_lines", partner: partner, period: period, issuedAt: nil, on: connection)
            if issue {
                statement.issuedAt = try await freeze(statement, first: first, on: connection)
            }
            return statement
        }
    }

    /// Issued statements, newest first (one partner's, or everyone's).
    public func issued(partner: String?, on connection: PostgresConnection) async throws -> PostgresRows {
        try await connection.query(
            """
            select partner_id, to_char(period, 'YYYY-MM') as period,
                to_char(issued_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as issued_at,
                conversions, adjustments, trim_scale(conversions_total)::text as conversions_total,
                trim_scale(adjustments_total)::text as adjustments_total, trim_scale(total)::text as total
            from clv_meta.payout_statements
            where \(partner as String?)::text is null or partner_id = \(partner as String?)
            order by period desc, partner_id
            """)
    }

    private func issuedStatement(partner: String, first: String, on connection: PostgresConnection) async throws
        -> (id: Int64, issuedAt: String)?
    {
        try await connection.query(
            """
            select statement_id, to_char(issued_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as issued_at
            from clv_meta.payout_statements where partner_id = \(partner) and period = \(first)::date
            """
        ).first.map { (try $0.decode(Int64.self, "statement_id"), try $0.decode(String.self, "issued_at")) }
    }

    /// Saves the computed statement (its totals as `read` made them, its lines from
    /// `clv_statement_lines`) as issued; returns when.
    private func freeze(_ statement: Statement, first: String, on connection: PostgresConnection) async throws
        -> String
    {
        let row = try await connection.query(
            """
            insert into clv_meta.payout_statements (
                partner_id, period, conversions, adjustments, default_payout, rules_payout, conversions_total,
                adjustments_total, total)
            values (
                \(statement.partner), \(first)::date, \(statement.lines.filter { $0.kind == "conversion" }.count),
                \(statement.lines.filter { $0.kind == "adjustment" }.count), \(statement.defaultPayout)::numeric,
                \(statement.rulesPayout)::numeric, \(statement.conversionsTotal)::numeric,
                \(statement.adjustmentsTotal)::numeric, \(statement.total)::numeric)
            returning statement_id, to_char(issued_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as issued_at
            """)[0]
        let id = try row.decode(Int64.self, "statement_id")
        try await connection.execute(
            """
            insert into clv_meta.payout_statement_lines (
                statement_id, line, kind, conversion_id, occurred_at, event, default_payout, applied_rules, bonus,
                final_payout, stated_before, amount)
            select \(id), line, kind, conversion_id, occurred_at, event, default_payout, applied_rules, bonus,
                final_payout, stated_before, amount
            from clv_statement_lines
            """)
        return try row.decode(String.self, "issued_at")
    }

    private func frozen(
        _ issued: (id: Int64, issuedAt: String), partner: String, period: String, on connection: PostgresConnection
    ) async throws -> Statement {
        try await connection.execute(
            """
            create temp table clv_statement_frozen on commit drop as
            select line, kind, conversion_id, occurred_at, event, default_payout, applied_rules, bonus, final_payout,
                stated_before, amount
            from clv_meta.payout_statement_lines where statement_id = \(issued.id)
            """)
        return try await read(
            linesFrom: "clv_statement_frozen", partner: partner, period: period, issuedAt: issued.issuedAt,
            on: connection)
    }

    /// Reads lines from a temporary table and totals them.
    private func read(
        linesFrom table: String, partner: String, period: String, issuedAt: String?, on connection: PostgresConnection
    ) async throws -> Statement {
        let money = { (expression: String) in "trim_scale(\(expression))::text" }
        let lines = try await connection.query(
            SQL(
                unsafeSQL: """
                    select line, kind, conversion_id,
                        to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as occurred_at, event,
                        \(money("default_payout")) as default_payout,
                        coalesce(array_to_string(applied_rules, ', '), '') as applied_rules, \(money("bonus")) as bonus,
                        \(money("final_payout")) as final_payout, \(money("stated_before")) as stated_before,
                        \(money("amount")) as amount
                    from \(table) order by line
                    """)
        ).map { row in
            Line(
                line: try row.decode(Int.self, "line"), kind: try row.decode(String.self, "kind"),
                conversionID: try row.decode(String.self, "conversion_id"), occurredAt: row["occurred_at"],
                event: row["event"], defaultPayout: row["default_payout"], appliedRules: row["applied_rules"] ?? "",
                bonus: row["bonus"], finalPayout: try row.decode(String.self, "final_payout"),
                statedBefore: try row.decode(String.self, "stated_before"),
                amount: try row.decode(String.self, "amount"))
        }
        let totals = try await connection.query(
            SQL(
                unsafeSQL: """
                    select
                        \(money("coalesce(sum(default_payout) filter (where kind = 'conversion'), 0)")) as default_payout,
                        \(money("coalesce(sum(amount - default_payout) filter (where kind = 'conversion'), 0)")) as rules_payout,
                        \(money("coalesce(sum(amount) filter (where kind = 'conversion'), 0)")) as conversions_total,
                        \(money("coalesce(sum(amount) filter (where kind = 'adjustment'), 0)")) as adjustments_total,
                        \(money("coalesce(sum(amount), 0)")) as total
                    from \(table)
                    """))[0]
        return Statement(
            partner: partner, period: period, issuedAt: issuedAt, lines: lines,
            defaultPayout: try totals.decode(String.self, "default_payout"),
            rulesPayout: try totals.decode(String.self, "rules_payout"),
            conversionsTotal: try totals.decode(String.self, "conversions_total"),
            adjustmentsTotal: try totals.decode(String.self, "adjustments_total"),
            total: try totals.decode(String.self, "total"))
    }
}
