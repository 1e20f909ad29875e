import Core
import PostgresClient

/// Runs data tests: a test fails when its query returns rows.
public struct DataTestRunner: Sendable {
    /// The rows a failing test returned (the first 20) and how many there were in all.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var test: String
        public var file: String
        public var columns: [String]
        public var rows: [[String?]]
        public var total: Int
        /// What the test guarded, e.g. "audit of analytics.x (staged build, not published)".
        public var context: String?

        /// `FILE: test NAME failed (CONTEXT): N rows returned`, without the rows.
        public var headline: String {
            let what = context.map { " (\($0))" } ?? ""
            let shown = total > rows.count ? ", first \(rows.count) shown" : ""
            return "\(file): test \(test) failed\(what): \(total) row\(total == 1 ? "" : "s") returned\(shown)"
        }

        /// The headline, then one line per returned row (`column=value, …`); the CLI shows the rows
        /// as a table instead.
        public var description: String {
            let lines = rows.map { row in
                zip(columns, row).map { "\($0)=\($1 ?? "NULL")" }.joined(separator: ", ")
            }
            return ([headline] + lines.map { "  " + $0 }).joined(separator: "\n")
        }
    }

    static let shownRows = 20

    /// Runs `sql` as the test `test`; returns its failure, or nil when it returned no rows.
    /// `sql` defaults to the test's own body (audits pass a body rewritten onto a staged relation).
    public static func check(
        _ test: DataTest, sql: String? = nil, context: String? = nil, on connection: PostgresConnection
    )
        async throws -> Failure?
    {
        let body = sql ?? test.body
        let statement = Statement(
            prefix: "select * from (\n", body: body, file: test.file, fileText: sql == nil ? test.text : body,
            suffix: "\n) as clv_test limit \(shownRows + 1)")
        let rows = try await connection.run(statement)
        guard !rows.isEmpty else { return nil }
        var total = rows.count
        if total > shownRows {
            total = try await connection.query(SQL(unsafeSQL: "select count(*) as n from (\n\(body)\n) as clv_test"))[0]
                .decode(Int.self, "n")
        }
        return Failure(
            test: test.name, file: test.file, columns: rows.columns, rows: rows.prefix(shownRows).map(\.values),
            total: total, context: context)
    }

    /// Every test of `project` and its outcome (nil: passed), in file order.
    public static func checkAll(_ project: Project, on connection: PostgresConnection) async throws
        -> [(test: DataTest, failure: Failure?)]
    {
        let tests = try DataTest.loadAll(project, catalog: try TransformCatalog.load(project))
        var outcomes: [(test: DataTest, failure: Failure?)] = []
        for test in tests { outcomes.append((test, try await check(test, on: connection))) }
        return outcomes
    }

    /// Checks that `unique_key` columns are not NULL and not repeated in `relation` (with
    /// `nullsOnly`, only that they are not NULL: a scan that stops at the first hits).
    static func checkUniqueKey(
        of transform: Transform, in relation: String, on connection: PostgresConnection, nullsOnly: Bool = false
    ) async throws -> Failure? {
        let keys = transform.uniqueKey.map(Identifier.quote)
        let nullCheck = keys.map { "\($0) is null" }.joined(separator: " or ")
        let table = Identifier.quoteQualified(relation)
        let sql =
            nullsOnly
            ? "select \(keys.joined(separator: ", ")), 1 as rows_with_key from \(table) where \(nullCheck)"
            : """
            select \(keys.joined(separator: ", ")), count(*) as rows_with_key from \(table)
            group by \(keys.joined(separator: ", ")) having count(*) > 1 or \(nullCheck)
            """
        let rows = try await connection.query(SQL(unsafeSQL: sql + " limit \(shownRows)"))
        guard !rows.isEmpty else { return nil }
        return Failure(
            test: "unique_key(\(transform.uniqueKey.joined(separator: ", ")))", file: transform.file,
            columns: rows.columns, rows: rows.map(\.values), total: rows.count,
            context: "unique_key must be unique and not NULL; the staged build was not published")
    }
}
