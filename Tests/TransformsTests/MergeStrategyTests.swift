import Core
import Foundation
import PostgresClient
import Testing
import Transforms

/// Incremental merges beyond replacing rows: removing keys, recording changes, adding deltas.
@Suite struct MergeStrategyTests {
    /// Orders as a relation that records its changes: new or re-stamped orders are recomputed.
    static let orderLog = """
        -- name: analytics.order_log
        -- materialized: incremental
        -- unique_key: order_id
        -- keeps_changes: true
        -- depends_on: raw.orders
        select order_id, customer_id, amount from raw.orders
        where _load_id <= clv_meta.until_load()
          and (not clv_meta.is_incremental() or _load_id > clv_meta.since_load())
        """

    /// Per-customer sums kept by adding the order log's changes.
    static let customerSums = """
        -- name: analytics.customer_sums
        -- materialized: incremental
        -- strategy: add
        -- unique_key: customer_id
        -- depends_on: analytics.order_log
        select customer_id, count(*) as orders, sum(amount) as revenue
        from analytics.order_log where not clv_meta.is_incremental()
        group by customer_id
        union all
        select customer_id, sum(_sign), sum(_sign * amount)
        from clv_changes.analytics__order_log
        where clv_meta.is_incremental() and _build_seq > clv_meta.since_build()
        group by customer_id
        """

