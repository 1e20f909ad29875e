import Core
import Foundation
import PostgresClient
import Testing
import Transforms

@Suite struct IncrementalTests {
    static let incremental = """
        -- name: analytics.customer_totals
        -- materialized: incremental
        -- unique_key: customer_id
        -- depends_on: raw.orders
        with changed as (
            select customer_id from raw.orders
            where _load_id > clv_meta.since_load() and _load_id <= clv_meta.until_load()
        )
        select customer_id, sum(amount) as revenue, count(*) as orders
        from raw.orders
        where _load_id <= clv_meta.until_load()
          and (not clv_meta.is_incremental() or customer_id in (select customer_id from changed))
        group by customer_id
        """

    @Test func incrementalBuildEqualsFullRefresh() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("sql/schema/0001_orders.sql", Fixture.ordersMigration)
        try fixture.write("sql/transforms/customer_totals.sql", Self.incremental)
        try await fixture.migrate()
        try await fixture.connection.executeScript(
            "insert into raw.orders (order_id, customer_id, amount) select 'o' || g, 'c' || (g % 50), g from generate_series(1, 500) g"
        )
        let first = try await fixture.run()
        #expect(first.built.first?.mode == "full")

        // Three more rounds touching a few customers each, one of them a new customer.
        for round in 1...3 {
            try await fixture.connection.executeScript(
                "insert into raw.orders (order_id, customer_id, amount) select 'r\(round)-' || g, 'c' || (g * \(round)), 1 from generate_series(1, 4) g"
            )
            let report = try await fixture.run()
            #expect(report.built.first?.mode.hasPrefix("incremental") == true)
            #expect(report.built.first?.rows == 4)
        }
        let incremental = try await fixture.rows(
            "select customer_id, revenue::text, orders::text from analytics.customer_totals order by 1")
        try await fixture.run(fullRefresh: true)
        let full = try await fixture.rows(
            "select customer_id, revenue::text, orders::text from analytics.customer_totals order by 1")
        #expect(incremental == full)
        // c1 had orders 1, 51, …, 451 (sum 2260) plus one order in round 1: 2261 from 11 orders.
        #expect(full.first { $0[0] == "c1" } == ["c1", "2261", "11"])
        try await fixture.tearDown()
    }

    @Test func referenceTimeChangeRebuildsTimeDependentTransforms() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("sql/schema/0001_orders.sql", Fixture.ordersMigration)
        try fixture.write(
            "sql/transforms/as_of.sql",
            """
            -- name: analytics.reference
            -- materialized: table
            select clv_meta.as_of() as as_of
            """)
        try await fixture.migrate()
        let day = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01T00:00:00Z
        try await fixture.run(asOf: day)
        #expect(try await fixture.rows("select as_of::text from analytics.reference") == [["2025-01-01 00:00:00+00"]])
        #expect(try await fixture.plan(asOf: day).steps.isEmpty)
        #expect(
            try await fixture.plan(asOf: day.addingTimeInterval(86_400)).steps.map(\.reasons) == [
                [.referenceTimeChanged]
            ])
        try await fixture.tearDown()
    }
}
