import Core
import Foundation
import Ingest
import Logging
import PostgresClient
import Synthetic
import TestSupport
import Testing
import Transforms

/// The repository's transforms on the bundled example (values worked out by hand) and on generated data.
@Suite struct DerivedAttributesTests {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let asOf = PostgresTimestamp.parse("2025-04-01T00:00:00Z")!

    @discardableResult
    func run(_ fixture: IngestFixture, full: Bool = false, asOf: Date = Self.asOf) async throws
        -> TransformRunner.Report
    {
        var options = TransformRunner.Options()
        options.asOf = asOf
        options.fullRefresh = full
        return try await TransformRunner(project: Project(root: repository), logger: Logger(label: "t")).run(
            fixture.connection, options: options)
    }

    func loadExample(_ fixture: IngestFixture) async throws {
        for kind in [IngestKind.partners, .offers, .customers, .clicks, .conversions] {
            let url = repository.appendingPathComponent("examples/demo/\(kind.rawValue).csv")
            _ = try await FileLoader(logger: Logger(label: "t")).load(
                url, options: .init(kind: kind), on: fixture.connection)
        }
    }

    @Test func bundledExampleGivesTheHandComputedFigures() async throws {
        let fixture = try await IngestFixture.make()
        try await loadExample(fixture)
        try await run(fixture)
        // cust_1: 4 conversions, of which 3 purchases (c1 is a sign-up with no revenue): 0 + 150 + 75 + 20
        // = 245, AOV 245 / 3 = 81.67; first 01-03 10:05, last 03-01 16:00 → 57 whole days.
        #expect(
            try await fixture.rows(
                "select conversions::text, orders::text, lifetime_revenue::text, aov::text, tenure_days::text, clv::text from analytics.customer_value where customer_id = 'cust_1'"
            )
                == [["4", "3", "245", "81.67", "57", "245"]])
        // Jan cohort: 7d 150 + 50 + 10; 90d adds cust_1's 75 (day 38) and 20 (day 57).
        #expect(
            try await fixture.rows(
                "select customers::text, revenue_7d::text, revenue_30d::text, revenue_90d::text from analytics.cohort_revenue where cohort_grain = 'month' and cohort_start = '2025-01-01'"
            )
                == [["3", "210", "210", "305"]])
        // The view judges completeness at the reader's reference time: set it to 2025-04-01.
        // Jan: 02-01 + 30 days = 03-03 has passed, 02-01 + 90 days = 05-02 has not. Feb (28 days): 03-01 + 30
        // days = 03-31 has passed. March: 04-01 + 7 days has not.
        try await fixture.connection.query("select set_config('clv.as_of', '2025-04-01 00:00:00+00', false)")
        #expect(
            try await fixture.rows(
                "select cohort_start::date::text, complete_7d::text, complete_30d::text, complete_90d::text from analytics.cohort_revenue where cohort_grain = 'month' order by 1"
            )
                == [
                    ["2025-01-01", "true", "true", "false"], ["2025-02-01", "true", "true", "false"],
                    ["2025-03-01", "false", "false", "false"],
                ])
        // Offer trading (7-day window): clicks k1, k4, both converting; attributed c1, c2, c7, c8, of which
        // purchases c2 and c8; revenue 650; payouts 40 + 40; no sends, so no messaging cost and no ROI.
        #expect(
            try await fixture.rows(
                "select clicks::text, conversions::text, orders::text, revenue::text, partner_payout::text, round(epc, 2)::text, round(conversion_rate, 4)::text, net_revenue::text, coalesce(roi::text, 'NULL'), coalesce(revenue_per_send::text, 'NULL') from analytics.performance where dimension = 'offer' and key = 'trading'"
            )
                == [["2", "4", "2", "650", "80", "325.00", "1.0000", "570", "NULL", "NULL"]])
        // February vs the 28 days before it (2025-01-04 … 2025-01-31).
        #expect(
            try await fixture.rows(
                "select metric, source, current_value::text, previous_value::text, change::text, coalesce(pct_change::text, 'NULL') from analytics.compare_periods('2025-02-01', '2025-03-01') order by 1, 2"
            )
                == [
                    ["new_customers", "affiliate", "1", "1", "0", "0.00"],
                    ["new_customers", "direct", "0", "1", "-1", "-100.00"],
                    ["new_customers", "other", "1", "0", "1", "NULL"],
                    ["revenue", "affiliate", "575", "200", "375", "187.50"],
                    ["revenue", "direct", "0", "10", "-10", "-100.00"],
                    ["revenue", "other", "30", "0", "30", "NULL"],
                ])
        #expect(
            try await fixture.rows(
                "select partner_id, customers::text, lifetime_revenue::text, avg_clv::text, payout::text, net_value_per_customer::text from analytics.partner_value order by 1"
            )
                == [
                    ["p1", "2", "745", "372.50", "80", "332.50"], ["p2", "1", "50", "50.00", "12.5", "37.50"],
                    ["p3", "1", "80", "80.00", "20", "60.00"],
                ])
        try await fixture.tearDown()
    }

    /// Every derived relation as sorted text, to compare an incremental build with a full one.
    func snapshot(_ fixture: IngestFixture) async throws -> [String: [[String?]]] {
        var result: [String: [[String?]]] = [:]
        for relation in [
            "analytics.attributed_conversions", "analytics.customer_value", "analytics.clv_deciles",
            "analytics.customer_deciles", "analytics_internal.clv_decile_bounds",
            "analytics_internal.attributed_imports",
            "analytics.conversion_payouts",
            "analytics_internal.customer_cohort_revenue", "analytics.cohort_revenue", "analytics.performance",
            "analytics.partner_value", "analytics.source_value", "analytics.new_customers_daily",
            "analytics.contact_lifetime", "analytics.audience_campaign_results",
            "analytics_internal.audience_member_results",
        ] {
            result[relation] = try await fixture.rows("select t::text from \(relation) as t order by 1")
        }
        return result
    }

    @Test func incrementalBuildsEqualAFullRefresh() async throws {
        let fixture = try await IngestFixture.make()
        var options = SyntheticGenerator.Options(customers: 1500)
        options.seed = 3
        options.days = 90
        _ = try await SyntheticGenerator(logger: Logger(label: "t")).generate(options, on: fixture.connection)
        try await run(fixture)
        // Round 1: new conversions for existing customers, one far in the past (late), and a new customer.
        try await fixture.load(
            .conversions, "r1.csv",
            """
            conversion_id,user_id,occurred_at,event,click_id,revenue
            x1,cust_5,2025-02-01T00:00:00Z,deposit,k5,100
            x2,cust_7,2024-06-01T00:00:00Z,deposit,k7,33.5
            x3,new_1,2025-03-01T00:00:00Z,base,,12
            """)
        let round1 = try await run(fixture)
        #expect(
            round1.built.contains {
                $0.transform == "analytics_internal.customer_facts" && $0.mode.hasPrefix("incremental")
            })
        // Round 2: duplicates, a correction of x1, a late click for an existing conversion and a customer's new signup date.
        try await fixture.load(
            .conversions, "r2.csv",
            """
            conversion_id,user_id,occurred_at,event,click_id,revenue
            x1,cust_5,2025-02-01T00:00:00Z,deposit,k5,120
            x3,new_1,2025-03-01T00:00:00Z,base,,12
            """)
        try await fixture.load(.clicks, "k.csv", "click_id,occurred_at,offer_id\nk_late,2025-02-27T00:00:00Z,o001")
        try await fixture.load(
            .conversions, "r3.csv",
            "conversion_id,user_id,occurred_at,click_id,revenue\nx4,new_1,2025-02-28T00:00:00Z,k_late,7")
        try await fixture.load(.customers, "c.csv", "user_id,source,signup_at\nnew_1,direct,2025-02-20T00:00:00Z")
        // Imported revenue: for a click whose postback had none (counted, for cust_12), for x1's
        // click (its postback carried revenue: not counted) and for a click nobody converted on.
        try await fixture.load(
            .conversions, "r5.csv",
            "conversion_id,user_id,occurred_at,event,click_id,revenue\nx5,cust_12,2025-02-10T00:00:00Z,base,k_imp,0")
        try await fixture.load(
            .revenue, "i.csv", "click_id,amount,date\nk_imp,55,2025-02-12\nk5,15,2025-02-02\nk_orphan,9,2025-03-01")
        try await run(fixture)
        // Round 3: a correction moving x1 to another customer, a deleted conversion, a customer losing
        // every conversion, a click whose offer changes by hand (no new load id from the writer), a
        // send whose cost and creative change, email events arriving for a customer and one deleted.
        try await fixture.load(
            .conversions, "r4.csv",
            "conversion_id,user_id,occurred_at,event,click_id,revenue\nx1,cust_9,2025-02-01T00:00:00Z,deposit,k5,120")
        let db = fixture.connection
        // A postback with revenue now reaches k_imp (its import stops counting); k_orphan's import is deleted.
        try await fixture.load(
            .conversions, "r6.csv",
            "conversion_id,user_id,occurred_at,event,click_id,revenue\nx6,cust_12,2025-02-20T00:00:00Z,deposit,k_imp,10"
        )
        try await db.execute("delete from raw.revenue_imports where click_id = 'k_orphan'")
        try await db.execute("delete from raw.conversions where conversion_id = 'x2'")
        try await db.execute("delete from raw.conversions where customer_id = 'cust_11'")
        try await db.execute(
            """
            update raw.clicks set offer_id = 'o002'
            where click_id = (select click_id from analytics.attributed_conversions where is_attributed order by 1 limit 1)
            """)
        let send = try await db.query(
            """
            select message_id from analytics.attributed_conversions
            where is_attributed and message_id is not null order by conversion_id limit 1
            """)[0].decode(String.self, "message_id")
        try await fixture.load(
            .sends, "s.csv",
            "message_id,sent_at,creative_id,cost\n\(send),2025-01-10T00:00:00Z,cr_changed,1.25")
        try await fixture.load(
            .emailEvents, "e.csv",
            """
            occurred_at,campaign_id,audience,contact,type
            2025-01-25T00:00:00Z,c_new,high_value,User5@example.com ,sent
            2025-01-25T01:00:00Z,c_new,high_value,user5@example.com,open
            """)
        try await db.execute(
            "delete from raw.email_events where ctid = (select min(ctid) from raw.email_events where type = 'open')")
        let round3 = try await run(fixture)
        #expect(round3.built.allSatisfy { !$0.mode.hasPrefix("full") || $0.transform.hasSuffix("clv_decile_bounds") })
        // Round 4: a later reference time moves the CLV lookback windows; still incremental.
        let later = Self.asOf.addingTimeInterval(45 * 86_400)
        let round4 = try await run(fixture, asOf: later)
        #expect(
            round4.built.contains {
                $0.transform == "analytics_internal.decile_population" && $0.mode.hasPrefix("incremental")
                    && $0.rows > 0
            })
        let incremental = try await snapshot(fixture)
        try await run(fixture, full: true, asOf: later)
        let full = try await snapshot(fixture)
        for (relation, rows) in full {
            #expect(incremental[relation] == rows, "\(relation) differs between incremental and full builds")
        }
        #expect(full["analytics.customer_value"]!.count > 1000)
        #expect(!full["analytics.customer_value"]!.contains { $0[0]?.hasPrefix("(cust_11,") == true })
        #expect(
            full["analytics.audience_campaign_results"]!.contains { $0[0]?.hasPrefix("(high_value,c_new,1,") == true })
        try await fixture.tearDown()
    }

    /// Deciles kept by moving each ranking's bounds equal ceil(10 × cume_dist()) computed directly
    /// from the conversions, for every lookback and within sources, round after round: big purchases
    /// moving customers up, deleted conversions moving them down or out of a window, new customers,
    /// and the windows sliding.
    @Test func incrementalDecilesEqualCumeDistEveryRound() async throws {
        let fixture = try await IngestFixture.make()
        var options = SyntheticGenerator.Options(customers: 800)
        options.seed = 11
        options.days = 120
        _ = try await SyntheticGenerator(logger: Logger(label: "t")).generate(options, on: fixture.connection)
        var asOf = Self.asOf
        try await run(fixture, asOf: asOf)
        // $1 reference time, $2 window days (NULL: lifetime), $3 the dimension to rank within.
        let direct = """
            select c.customer_id, sum(c.revenue)::text as revenue,
                   ceil(10 * cume_dist() over (
                       partition by case $3 when 'source' then coalesce(u.source, 'other') else '' end
                       order by sum(c.revenue)))::text as decile
            from raw.conversions as c left join raw.customers as u on u.customer_id = c.customer_id
            where c.customer_id is not null and c.occurred_at <= $1::timestamptz
                and ($2::integer is null or c.occurred_at > $1::timestamptz - $2::integer * interval '1 day')
            group by c.customer_id, u.source order by c.customer_id
            """
        let published = """
            select customer_id, revenue::text, decile::text from analytics.customer_deciles
            where lookback = $1 and dimension = $2 order by customer_id
            """
        for round in 1...5 {
            let db = fixture.connection
            try await db.execute(
                SQL(
                    unsafeSQL: """
                        insert into raw.conversions (conversion_id, customer_id, occurred_at, revenue)
                        select 'd\(round)_' || g, 'cust_' || (g * 37 * \(round) % 900),
                               '\(PostgresTimestamp.format(asOf))'::timestamptz - g * interval '3 days', g * \(round)
                        from generate_series(1, 40) as g
                        """))
            try await db.execute(
                SQL(
                    unsafeSQL: """
                        delete from raw.conversions where conversion_id in (
                            select conversion_id from raw.conversions order by md5(conversion_id || '\(round)') limit 25)
                        """))
            asOf = asOf.addingTimeInterval(Double(round) * 5 * 86_400)
            let report = try await run(fixture, asOf: asOf)
            #expect(
                report.built.contains {
                    $0.transform.hasSuffix("clv_decile_bounds") && $0.mode.hasPrefix("incremental")
                })
            let at = PostgresTimestamp.format(asOf)
            for (lookback, days, dimension) in [
                ("30d", "30", "all"), ("90d", "90", "all"), ("180d", "180", "all"), ("365d", "365", "all"),
                ("lifetime", nil, "all"), ("365d", "365", "source"),
            ] as [(String, String?, String)] {
                let expected = try await db.query(SQL(unsafeSQL: direct, binding: [at, days, dimension])).map(\.values)
                let deciles = try await db.query(SQL(unsafeSQL: published, binding: [lookback, dimension])).map(
                    \.values)
                #expect(deciles == expected, "round \(round), \(lookback) within \(dimension)")
            }
        }
        try await fixture.tearDown()
    }
}
