import Foundation
import Logging
import Modeling
import Pipeline
import PostgresClient
import Rules
import TestSupport
import Testing
import Transforms

@testable import Core

/// The Rules and Modeling tables moved from the project's migrations into their modules: a new
/// database gets them from the modules, and a database an older clv migrated keeps what it has,
/// is finished and is adopted, with the same tables either way.
@Suite struct AbsorbedMigrationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Project 0009 as clv shipped it before the move: it dropped the view absorbed 0005 made.
    static var shippedMigration0009: String {
        get throws {
            let file = repository.appendingPathComponent("sql/schema/0009_messaging_cost_and_one_revenue_ledger.sql")
            return try String(contentsOf: file, encoding: .utf8).replacingOccurrences(
                of: "drop view if exists analytics.conversion_payouts;", with: "drop view analytics.conversion_payouts;"
            )
        }
    }

    /// A project folder holding the repository's `sql/schema` as an older clv shipped it: the
    /// absorbed migrations among the project's, up to `version`.
    static func olderProject(upTo version: Int) throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory.make()
        let schema = repository.appendingPathComponent("sql/schema")
        for name in try FileManager.default.contentsOfDirectory(atPath: schema.path) where name.hasSuffix(".sql") {
            guard let number = Int(name.prefix(4)), number <= version else { continue }
            let text =
                number == 9
                ? try shippedMigration0009
                : try String(contentsOf: schema.appendingPathComponent(name), encoding: .utf8)
            try folder.write("sql/schema/\(name)", text)
        }
        for migration in ModuleSchema.modeling.absorbed + ModuleSchema.rules.absorbed where migration.version <= version
        {
            try folder.write(
                "sql/schema/\(String(format: "%04d", migration.version))_\(migration.name).sql", migration.text)
        }
        return folder
    }

    /// The module tables' columns, constraints, indexes and functions, as comparable lines (the
    /// foreign key from rule outcomes to fits is left out: only databases from before have it).
    static func shape(_ connection: PostgresConnection) async throws -> [String] {
        let tables = """
            ('analytics.clv_model_fits'), ('analytics.customer_rfm'), ('analytics.predicted_clv'),
            ('clv_meta.data_points'), ('clv_meta.payout_rules'), ('clv_meta.rule_conditions'),
            ('clv_meta.rule_condition_groups'), ('clv_meta.rule_evaluations'), ('analytics.rule_matches'),
            ('clv_meta.rule_match_slots'), ('clv_meta.payout_statements'), ('clv_meta.payout_statement_lines')
            """
        let rows = try await connection.query(
            """
            with t (name) as (values \(unsafeSQL: tables))
            select line from (
                select format('%s %s %s %s %s %s', t.name, a.attname, format_type(a.atttypid, a.atttypmod),
                    a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attnum) as line
                from t join pg_attribute as a on a.attrelid = t.name::regclass and a.attnum > 0 and not a.attisdropped
                left join pg_attrdef as d on d.adrelid = a.attrelid and d.adnum = a.attnum
                union all
                select format('%s %s', t.name, pg_get_constraintdef(c.oid))
                from t join pg_constraint as c on c.conrelid = t.name::regclass
                where pg_get_constraintdef(c.oid) not like '%clv_model_fits%'
                union all
                select format('%s %s', t.name, regexp_replace(pg_get_indexdef(i.indexrelid), 'INDEX \\S+ ON', 'INDEX ON'))
                from t join pg_index as i on i.indrelid = t.name::regclass
                union all
                select format('function %s %s %s', p.proname, p.provolatile, p.proparallel)
                from pg_proc as p where p.pronamespace = 'clv_meta'::regnamespace
                    and (p.proname like 'rule%' or p.proname = 'latest_predictions')
            ) as shape
            order by line
            """)
        return try rows.map { try $0.decode(String.self, "line") }
    }

    func migrations(_ connection: PostgresConnection) async throws -> [Int] {
        try await connection.query("select version from clv_meta.migrations order by version").map {
            try $0.decode(Int.self, "version")
        }
    }

    func moduleEntries(_ connection: PostgresConnection) async throws -> [String] {
        try await connection.query(
            """
            select module || ' ' || version || ' ' || checksum as entry from clv_meta.module_schemas
            where module in ('Modeling', 'Rules') order by 1
            """
        ).map { try $0.decode(String.self, "entry") }
    }

    func migrate(_ root: URL, on connection: PostgresConnection) async throws {
        try await Pipeline(project: Project(root: root), logger: Logger(label: "test")).migrate(on: connection)
    }

    @Test func aNewDatabaseGetsTheTablesFromTheModules() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await migrate(Self.repository, on: connection)
        #expect(try await migrations(connection) == [1, 2, 7, 8, 9, 16])
        let entries = try await moduleEntries(connection)
        #expect(entries.count == 2)
        #expect(!entries.contains { $0.contains("adopted") })
        #expect(try await Self.shape(connection).count > 100)
        try await database.drop()
    }

    @Test func aDatabaseAnOlderClvMigratedIsAdoptedWithTheSameTables() async throws {
        let fresh = try await TestDatabase.make()
        let freshConnection = try await fresh.connect()
        try await migrate(Self.repository, on: freshConnection)
        let expected = try await Self.shape(freshConnection)
        try await fresh.drop()

        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let older = try Self.olderProject(upTo: 15)
        defer { older.remove() }
        // What the older clv did: every migration from the project's folder.
        try await Migrator(project: Project(root: older.url), logger: Logger(label: "test")).migrate(connection)
        try await connection.execute(
            "insert into analytics.rule_matches (rule_name, customer_id, conversion_id, scope_key, amount, entry) values ('r', 'c', 'k', '', 5, 'match')"
        )
        try await migrate(Self.repository, on: connection)
        #expect(try await migrations(connection) == Array(1...16))
        #expect(
            try await moduleEntries(connection) == [
                "Modeling 1 adopted from project migrations", "Rules 1 adopted from project migrations",
            ])
        #expect(try await Self.shape(connection) == expected)
        #expect(
            try await connection.query("select sum(amount) as s from analytics.rule_matches")[0].decode(Int.self, "s")
                == 5)
        // The ledger now holds project 0009's new checksum, so migrating again is a no-op.
        #expect(
            try await Migrator(project: Project(root: Self.repository), logger: Logger(label: "test"))
                .migrate(connection, modules: Pipeline.modules).isEmpty)
        try await database.drop()
    }

    @Test func aDatabaseMigratedPartlyIsFinishedFromTheAbsorbedMigrations() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let older = try Self.olderProject(upTo: 9)
        defer { older.remove() }
        try await Migrator(project: Project(root: older.url), logger: Logger(label: "test")).migrate(connection)
        #expect(try await migrations(connection) == Array(1...9))
        try await migrate(Self.repository, on: connection)
        #expect(try await migrations(connection) == Array(1...16))
        let fitColumn = try await connection.query(
            "select count(*) as n from pg_attribute where attrelid = 'analytics.rule_matches'::regclass and attname = 'fit_id'"
        )[0].decode(Int.self, "n")
        #expect(fitColumn == 1)
        #expect(try await moduleEntries(connection).allSatisfy { $0.hasSuffix("adopted from project migrations") })
        try await database.drop()
    }

    @Test func copiesOfAbsorbedMigrationsLeftInAProjectAreNotAppliedAgain() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let older = try Self.olderProject(upTo: 15)
        defer { older.remove() }
        // The 0009 the older project holds drops a view only absorbed 0005 made; use today's.
        try older.write(
            "sql/schema/0009_messaging_cost_and_one_revenue_ledger.sql",
            try String(
                contentsOf: Self.repository.appendingPathComponent(
                    "sql/schema/0009_messaging_cost_and_one_revenue_ledger.sql"), encoding: .utf8))
        try await migrate(older.url, on: connection)
        #expect(try await migrations(connection) == [1, 2, 7, 8, 9])
        #expect(try await moduleEntries(connection).count == 2)
        try await database.drop()
    }
}
