import Core
import Foundation
import Logging
import PostgresClient
import Testing
import Transforms

/// The post-campaign loop: engagement joined back to the audience and campaign, with the members'
/// revenue in the 30 days after their send — computed by hand.
@Suite struct CampaignResultsTests {
    @Test func engagementAndRevenueAfterSend() async throws {
        let fixture = try await AudienceFixture.make(destinations: "destinations: []\n")
        try await fixture.connection.executeScript(
            """
            insert into raw.email_events (occurred_at, campaign_id, audience, contact, type) values
                ('2025-03-01 10:00+00', 'spring', 'vip', 'alice@example.com', 'sent'),
                ('2025-03-01 11:00+00', 'spring', 'vip', 'alice@example.com', 'open'),
                ('2025-03-01 11:05+00', 'spring', 'vip', 'alice@example.com', 'click'),
                ('2025-03-01 10:00+00', 'spring', 'vip', 'erin@example.com', 'sent'),
                ('2025-03-02 09:00+00', 'spring', 'vip', 'erin@example.com', 'open'),
                ('2025-03-01 10:00+00', 'spring', 'vip', 'frank@example.com', 'sent'),
                ('2025-03-03 10:00+00', 'spring', 'vip', 'frank@example.com', 'unsubscribe');
            insert into raw.conversions (conversion_id, customer_id, occurred_at, revenue) values
                ('before', 'c1', '2025-02-28 10:00+00', 100),
                ('after', 'c1', '2025-03-05 10:00+00', 40),
                ('late', 'c1', '2025-04-05 10:00+00', 70),
                ('erin', 'c7', '2025-03-10 10:00+00', 25);
            """)
        var options = TransformRunner.Options()
        options.select = ["+analytics.audience_campaign_results"]
        _ = try await TransformRunner(project: Project(root: AudienceFixture.repository), logger: Logger(label: "t"))
            .run(
                fixture.connection, options: options)
        let rows = try await fixture.connection.query(
            """
            select audience, campaign_id, sent::text, opened::text, clicked::text, unsubscribed::text,
                open_rate::text, click_rate::text, revenue_after_send::text
            from analytics.audience_campaign_results
            order by campaign_id
            """
        ).map(\.values)
        // 3 sent; alice and erin opened (2/3), alice clicked (1/3), frank unsubscribed. Revenue within
        // 30 days after the send: alice 40 (not the 100 before, not the 70 a month later), erin 25.
        // The fixture's own events (campaign k1, no audience): carol's unsubscribe and dave's bounce,
        // nothing sent, so the rates are NULL rather than a division by zero.
        #expect(
            rows == [
                ["", "k1", "0", "0", "0", "1", nil, nil, "0"],
                ["vip", "spring", "3", "2", "1", "1", "0.6667", "0.3333", "65"],
            ])
        try await fixture.tearDown()
    }
}
