import Core
import Foundation
import PostgresClient
import TestSupport
import Testing
import Transforms

@Suite struct RunnerTests {
    static let totals = """
        -- name: analytics.customer_totals
        -- materialized: table
        -- unique_key: customer_id
        -- depends_on: raw.orders
        select customer_id, sum(amount) as revenue from raw.orders group by customer_id
        """

    /// A view over customer_totals: the customers above `threshold`.
    static func topView(threshold: Int) -> String {
        """
        -- name: analytics.top
        -- materialized: view
        -- depends_on: analytics.customer_totals
        select customer_id from analytics.customer_totals where revenue > \(threshold)
        """
    }

    @Test func buildsAndThenHasNothingToDo() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/customer_totals.sql", Self.totals)
        let first = try await fixture.run()
        #expect(first.built.map(\.transform) == ["analytics.customer_totals"])
        #expect(first.built[0].rows == 2)
        #expect(
            try await fixture.rows("select customer_id, revenue::text from analytics.customer_totals order by 1") == [
                ["a", "15"], ["b", "7"],
            ])
        let second = try await fixture.run()
        #expect(second.built.isEmpty)
        #expect(second.upToDate == ["analytics.customer_totals"])
        try await fixture.tearDown()
    }

    /// A full build vacuums the table it published, after its transaction, so its pages become
    /// all-visible and a reader's index-only scan (the decile bounds reading their population in
    /// index order) does not visit the table. (Whether the pages are all-visible at once depends on
    /// every other transaction in the database, autovacuum's included, so the test checks that clv
    /// vacuumed, which the statistics count apart from autovacuum.)
    @Test func aFullBuildVacuumsItsTable() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/customer_totals.sql", Self.totals)
        try await fixture.run()
        #expect(
            try await fixture.rows(
                "select vacuum_count::text from pg_stat_user_tables where relid = 'analytics.customer_totals'::regclass"
            ) == [["1"]])
        try await fixture.tearDown()
    }

    @Test func planGivesReasons() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/customer_totals.sql", Self.totals)
        #expect(try await fixture.plan().steps.map(\.reasons) == [[.new]])
        try await fixture.run()
        try await fixture.connection.executeScript(
            "insert into raw.orders (order_id, customer_id, amount) values ('o4', 'c', 1)")
        #expect(try await fixture.plan().steps.map(\.reasons) == [[.newInputData(["raw.orders"])]])
        try await fixture.run()
        try fixture.write("sql/transforms/customer_totals.sql", Self.totals + "\n-- touched")
        try fixture.write("sql/transforms/top.sql", Self.topView(threshold: 5))
        let plan = try await fixture.plan()
        #expect(plan.steps.map(\.transform.name) == ["analytics.customer_totals", "analytics.top"])
        #expect(plan.steps.map(\.reasons) == [[.changed], [.new]])
        try await fixture.tearDown()
    }

    /// A table reading a view over another table sees that table's rebuilds as upstream changes,
    /// though it names only the view.
    @Test func aTableReadingAViewFollowsTheTableUnderTheView() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/customer_totals.sql", Self.totals)
        try fixture.write("sql/transforms/top.sql", Self.topView(threshold: 5))
        try fixture.write(
            "sql/transforms/top_count.sql",
            """
            -- name: analytics.top_count
            -- materialized: table
            -- depends_on: analytics.top
            select count(*) as customers from analytics.top
            """)
        try await fixture.run()
        #expect(try await fixture.rows("select customers::text from analytics.top_count") == [["2"]])
        try await fixture.connection.executeScript(
            "insert into raw.orders (order_id, customer_id, amount) values ('o4', 'c', 9)")
        let plan = try await fixture.plan()
        #expect(plan.steps.map(\.transform.name) == ["analytics.customer_totals", "analytics.top_count"])
        #expect(plan.steps.last?.reasons == [.upstreamChanged(["analytics.customer_totals"])])
        try await fixture.run()
        #expect(try await fixture.rows("select customers::text from analytics.top_count") == [["3"]])
        try await fixture.tearDown()
    }

    @Test func failingRebuildLeavesThePreviousVersionReadable() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/customer_totals.sql", Self.totals)
        try fixture.write("sql/transforms/top.sql", Self.topView(threshold: 10))
        try await fixture.run()
        // Division by zero only once rows exist: the error happens mid-build.
        try fixture.write(
            "sql/transforms/customer_totals.sql",
            """
            -- name: analytics.customer_totals
            -- materialized: table
            -- unique_key: customer_id
            -- depends_on: raw.orders
            select customer_id, sum(amount) / 0 as revenue from raw.orders group by customer_id
            """)
        let error = await #expect(throws: WarehouseError.self) { try await fixture.run() }
        #expect(error?.location?.hasPrefix("sql/transforms/customer_totals.sql") == true)
        #expect(error?.sqlState == "22012")
        // The old rows and the view over them are still there, and nothing is left in staging.
        #expect(
            try await fixture.rows("select customer_id, revenue::text from analytics.customer_totals order by 1") == [
                ["a", "15"], ["b", "7"],
            ])
        #expect(try await fixture.rows("select customer_id from analytics.top") == [["a"]])
        #expect(
            try await fixture.rows("select count(*)::text from pg_tables where schemaname = 'clv_staging'") == [["0"]])
        let history = try await fixture.rows(
            "select r.status, s.status from clv_meta.runs r join clv_meta.run_steps s using (run_id) order by run_id desc limit 1"
        )
        #expect(history == [["failed", "failed"]])
        try await fixture.tearDown()
    }

    @Test func swappedTableKeepsDependentViewsWorking() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/customer_totals.sql", Self.totals)
        try fixture.write("sql/transforms/top.sql", Self.topView(threshold: 10))
        try await fixture.run()
        try await fixture.connection.executeScript(
            "insert into raw.orders (order_id, customer_id, amount) values ('o9', 'b', 100)")
        let report = try await fixture.run()
        #expect(report.built.map(\.transform) == ["analytics.customer_totals"])
        #expect(try await fixture.rows("select customer_id from analytics.top order by 1") == [["a"], ["b"]])
        try await fixture.tearDown()
    }

    @Test func sqlErrorPositionMapsToTheFile() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write(
            "sql/transforms/broken.sql",
            """
            -- name: analytics.broken
            -- materialized: table
            -- depends_on: raw.orders
            select
                customer_id,
                sum(amount) as revenue,
                max(no_such_column) as oops
            from raw.orders
            group by customer_id
            """)
        let error = await #expect(throws: WarehouseError.self) { try await fixture.run() }
        // Line 7 is "    max(no_such_column) as oops": the column starts at character 9.
        #expect(error?.location == "sql/transforms/broken.sql:7:9")
        #expect(error?.message.hasPrefix("column \"no_such_column\" does not exist") == true)
        try await fixture.tearDown()
    }

    @Test func duplicateUniqueKeyIsNotPublished() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/customer_totals.sql", Self.totals)
        try await fixture.run()
        try fixture.write(
            "sql/transforms/customer_totals.sql",
            """
            -- name: analytics.customer_totals
            -- materialized: table
            -- unique_key: customer_id
            -- depends_on: raw.orders
            select customer_id, amount as revenue from raw.orders
            """)
        let failure = await #expect(throws: DataTestRunner.Failure.self) { try await fixture.run() }
        #expect(failure?.rows == [["a", "2"]])
        #expect(
            try await fixture.rows("select customer_id, revenue::text from analytics.customer_totals order by 1") == [
                ["a", "15"], ["b", "7"],
            ])
        try await fixture.tearDown()
    }

    @Test func nullUniqueKeyIsNotPublished() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write(
            "sql/transforms/customer_totals.sql",
            """
            -- name: analytics.customer_totals
            -- materialized: table
            -- unique_key: customer_id
            -- depends_on: raw.orders
            select nullif(customer_id, 'b') as customer_id, sum(amount) as revenue from raw.orders group by customer_id
            """)
        let failure = await #expect(throws: DataTestRunner.Failure.self) { try await fixture.run() }
        #expect(failure?.rows == [[nil, "1"]])
        #expect(try await fixture.rows("select to_regclass('analytics.customer_totals')::text") == [[nil]])
        try await fixture.tearDown()
    }

    @Test func failingAuditKeepsThePreviousVersion() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/customer_totals.sql", Self.totals)
        try fixture.write(
            "sql/tests/no_big_customers.sql",
            """
            -- audits: analytics.customer_totals
            select customer_id, revenue from analytics.customer_totals where revenue > 50
            """)
        try await fixture.run()
        try await fixture.connection.executeScript(
            "insert into raw.orders (order_id, customer_id, amount) values ('o9', 'b', 100)")
        let failure = await #expect(throws: DataTestRunner.Failure.self) { try await fixture.run() }
        #expect(failure?.test == "no_big_customers")
        #expect(failure?.rows == [["b", "107"]])
        #expect(
            try await fixture.rows("select revenue::text from analytics.customer_totals where customer_id = 'b'") == [
                ["7"]
            ])
        try await fixture.tearDown()
    }

    @Test func secondRunWaitsOrFailsWithNoWait() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/customer_totals.sql", Self.totals)
        let holder = try await fixture.database.connect()
        #expect(try await holder.tryAdvisoryLock(LockKeys.run))
        let error = await #expect(throws: WarehouseError.self) { try await fixture.run(noWait: true) }
        #expect(error?.message.contains("another clv run") == true)
        #expect(try await fixture.rows("select to_regclass('analytics.customer_totals')::text") == [[nil]])

        // Without --no-wait the run blocks until the lock is released, then builds.
        // (Checked on the holder's connection: the waiting run occupies the fixture's.)
        let waiting = Task { try await fixture.run() }
        try await Task.sleep(for: .milliseconds(500))
        let meanwhile = try await holder.query("select to_regclass('analytics.customer_totals')::text as r")
        #expect(meanwhile[0]["r"] == nil)
        try await holder.advisoryUnlock(LockKeys.run)
        let report = try await waiting.value
        #expect(report.built.map(\.transform) == ["analytics.customer_totals"])
        try await fixture.tearDown()
    }

    @Test func twoConcurrentRunsBuildOnce() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/customer_totals.sql", Self.totals)
        let other = try await fixture.database.connect()
        async let first = fixture.run()
        async let second = fixture.run(on: other)
        let reports = try await [first, second]
        #expect(reports.map(\.built.count).sorted() == [0, 1])
        try await fixture.tearDown()
    }
}
