import Core
import Foundation
import PostgresClient
import Testing

@testable import Transforms

/// Incremental transforms written as plain SQL with a declared change set (`-- recompute:`): the
/// engine recomputes the changed keys only, removes vanished ones, and equals a full refresh.
@Suite struct RecomputeTests {
    /// Orders and customers with history, as the shipped raw schema keeps it.
    static let migration = """
        create schema raw;
        create schema raw_history;
        create table raw.orders (
            order_id text primary key, customer_id text, amount numeric not null,
            _load_id bigint not null default clv_meta.next_load_id()
        );
        create table raw.customers (
            customer_id text primary key, region text not null,
            _load_id bigint not null default clv_meta.next_load_id()
        );
        create function raw_history.keep() returns trigger language plpgsql as $$
        begin
            execute format('insert into raw_history.%I select r.*, clv_meta.next_load_id() from replaced as r', tg_table_name);
            return null;
        end $$;
        create function raw_history.stamp() returns trigger language plpgsql as $$
        begin
            new._load_id := clv_meta.next_load_id();
            return new;
        end $$;
        do $$
        declare t text;
        begin
            foreach t in array array['orders', 'customers'] loop
                execute format('create table raw_history.%I (like raw.%I)', t, t);
                execute format('alter table raw_history.%I add column _replaced_by bigint not null', t);
                execute format('create trigger s before update on raw.%I for each row execute function raw_history.stamp()', t);
                execute format('create trigger u after update on raw.%I referencing old table as replaced for each statement execute function raw_history.keep()', t);
                execute format('create trigger d after delete on raw.%I referencing old table as replaced for each statement execute function raw_history.keep()', t);
            end loop;
        end $$;
        """

    static let customerTotals = """
        -- name: analytics.customer_totals
        -- materialized: incremental
        -- unique_key: customer_id
        -- keeps_changes: true
        -- recompute: customer_id from raw.orders
        -- depends_on: raw.orders
        select customer_id, sum(amount) as revenue, count(*) as orders
        from raw.orders
        where customer_id is not null and _load_id <= clv_meta.until_load()
        group by customer_id
        """

    static let regionTotals = """
        -- name: analytics.region_totals
        -- materialized: incremental
        -- unique_key: region
        -- recompute: region from raw.customers, analytics.customer_totals(customer_id -> raw.customers)
        -- depends_on: raw.customers, analytics.customer_totals
        select c.region, sum(t.revenue) as revenue, count(*) as customers
        from analytics.customer_totals as t
        join raw.customers as c on c.customer_id = t.customer_id and c._load_id <= clv_meta.until_load()
        group by c.region
        """

    func totals(_ fixture: Fixture) async throws -> [[String?]] {
        try await fixture.rows(
            """
            select 'customer', customer_id, revenue::text, orders::text from analytics.customer_totals
            union all
            select 'region', region, revenue::text, customers::text from analytics.region_totals
            order by 1, 2
            """)
    }

    @Test func changedKeysAreRecomputedAndVanishedOnesRemoved() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("sql/schema/0001_orders.sql", Self.migration)
        try fixture.write("sql/transforms/customer_totals.sql", Self.customerTotals)
        try fixture.write("sql/transforms/region_totals.sql", Self.regionTotals)
        try await fixture.migrate()
        let db = fixture.connection
        try await db.executeScript(
            """
            insert into raw.customers values ('a', 'north'), ('b', 'north'), ('c', 'south'), ('d', 'east');
            insert into raw.orders (order_id, customer_id, amount) values
                ('o1', 'a', 10), ('o2', 'a', 5), ('o3', 'b', 7), ('o4', 'c', 1), ('o5', 'd', 2);
            """)
        #expect(try await fixture.run().built.allSatisfy { $0.mode == "full" })