    @Test func addStrategyFoldsChangesInAndDropsEmptiedRows() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/order_log.sql", Self.orderLog)
        try fixture.write("sql/transforms/customer_sums.sql", Self.customerSums)
        try await fixture.run()
        // A new order for a, b's only order moved to c (b is left with nothing), a's o1 corrected to 12.
        try await fixture.connection.executeScript(
            """
            insert into raw.orders (order_id, customer_id, amount) values ('o4', 'a', 1);
            update raw.orders set customer_id = 'c', _load_id = clv_meta.next_load_id() where order_id = 'o3';
            update raw.orders set amount = 12, _load_id = clv_meta.next_load_id() where order_id = 'o1';
            """)
        let report = try await fixture.run()
        #expect(report.built.map(\.mode).allSatisfy { $0.hasPrefix("incremental") })
        let sums = "select customer_id, orders::text, revenue::text from analytics.customer_sums order by 1"
        // a: 12 + 5 + 1 = 18 from 3 orders; b is gone (0 orders, 0 revenue); c: 7.
        #expect(try await fixture.rows(sums) == [["a", "3", "18"], ["c", "1", "7"]])
        // Each build's changes are kept until every reader has folded them in, then pruned.
        #expect(try await fixture.rows("select count(*)::text from clv_changes.analytics__order_log") == [["0"]])
        try await fixture.run(fullRefresh: true)
        #expect(try await fixture.rows(sums) == [["a", "3", "18"], ["c", "1", "7"]])
        try await fixture.tearDown()
    }

    @Test func changesStayUntilTheReaderHasSeenThem() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/order_log.sql", Self.orderLog)
        try fixture.write("sql/transforms/customer_sums.sql", Self.customerSums)
        try await fixture.run()
        try await fixture.connection.executeScript(
            "update raw.orders set amount = 6, _load_id = clv_meta.next_load_id() where order_id = 'o2'")
        try await fixture.run(select: ["analytics.order_log"])
        // The reader has not run: the removed (-1, 5) and added (+1, 6) versions of o2 wait for it.
        #expect(
            try await fixture.rows(
                "select _sign::text, order_id, amount::text from clv_changes.analytics__order_log order by 1")
                == [["-1", "o2", "5"], ["1", "o2", "6"]])
        try await fixture.run()
        #expect(
            try await fixture.rows("select revenue::text from analytics.customer_sums where customer_id = 'a'") == [
                ["16"]
            ])
        try await fixture.tearDown()
    }

    @Test func aReaderRebuildsInFullAfterItsUpstreamWasRebuiltAlone() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write("sql/transforms/order_log.sql", Self.orderLog)
        try fixture.write("sql/transforms/customer_sums.sql", Self.customerSums)
        try await fixture.run()
        // The order log is rebuilt in full on its own: its change records start again empty, so
        // the sums cannot be brought up to date from them.
        try await fixture.connection.executeScript(
            "update raw.orders set amount = 9, _load_id = clv_meta.next_load_id() where order_id = 'o3'")
        try await fixture.run(select: ["analytics.order_log"], fullRefresh: true)
        let report = try await fixture.run()
        #expect(report.built.map(\.transform) == ["analytics.customer_sums"])
        #expect(report.built.first?.mode == "full")
        #expect(
            try await fixture.rows("select revenue::text from analytics.customer_sums where customer_id = 'b'") == [
                ["9"]
            ])
        try await fixture.tearDown()
    }

    @Test func deletedMarkerRemovesKeysAndIsNotStored() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write(
            "sql/transforms/paying.sql",
            """
            -- name: analytics.paying_customers
            -- materialized: incremental
            -- unique_key: customer_id
            -- depends_on: raw.orders
            with changed as (
                select distinct customer_id from raw.orders
                where _load_id > clv_meta.since_load() and _load_id <= clv_meta.until_load()
            ),
            paid as (
                select customer_id, sum(amount) as revenue from raw.orders
                where amount > 0 and _load_id <= clv_meta.until_load()
                    and (not clv_meta.is_incremental() or customer_id in (select customer_id from changed))
                group by customer_id
            )
            select customer_id, revenue, false as _deleted from paid
            union all
            select customer_id, null, true from changed
            where clv_meta.is_incremental() and customer_id not in (select customer_id from paid)
            """)
        try await fixture.run()
        // b's only order is refunded to 0: b is no longer a paying customer.
        try await fixture.connection.executeScript(
            "update raw.orders set amount = 0, _load_id = clv_meta.next_load_id() where order_id = 'o3'")
        let report = try await fixture.run()
        #expect(report.built.first?.mode.hasPrefix("incremental") == true)
        let query = "select t::text from analytics.paying_customers as t order by 1"
        #expect(try await fixture.rows(query) == [["(a,15)"]])
        try await fixture.run(fullRefresh: true)
        #expect(try await fixture.rows(query) == [["(a,15)"]])
        try await fixture.tearDown()
    }

    @Test func aTableReadingAViewOfRawFactsRebuildsWhenTheyChange() async throws {
        let fixture = try await Fixture.seededWithOrders()
        try fixture.write(
            "sql/transforms/big_orders.sql",
            """
            -- name: analytics.big_orders
            -- materialized: view
            -- depends_on: raw.orders
            select * from raw.orders where amount >= 7
            """)
        try fixture.write(
            "sql/transforms/big_order_count.sql",
            """
            -- name: analytics.big_order_count
            -- materialized: table
            -- depends_on: analytics.big_orders
            select count(*) as orders from analytics.big_orders
            """)
        try await fixture.run()
        try await fixture.connection.executeScript(
            "insert into raw.orders (order_id, customer_id, amount) values ('o9', 'a', 70)")
        let steps = try await fixture.plan().steps
        #expect(steps.map(\.transform.name) == ["analytics.big_order_count"])
        #expect(steps.first?.reasons == [.newInputData(["raw.orders"])])
        try await fixture.run()
        #expect(try await fixture.rows("select orders::text from analytics.big_order_count") == [["3"]])
        try await fixture.tearDown()
    }

    @Test func headerProblemsNameTheLine() throws {
        let bad = """
            -- name: analytics.x
            -- materialized: table
            -- strategy: add
            select 1 as x
            """
        #expect(throws: WarehouseError.self) { try TransformCatalog.parse(file: "x.sql", text: bad) }
        let badIndex = """
            -- name: analytics.x
            -- materialized: table
            -- indexes: (a, )
            select 1 as a
            """
        let error = #expect(throws: WarehouseError.self) { try TransformCatalog.parse(file: "x.sql", text: badIndex) }
        #expect(error?.description.contains("x.sql:3") == true)
    }
}
