import Core
import Foundation
import PostgresClient
import Testing
import Transforms

/// Transforms over tables clv did not load: no `_load_id`, loaded by another tool.
@Suite struct UntrackedSourceTests {
    /// `raw.orders` as another tool creates it (no clv columns), and `crm.accounts` outside `raw`.
    static let foreignTables = """
        create schema raw;
        create table raw.orders (id int primary key, cust text, amount numeric, updated_at timestamptz not null);
        insert into raw.orders values
            (1, 'a', 10, '2026-01-01'), (2, 'a', 5, '2026-01-02'), (3, 'b', 7, '2026-01-03');
        create schema crm;
        create view crm.accounts as select 'a'::text as cust, 'gold'::text as tier;
        """

    static let plainTable = """
        -- name: analytics.order_totals
        -- materialized: table
        -- unique_key: cust
        -- depends_on: raw.orders, crm.accounts
        select o.cust, sum(o.amount) as amount, max(a.tier) as tier
        from raw.orders as o left join crm.accounts as a on a.cust = o.cust
        group by o.cust
        """

    /// Incremental by the other tool's `updated_at`: recomputes the customers of rows changed since the last build.
    static let incrementalByUpdatedAt = """
        -- name: analytics.order_counts
        -- materialized: incremental
        -- unique_key: cust
        -- depends_on: raw.orders
        -- changes_by: raw.orders.updated_at
        with changed as (
            select distinct cust from raw.orders
            where not clv_meta.is_incremental() or updated_at > clv_meta.since_mark('raw.orders')::timestamptz
        )
        select o.cust, count(*) as orders, sum(o.amount) as amount
        from raw.orders as o join changed using (cust)
        group by o.cust
        """

    @Test func anUntrackedSourceRebuildsItsDependentsEveryRun() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("sql/schema/0001_foreign.sql", Self.foreignTables)
        try fixture.write("sql/transforms/order_totals.sql", Self.plainTable)
        try await fixture.migrate()

        let first = try await fixture.run()
        #expect(first.built.map(\.transform) == ["analytics.order_totals"])
        #expect(
            try await fixture.rows("select cust, amount::text, tier from analytics.order_totals order by 1")
                == [["a", "15", "gold"], ["b", "7", nil]])
        // Nothing says what changed in raw.orders or crm.accounts: every run rebuilds, and says why.
        let plan = try await fixture.plan()
        #expect(plan.steps.map(\.transform.name) == ["analytics.order_totals"])
        #expect(plan.steps[0].reasons.map(\.description) == ["untracked source (crm.accounts, raw.orders)"])
        try await fixture.connection.executeScript("insert into raw.orders values (4, 'b', 1, '2026-01-04')")
        let second = try await fixture.run()
        #expect(second.built.first?.reasons == ["untracked source (crm.accounts, raw.orders)"])
        #expect(
            try await fixture.rows("select cust, amount::text from analytics.order_totals order by 1")
                == [["a", "15"], ["b", "8"]])
        try await fixture.tearDown()
    }

    @Test func aChangeColumnMakesIncrementalBuildsReadOnlyNewerRows() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("sql/schema/0001_foreign.sql", Self.foreignTables)
        try fixture.write("sql/transforms/order_counts.sql", Self.incrementalByUpdatedAt)
        try await fixture.migrate()

        try await fixture.run()
        let query = "select cust, orders::text, amount::text from analytics.order_counts order by 1"
        #expect(try await fixture.rows(query) == [["a", "2", "15"], ["b", "1", "7"]])
        // Up to date: the highest updated_at has not moved.
        #expect(try await fixture.plan().steps.isEmpty)

        // The other tool adds an order for b and corrects one of a's: both customers recomputed, incrementally.
        try await fixture.connection.executeScript(
            """
            insert into raw.orders values (4, 'b', 3, '2026-02-01');
            update raw.orders set amount = 6, updated_at = '2026-02-02' where id = 2;
            """)
        let plan = try await fixture.plan()
        #expect(plan.steps.first?.reasons.map(\.description) == ["new input data (raw.orders)"])
        let report = try await fixture.run()
        #expect(report.built.first?.mode.hasPrefix("incremental") == true)
        #expect(report.built.first?.rows == 2)
        #expect(try await fixture.rows(query) == [["a", "2", "16"], ["b", "2", "10"]])

        // A row changed without moving updated_at past the mark is not seen until a full refresh:
        // the documented limit of change columns.
        try await fixture.connection.executeScript("update raw.orders set amount = 100 where id = 3")
        #expect(try await fixture.plan().steps.isEmpty)
        try await fixture.run(fullRefresh: true)
        #expect(try await fixture.rows(query) == [["a", "2", "16"], ["b", "2", "103"]])
        try await fixture.tearDown()
    }

    @Test func changesByMustNameAColumnOfADependency() throws {
        let text = Self.incrementalByUpdatedAt.replacingOccurrences(
            of: "-- changes_by: raw.orders.updated_at", with: "-- changes_by: raw.other.updated_at")
        let error = #expect(throws: WarehouseError.self) {
            try TransformCatalog.parse(file: "sql/transforms/order_counts.sql", text: text)
        }
        #expect(
            error?.description
                == "sql/transforms/order_counts.sql:5: changes_by entries must be schema.relation.column of a relation in depends_on, got 'raw.other.updated_at'"
        )
    }

    @Test func aMissingSourceOrAnUnknownTransformNameIsStillAnError() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("sql/transforms/order_totals.sql", Self.plainTable)
        try await fixture.migrate()
        let missing = await #expect(throws: WarehouseError.self) { try await fixture.plan() }
        #expect(missing?.description.contains("depends on raw.orders, which does not exist in the database") == true)
        // A name in a schema transforms build is a typo, not a source.
        try fixture.write(
            "sql/transforms/typo.sql",
            "-- name: analytics.typo\n-- materialized: view\n-- depends_on: analytics.order_total\nselect 1 as one")
        let typo = #expect(throws: WarehouseError.self) { try TransformCatalog.load(fixture.project) }
        #expect(typo?.description.contains("depends_on names analytics.order_total, which no file") == true)
        try await fixture.tearDown()
    }
}
