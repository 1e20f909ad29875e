import Foundation
import Logging
import PostgresClient
import Synthetic
import TestSupport
import Testing

@Suite struct SyntheticGeneratorTests {
    /// A digest of every raw row (without load ids), to compare two databases.
    func fingerprintOf(_ fixture: IngestFixture) async throws -> [[String?]] {
        try await fixture.rows(
            """
            select 'customers', count(*)::text, md5(string_agg(customer_id || email || source || coalesce(partner_id, '') || signup_at::text || geo, ',' order by customer_id)) from raw.customers
            union all select 'conversions', count(*)::text, md5(string_agg(conversion_id || occurred_at::text || event || revenue::text || params::text, ',' order by conversion_id)) from raw.conversions
            union all select 'email_events', count(*)::text, md5(string_agg(contact || campaign_id || type || occurred_at::text, ',' order by contact, campaign_id, type, occurred_at)) from raw.email_events
            union all select 'clicks', count(*)::text, md5(string_agg(click_id || occurred_at::text, ',' order by click_id)) from raw.clicks
            union all select 'sends', count(*)::text, md5(string_agg(message_id || sent_at::text, ',' order by message_id)) from raw.message_sends
            union all select 'offers', count(*)::text, md5(string_agg(offer_id || attribution_window::text || payout::text, ',' order by offer_id)) from raw.offers
            """)
    }

    @discardableResult
    func generate(_ fixture: IngestFixture, customers: Int, seed: UInt64) async throws -> SyntheticGenerator.Summary {
        var options = SyntheticGenerator.Options(customers: customers)
        options.seed = seed
        options.chunkSize = 700
        return try await SyntheticGenerator(logger: Logger(label: "test")).generate(options, on: fixture.connection)
    }

    @Test func sameSeedSameDataAndRerunIsANoOp() async throws {
        let first = try await IngestFixture.make()
        let second = try await IngestFixture.make()
        let summary = try await generate(first, customers: 2000, seed: 7)
        #expect(summary.customers == 2000)
        try await generate(second, customers: 2000, seed: 7)
        let fingerprint = try await fingerprintOf(first)
        #expect(fingerprint == (try await fingerprintOf(second)))
        #expect(fingerprint[0][1] == "2000")
        #expect(fingerprint[1][1] == String(summary.conversions))

        let again = try await generate(first, customers: 2000, seed: 7)
        #expect(again.alreadyGenerated)
        #expect(try await fingerprintOf(first) == fingerprint)

        let other = try await IngestFixture.make()
        try await generate(other, customers: 2000, seed: 8)
        #expect(try await fingerprintOf(other)[1] != fingerprint[1])
        for fixture in [first, second, other] { try await fixture.tearDown() }
    }

    @Test func dataHasTheShapeOfARealProgram() async throws {
        let fixture = try await IngestFixture.make()
        let summary = try await generate(fixture, customers: 3000, seed: 1)
        let shape = try await fixture.rows(
            """
            with per_customer as (
                select customer_id, sum(revenue) as revenue from raw.conversions group by customer_id
            ), ranked as (
                select revenue, ntile(100) over (order by revenue desc) as percentile from per_customer
            )
            select
                (select (sum(revenue) filter (where percentile = 1) / sum(revenue) > 0.10)::text from ranked),
                (select count(distinct partner_id)::text from raw.customers where partner_id is not null) ,
                (select bool_and(source in ('affiliate', 'direct', 'other'))::text from raw.customers),
                (select (count(*) filter (where event = 'deposit') > 0 and count(*) filter (where event in ('trade', 'level')) > 0)::text from raw.conversions),
                (select (count(*) filter (where params ? 'deposit') = count(*) filter (where event = 'deposit'))::text from raw.conversions),
                (select count(distinct type)::text from raw.email_events),
                (select (count(*) = 0)::text from raw.conversions c left join raw.customers u using (customer_id) where u.customer_id is null)
            """)
        // The top 1% of customers bring more than 10% of revenue (whales); many partners; every
        // event kind; deposits carry their data point; engagement of several kinds; no orphan conversions.
        #expect(shape[0][0] == "true")
        #expect(Int(shape[0][1] ?? "0")! > 50)
        #expect(shape[0][2] == "true")
        #expect(shape[0][3] == "true")
        #expect(shape[0][4] == "true")
        #expect(Int(shape[0][5] ?? "0")! >= 3)
        #expect(shape[0][6] == "true")
        #expect(summary.conversions > 3000 * 5)
        try await fixture.tearDown()
    }
}
