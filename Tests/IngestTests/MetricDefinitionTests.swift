import Core
import Foundation
import Ingest
import Logging
import PostgresClient
import Testing
import Transforms

/// Every metric against figures worked out by hand from the reference material: revenue per
/// send, EPC and conversion rate, messaging cost and ROI, signup cohorts, imported revenue, and
/// deciles on small and tied populations.
@Suite struct MetricDefinitionTests {
    let repository = Project(
        root: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent())
    static let asOf = PostgresTimestamp.parse("2025-06-30T00:00:00Z")!

    @discardableResult
    func run(_ fixture: IngestFixture, full: Bool = false) async throws -> TransformRunner.Report {
        var options = TransformRunner.Options()
        options.asOf = Self.asOf
        options.fullRefresh = full
        return try await TransformRunner(project: repository, logger: Logger(label: "t")).run(
            fixture.connection, options: options)
    }

    func performance(_ fixture: IngestFixture, _ dimension: String, _ key: String, _ columns: String) async throws
        -> [String?]
    {
        try await fixture.rows(
            "select \(columns) from analytics.performance where dimension = '\(dimension)' and key = '\(key)'"
        ).first ?? []
    }

    @Test func referenceFiguresForSendsClicksConversionsAndCost() async throws {
        let fixture = try await IngestFixture.make()
        try await fixture.connection.executeScript(
            """
            insert into raw.offers (offer_id, attribution_window) values ('o_ref', '30 days'), ('o_epc', '30 days');
            -- Creative cr_ref: 10,000 sends, 1,200 clicks, 48 conversions of 24 each = 1,152.
            insert into raw.message_sends (message_id, sent_at, creative_id, cost)
            select 'm' || g, '2025-05-01', 'cr_ref', 0 from generate_series(1, 10000) as g;
            insert into raw.clicks (click_id, occurred_at, offer_id, message_id)
            select 'k' || g, '2025-05-02', 'o_ref', 'm' || g from generate_series(1, 1200) as g;
            insert into raw.conversions (conversion_id, customer_id, occurred_at, click_id, revenue)
            select 'c' || g, 'u' || g, '2025-05-03', 'k' || g, 24 from generate_series(1, 48) as g;
            -- Offer o_epc: 15,000 clicks, 600 of them converting (200 twice): 800 conversions of 18 = 14,400.
            insert into raw.clicks (click_id, occurred_at, offer_id)
            select 'e' || g, '2025-05-02', 'o_epc' from generate_series(1, 15000) as g;
            insert into raw.conversions (conversion_id, customer_id, occurred_at, click_id, revenue)
            select 'ec' || g, 'v' || g, '2025-05-03'::timestamptz, 'e' || g, 18 from generate_series(1, 600) as g
            union all
            select 'ed' || g, 'v' || g, '2025-05-04', 'e' || g, 18 from generate_series(1, 200) as g;
            -- Campaign spring: 25,000 messages, 35,000 segments at 0.01 = 350; 21 clicks whose
            -- revenue (100 each = 2,100) arrives as a manual import.
            insert into raw.message_sends (message_id, sent_at, campaign_id, segments_used, cost_per_segment)
            select 's' || g, '2025-05-01', 'spring', case when g <= 10000 then 2 else 1 end, 0.01
            from generate_series(1, 25000) as g;
            insert into raw.clicks (click_id, occurred_at, message_id)
            select 'sk' || g, '2025-05-02', 's' || g from generate_series(1, 21) as g;
            insert into raw.revenue_imports (click_id, revenue_date, amount)
            select 'sk' || g, '2025-05-05', 100 from generate_series(1, 21) as g;
            """)
        try await run(fixture)
        #expect(
            try await performance(
                fixture, "creative", "cr_ref", "sends, clicks, conversions, revenue, revenue_per_send")
                == ["10000", "1200", "48", "1152", "0.11520000000000000000"])
        #expect(
            try await performance(fixture, "offer", "o_epc", "clicks, conversions, revenue, epc, conversion_rate")
                == ["15000", "800", "14400", "0.96000000000000000000", "0.04000000000000000000"])
        #expect(
            try await performance(
                fixture, "campaign", "spring", "sends, segments_used, messaging_cost, revenue, roi, roas")
                == ["25000", "35000", "350", "2100", "5.0000000000000000", "6.0000000000000000"])
        try await fixture.tearDown()
    }

    @Test func januarySignupCohortRevenue() async throws {
        let fixture = try await IngestFixture.make()
        // 100 January sign-ups, each 120 on day 1, 160 on day 20, 170 on day 60 and 50 on day 100:
        // 7-day 12,000, 30-day 28,000, 90-day 45,000.
        try await fixture.connection.executeScript(
            """
            insert into raw.customers (customer_id, signup_at, source)
            select 'j' || g, '2025-01-10'::timestamptz, 'direct' from generate_series(1, 100) as g;
            insert into raw.conversions (conversion_id, customer_id, occurred_at, revenue)
            select 'j' || g || '_' || d, 'j' || g, '2025-01-10'::timestamptz + d * interval '1 day', amount
            from generate_series(1, 100) as g, (values (1, 120), (20, 160), (60, 170), (100, 50)) as v (d, amount);
            """)
        try await run(fixture)
        #expect(
            try await fixture.rows(
                "select customers::text, revenue_7d::text, revenue_30d::text, revenue_90d::text from analytics.cohort_revenue where cohort_grain = 'month' and cohort_start = '2025-01-01'"
            ) == [["100", "12000", "28000", "45000"]])
        try await fixture.tearDown()
    }

    @Test func importedRevenueMovesCLVDecileAndRevenuePerSendOnce() async throws {
        let fixture = try await IngestFixture.make()
        // Three customers; a signs up through message ma's click ka without revenue.
        try await fixture.connection.executeScript(
            """
            insert into raw.message_sends (message_id, sent_at, campaign_id, cost) values ('ma', '2025-05-01', 'camp', 10);
            insert into raw.clicks (click_id, occurred_at, message_id) values ('ka', '2025-05-02', 'ma'), ('kb', '2025-05-02', null);
            insert into raw.conversions (conversion_id, customer_id, occurred_at, click_id, revenue) values
                ('a1', 'a', '2025-05-02 01:00', 'ka', 0),
                ('b1', 'b', '2025-05-02 01:00', 'kb', 40),
                ('c1', 'c', '2025-05-03', null, 20);
            """)
        try await run(fixture)
        let customer =
            "select clv::text, orders::text, conversions::text from analytics.customer_value where customer_id = 'a'"
        #expect(try await fixture.rows(customer) == [["0", "0", "1"]])
        #expect(
            try await fixture.rows("select decile::text from analytics.clv_deciles where customer_id = 'a'") == [["4"]])
        // The import for ka: a's CLV 500, an order, the top decile; ma's revenue per send 500 / 1.
        try await fixture.load(.revenue, "r.csv", "click_id,amount,date\nka,500,2025-05-10")
        let report = try await run(fixture)
        #expect(
            report.built.contains {
                $0.transform == "analytics_internal.customer_facts" && $0.mode.hasPrefix("incremental")
            })
        #expect(try await fixture.rows(customer) == [["500", "1", "1"]])
        #expect(
            try await fixture.rows(
                "select decile::text, revenue_365d::text from analytics.clv_deciles where customer_id = 'a'")
                == [["10", "500"]])
        #expect(
            try await performance(fixture, "message", "ma", "revenue, orders, revenue_per_send, roi")
                == ["500", "1", "500.0000000000000000", "49.0000000000000000"])
        // kb's postback already carried 40: importing it again changes nothing.
        let before = try await fixture.rows("select t::text from analytics.customer_value as t order by 1")
        try await fixture.load(.revenue, "r2.csv", "click_id,amount,date\nkb,40,2025-05-10")
        try await run(fixture)
        #expect(try await fixture.rows("select t::text from analytics.customer_value as t order by 1") == before)
        // And a full rebuild agrees with what the incremental runs kept.
        let deciles = try await fixture.rows("select t::text from analytics.clv_deciles as t order by 1")
        let performance = try await fixture.rows("select t::text from analytics.performance as t order by 1")
        try await run(fixture, full: true)
        #expect(try await fixture.rows("select t::text from analytics.clv_deciles as t order by 1") == deciles)
        #expect(try await fixture.rows("select t::text from analytics.performance as t order by 1") == performance)
        try await fixture.tearDown()
    }

    @Test func decilesOnSmallAndTiedPopulations() async throws {
        let fixture = try await IngestFixture.make()
        // n customers with distinct revenue 10, 20, …: customer i of n is in decile ceil(10 i / n).
        for n in [1, 6, 10, 11] {
            try await fixture.connection.executeScript(
                """
                delete from raw.conversions;
                insert into raw.conversions (conversion_id, customer_id, occurred_at, revenue)
                select 'n\(n)_' || g, 'u' || lpad(g::text, 2, '0'), '2025-06-01', g * 10 from generate_series(1, \(n)) as g;
                """)
            try await run(fixture)
            let expected = (1...n).map { i in
                ["u" + (i < 10 ? "0\(i)" : "\(i)"), String(Int((10.0 * Double(i) / Double(n)).rounded(.up)))]
            }
            #expect(
                try await fixture.rows("select customer_id, decile::text from analytics.clv_deciles order by 1")
                    == expected, "\(n) customers")
        }
        // All equal: everyone shares the top decile.
        try await fixture.connection.executeScript(
            """
            delete from raw.conversions;
            insert into raw.conversions (conversion_id, customer_id, occurred_at, revenue)
            select 'eq' || g, 'u' || g, '2025-06-01', 25 from generate_series(1, 7) as g;
            """)
        try await run(fixture)
        #expect(try await fixture.rows("select distinct decile::text from analytics.clv_deciles") == [["10"]])
        // And nobody left in the window: no bounds, no deciles (the window empties at a later reference time).
        try await fixture.connection.executeScript("delete from raw.conversions")
        try await run(fixture)
        #expect(try await fixture.rows("select count(*)::text from analytics_internal.clv_decile_bounds") == [["0"]])
        #expect(try await fixture.rows("select count(*)::text from analytics.clv_deciles") == [["0"]])
        try await fixture.tearDown()
    }
}
