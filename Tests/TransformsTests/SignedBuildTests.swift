import Core
import Foundation
import PostgresClient
import Testing

@testable import Transforms

/// Aggregates kept by adding signed changes (`-- signed:`), on a real database: loads that add,
/// correct and delete rows, each merged incrementally, equal a full build.
@Suite struct SignedBuildTests {
    /// Orders and revenue per customer, from raw orders read as signed versions.
    static let customerSales = """
        -- name: analytics.customer_sales
        -- materialized: incremental
        -- strategy: add
        -- unique_key: customer_id
        -- signed: raw.orders
        -- depends_on: raw.orders
        select o.customer_id, sum(o._sign) as orders, sum(o._sign * o.amount) as revenue
        from raw.orders as o
        where o.customer_id is not null
        group by o.customer_id
        """

    /// Customers and revenue by order count, from customer totals' change records: a customer's
    /// row moves between counts, which no sum of orders could say.
    static let orderCounts = """
        -- name: analytics.order_counts
        -- materialized: incremental
        -- strategy: add
        -- unique_key: orders
        -- signed: analytics.customer_totals
        -- depends_on: analytics.customer_totals
        select t.orders, sum(t._sign) as customers, sum(t._sign * t.revenue) as revenue
        from analytics.customer_totals as t
        group by t.orders
        """

    func totals(_ fixture: Fixture) async throws -> [[String?]] {
        try await fixture.rows(
            """
            select 'sales', customer_id, orders::text, revenue::text from analytics.customer_sales
            union all
            select 'counts', orders::text, customers::text, revenue::text from analytics.order_counts
            order by 1 desc, 2
            """)
    }

    /// Runs incrementally, checks the totals, then checks a full build gives the same.
    func expectIncrementalEqualsFull(_ fixture: Fixture, _ expected: [[String?]]) async throws {
        let report = try await fixture.run()
        #expect(report.built.map(\.mode).allSatisfy { $0.hasPrefix("incremental") })
        #expect(try await totals(fixture) == expected)
        try await fixture.run(fullRefresh: true)
        #expect(try await totals(fixture) == expected)
    }

    @Test func addedCorrectedAndDeletedRowsAreAddedAsSignedChanges() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("sql/schema/0001_orders.sql", RecomputeTests.migration)
        try fixture.write("sql/transforms/customer_totals.sql", RecomputeTests.customerTotals)
        try fixture.write("sql/transforms/customer_sales.sql", Self.customerSales)
        try fixture.write("sql/transforms/order_counts.sql", Self.orderCounts)
        try await fixture.migrate()
        let db = fixture.connection
        try await db.executeScript(
            "insert into raw.orders (order_id, customer_id, amount) values ('o1', 'a', 10), ('o2', 'a', 5), ('o3', 'b', 7), ('o4', 'c', 1)"
        )
        try await fixture.run()
        // a: 10 + 5; b: 7; c: 1. By count: one customer with 2 orders (15), two with 1 (8).
        #expect(
            try await totals(fixture) == [
                ["sales", "a", "2", "15"], ["sales", "b", "1", "7"], ["sales", "c", "1", "1"],
                ["counts", "1", "2", "8"], ["counts", "2", "1", "15"],
            ])

        // A new order for b, a's o1 corrected from 10 to 12, c's only order deleted.
        try await db.executeScript(
            """
            insert into raw.orders (order_id, customer_id, amount) values ('o5', 'b', 3);
            update raw.orders set amount = 12 where order_id = 'o1';
            delete from raw.orders where order_id = 'o4';
            """)
        // a: 12 + 5 = 17; b: 7 + 3 = 10; c reaches 0 orders and 0 revenue and goes. By count: two
        // customers with 2 orders (27); none with 1 (its row goes).
        try await expectIncrementalEqualsFull(
            fixture,
            [["sales", "a", "2", "17"], ["sales", "b", "2", "10"], ["counts", "2", "2", "27"]])

        // o2 moves from a to d; o6 is added for d and corrected in the same window (only its last
        // version counts); o7 is added and deleted in it (never counts).
        try await db.executeScript(
            """
            update raw.orders set customer_id = 'd' where order_id = 'o2';
            insert into raw.orders (order_id, customer_id, amount) values ('o6', 'd', 4), ('o7', 'e', 9);
            update raw.orders set amount = 6 where order_id = 'o6';
            delete from raw.orders where order_id = 'o7';
            """)
        // a: 12; b: 10 from 2; d: 5 + 6 = 11 from 2. By count: one with 1 (12), two with 2 (21).
        try await expectIncrementalEqualsFull(
            fixture,
            [
                ["sales", "a", "1", "12"], ["sales", "b", "2", "10"], ["sales", "d", "2", "11"],
                ["counts", "1", "1", "12"], ["counts", "2", "2", "21"],
            ])

        // Nothing changed: nothing is built.
        #expect(try await fixture.run().built.isEmpty)
        try await fixture.tearDown()
    }

    @Test func anErrorAfterAnExpandedSourceIsReportedWhereTheFileHasIt() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("sql/schema/0001_orders.sql", RecomputeTests.migration)
        try fixture.write(
            "sql/transforms/customer_sales.sql",
            Self.customerSales.replacingOccurrences(of: "where o.customer_id", with: "where o.customr_id"))
        try await fixture.migrate()
        await #expect {
            try await fixture.run()
        } throws: { error in
            "\(error)".hasPrefix("sql/transforms/customer_sales.sql:9:7: ")
        }
        try await fixture.tearDown()
    }

    @Test func aRawSourceWithoutHistoryIsRefusedWhenBuilt() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/customer_sales.sql", Self.customerSales)
        await #expect {
            try await fixture.run()
        } throws: { error in
            "\(error)"
                == "sql/transforms/customer_sales.sql: signed reads raw.orders, but the database has no raw_history.orders keeping its replaced and deleted rows, so changes could not be subtracted"
        }
        try await fixture.tearDown()
    }
}