        // An order moves from a to c, d's only order is deleted (d and region east vanish), b moves south.
        try await db.executeScript(
            """
            update raw.orders set customer_id = 'c' where order_id = 'o2';
            delete from raw.orders where order_id = 'o5';
            update raw.customers set region = 'south' where customer_id = 'b';
            insert into raw.orders (order_id, customer_id, amount) values ('o6', 'e', 4);
            """)
        let report = try await fixture.run()
        #expect(report.built.map(\.mode).allSatisfy { $0.hasPrefix("incremental") })
        // customer_totals: a, c, e rebuilt and d removed (4 rows); region_totals: north and south
        // changed, east removed (3 rows; e has no customer row, so no region).
        #expect(
            report.built.map { "\($0.transform) \($0.rows)" } == [
                "analytics.customer_totals 4", "analytics.region_totals 3",
            ])
        let incremental = try await totals(fixture)
        #expect(
            incremental == [
                ["customer", "a", "10", "1"], ["customer", "b", "7", "1"], ["customer", "c", "6", "2"],
                ["customer", "e", "4", "1"], ["region", "north", "10", "1"], ["region", "south", "13", "2"],
            ])
        try await fixture.run(fullRefresh: true)
        #expect(try await totals(fixture) == incremental)

        // Nothing changed: nothing is recomputed.
        let idle = try await fixture.run()
        #expect(idle.built.isEmpty)
        try await fixture.tearDown()
    }

    @Test func aRelationMarkedWithChangesByGivesTheKeysOfItsRowsPastTheMark() async throws {
        let fixture = try await Fixture.make()
        try fixture.write(
            "sql/schema/0001_ledger.sql",
            """
            create schema ledger;
            create table ledger.entries (entry_id bigint generated always as identity, customer_id text, amount numeric);
            create index on ledger.entries (entry_id);
            """)
        try fixture.write(
            "sql/transforms/balances.sql",
            """
            -- name: analytics.balances
            -- materialized: incremental
            -- unique_key: customer_id
            -- depends_on: ledger.entries
            -- changes_by: ledger.entries.entry_id
            -- recompute: customer_id from ledger.entries
            select customer_id, sum(amount) as balance from ledger.entries group by customer_id having sum(amount) <> 0
            """)
        try await fixture.migrate()
        let db = fixture.connection
        try await db.execute("insert into ledger.entries (customer_id, amount) values ('a', 10), ('b', 5)")
        #expect(try await fixture.run().built.map(\.mode) == ["full"])
        // b's entry is reversed (b vanishes), c gets one; a is not looked at.
        try await db.execute("insert into ledger.entries (customer_id, amount) values ('b', -5), ('c', 3)")
        let report = try await fixture.run()
        #expect(report.built.map(\.mode).allSatisfy { $0.hasPrefix("incremental") })
        // c rebuilt and b removed.
        #expect(report.built.map(\.rows) == [2])
        let balances = "select customer_id, balance::text from analytics.balances order by 1"
        let incremental = try await db.query(SQL(unsafeSQL: balances)).map(\.values)
        #expect(incremental == [["a", "10"], ["c", "3"]])
        try await fixture.run(fullRefresh: true)
        #expect(try await db.query(SQL(unsafeSQL: balances)).map(\.values) == incremental)
        #expect(try await fixture.run().built.isEmpty)
        try await fixture.tearDown()
    }

    @Test func lookupPathsAreParsed() throws {
        let parsed = try #require(
            Recompute.parse(
                "conversion_id from raw.conversions, raw.message_sends(message_id -> raw.clicks.click_id -> raw.conversions)"
            ))
        #expect(parsed.key == "conversion_id")
        #expect(
            parsed.sources == [
                .init(relation: "raw.conversions", column: "conversion_id"),
                .init(
                    relation: "raw.message_sends", column: "message_id",
                    lookups: [
                        .init(relation: "raw.clicks", carry: "click_id"),
                        .init(relation: "raw.conversions", carry: nil),
                    ]),
            ])
        #expect(parsed.relations == ["raw.conversions", "raw.message_sends", "raw.clicks", "raw.conversions"])
        // An intermediate lookup must say which column it carries on; the last gives the key, or
        // the column that holds its values.
        #expect(Recompute.parse("k from raw.a(x -> raw.b -> raw.c)") == nil)
        #expect(
            Recompute.parse("k from raw.a(x -> raw.b.y)")?.sources == [
                .init(relation: "raw.a", column: "x", lookups: [.init(relation: "raw.b", carry: "y")])
            ])
    }

    @Test func aKeyMadeFromEachSourceValueIsParsed() throws {
        let parsed = try #require(
            Recompute.parse(
                "lower(btrim(contact)) AS contact from raw.email_events, raw.customers(email), analytics.x(customer_id -> raw.customers.email)"
            ))
        #expect(parsed.key == "contact")
        #expect(parsed.keyExpression == "lower(btrim(contact))")
        #expect(
            parsed.sources == [
                .init(relation: "raw.email_events", column: "contact"),
                .init(relation: "raw.customers", column: "email"),
                .init(
                    relation: "analytics.x", column: "customer_id",
                    lookups: [.init(relation: "raw.customers", carry: "email")]),
            ])
        let statement = ChangedKeys.statement(parsed).sql
        #expect(statement.contains("select distinct lower(btrim(contact)) as \"contact\" from ("))
        #expect(statement.contains("select l1.\"email\" from ("))
        #expect(Recompute.parse(" as contact from raw.a") == nil)
        #expect(Recompute.parse("lower(x) as t.k from raw.a") == nil)
    }

    @Test func aRollingWindowSourceIsParsed() throws {
        let parsed = try #require(
            Recompute.parse(
                "customer_id from raw.conversions(customer_id at occurred_at within analytics.rankings.lookback_days days)"
            ))
        #expect(
            parsed.sources == [
                .init(
                    relation: "raw.conversions", column: "customer_id",
                    window: .init(time: "occurred_at", lengths: "analytics.rankings", lengthColumn: "lookback_days"))
            ])
        #expect(parsed.relations == ["raw.conversions", "analytics.rankings"])
        let statement = ChangedKeys.statement(parsed).sql
        #expect(statement.contains("from (select \"lookback_days\" from \"analytics\".\"rankings\" where"))
        #expect(
            statement.contains(
                "where clv_meta.as_of() <> clv_meta.previous_as_of() and s._load_id <= clv_meta.until_load()"))
        #expect(Recompute.parse("k from raw.a(k at t within 30 days)") == nil)
        #expect(Recompute.parse("k from raw.a(k at t within analytics.r.days)") == nil)
    }

    @Test func aKeyThatDoesNotLeadTheUniqueKeyGetsAnIndex() throws {
        let header = """
            -- name: analytics.members
            -- materialized: incremental
            -- unique_key: campaign_id, contact
            -- depends_on: raw.events
            -- recompute: contact from raw.events

            """
        let sql = "select campaign_id, contact, count(*) as events from raw.events group by 1, 2"
        #expect(try TransformCatalog.parse(file: "m.sql", text: header + sql).indexes == [["contact"]])
        let declared = header.replacingOccurrences(
            of: "-- recompute", with: "-- indexes: (contact, campaign_id)\n-- recompute")
        #expect(
            try TransformCatalog.parse(file: "m.sql", text: declared + sql).indexes == [["contact", "campaign_id"]])
        let leading = header.replacingOccurrences(of: "campaign_id, contact", with: "contact, campaign_id")
        #expect(try TransformCatalog.parse(file: "m.sql", text: leading + sql).indexes == [])
    }

    @Test func declarationsAreChecked() throws {
        #expect {
            try TransformCatalog.parse(
                file: "sql/transforms/x.sql",
                text: Self.customerTotals.replacingOccurrences(
                    of: "customer_id from raw.orders", with: "customer_id raw.orders"))
        } throws: { error in
            "\(error)".hasPrefix("sql/transforms/x.sql:5: recompute must be 'KEY from schema.relation")
        }
        #expect {
            try TransformCatalog.parse(
                file: "sql/transforms/x.sql",
                text: Self.customerTotals.replacingOccurrences(
                    of: "from raw.orders\n", with: "from raw.orders, raw.refunds\n"))
        } throws: { error in
            "\(error)" == "sql/transforms/x.sql:5: recompute reads raw.refunds but depends_on does not list it"
        }
        let withoutChanges = Self.customerTotals.replacingOccurrences(of: "-- keeps_changes: true\n", with: "")
        #expect {
            try TransformCatalog([
                try TransformCatalog.parse(file: "sql/transforms/customer_totals.sql", text: withoutChanges),
                try TransformCatalog.parse(file: "sql/transforms/region_totals.sql", text: Self.regionTotals),
            ])
        } throws: { error in
            "\(error)"
                == "sql/transforms/region_totals.sql: recompute reads the changes of analytics.customer_totals, which keeps none (add '-- keeps_changes: true' to sql/transforms/customer_totals.sql)"
        }
    }
}
