import Core
import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import Rules

/// Revenue outcomes: what the network books from the advertiser, beside or instead of a payout,
/// and the revenue ledger (customer facts, performance) following it in the same refresh.
@Suite struct RevenueOutcomeTests {
    /// 10% of revenue paid out and 25% of it booked as revenue on every o1 conversion; $7 more
    /// revenue (and no payout) once a customer has two conversions.
    static let rules = """
        rules:
          - name: Shares
            scope: {apply_to: {offers: [o1]}}
            behavior:
              conditions: []
              frequency: every_conversion
              outcome: {payout: {type: revshare, percent: 10}, revenue: {type: revshare, percent: 25}}
          - name: Second conversion revenue
            behavior:
              conditions: [{data_point: conversions, logic: count_of_values, operator: greater_or_equal, value: 2}]
              frequency: once_per_customer
              outcome: {revenue: {type: fixed, amount: 7}}
        """

    /// A deposit by customer u on offer o1, through click k1 (so performance attributes it).
    func convert(_ fixture: RuleFixture, _ id: String, _ day: Int, _ revenue: Int) async throws {
        try await fixture.connection.execute(
            """
            insert into raw.conversions (conversion_id, customer_id, occurred_at, event, offer_id, partner_id, click_id, revenue, payout)
            values (\(id), 'u', '2025-01-01 10:00+00'::timestamptz + \(day) * interval '1 day', 'deposit', 'o1', 'p1', 'k1', \(revenue), 5)
            """)
    }

    /// conversion_id, default and final payout, default and final revenue, margin.
    func payouts(_ fixture: RuleFixture) async throws -> [[String?]] {
        try await fixture.connection.query(
            """
            select conversion_id, default_payout::text, final_payout::text, default_revenue::text,
                final_revenue::text, margin::text
            from analytics.conversion_payouts order by conversion_id
            """
        ).map(\.values)
    }

    /// The customer's lifetime revenue and the offer's revenue in performance.
    func booked(_ fixture: RuleFixture) async throws -> [String?] {
        try await fixture.connection.query(
            """
            select (select lifetime_revenue::text from analytics.customer_value where customer_id = 'u') as customer,
                (select revenue::text from analytics.performance where dimension = 'offer' and key = 'o1') as offer
            """
        )[0].values
    }

    @Test func aRevenueShareAndAPayoutShareOnTheSameConversion() async throws {
        let fixture = try await RuleFixture.make(rules: Self.rules)
        try await fixture.connection.execute(
            "insert into raw.clicks (click_id, occurred_at, partner_id, offer_id) values ('k1', '2025-01-01 09:00+00', 'p1', 'o1')"
        )
        try await convert(fixture, "r1", 0, 100)
        try await convert(fixture, "r2", 1, 40)
        try await fixture.runTransforms()
        try await fixture.refresh()
        // r1: payout 10% of 100 = 10 replaces the default 5; revenue 25% of 100 = 25 replaces 100.
        // r2: payout 4; revenue 25% of 40 = 10, plus the $7 of the second conversion = 17.
        #expect(
            try await payouts(fixture) == [
                ["r1", "5", "10.0000", "100", "25.0000", "15.0000"],
                ["r2", "5", "4.0000", "40", "17.0000", "13.0000"],
            ])
        // The ledger follows in the same refresh: 25 + 17 = 42 for the customer and the offer.
        let booked1 = try await booked(fixture)
        #expect(booked1 == ["42.0000", "42"])
        // A third conversion of 60 books 15 more (incrementally), and a correction of r1 to 200
        // reverses its 25 and books 50: 42 + 15 + 25 = 82.
        try await convert(fixture, "r3", 2, 60)
        try await fixture.runTransforms()
        try await fixture.refresh()
        let booked2 = try await booked(fixture)
        #expect(booked2 == ["57.0000", "57"])
        try await fixture.connection.execute(
            "update raw.conversions set revenue = 200, _load_id = clv_meta.next_load_id() where conversion_id = 'r1'")
        try await fixture.runTransforms()
        try await fixture.refresh()
        let booked3 = try await booked(fixture)
        #expect(booked3 == ["82.0000", "82"])
        #expect(
            try await fixture.connection.query(
                "select conversion_id, amount::text, revenue_amount::text, entry from analytics.rule_matches where rule_name = 'Shares' order by match_id"
            ).map(\.values) == [
                ["r1", "10.0000", "25.0000", "match"], ["r2", "4.0000", "10.0000", "match"],
                ["r3", "6.0000", "15.0000", "match"], ["r1", "-10.0000", "-25.0000", "reversal"],
                ["r1", "20.0000", "50.0000", "match"],
            ])
        // Incremental equals full: a rebuild from scratch books the same.
        let incremental = try await fixture.connection.query(
            "select customer_id, lifetime_revenue::text, orders::text from analytics_internal.customer_facts order by 1"
        ).map(\.values)
        try await fixture.runTransforms(full: true)
        #expect(
            try await fixture.connection.query(
                "select customer_id, lifetime_revenue::text, orders::text from analytics_internal.customer_facts order by 1"
            ).map(\.values) == incremental)
        let booked4 = try await booked(fixture)
        #expect(booked4 == ["82.0000", "82"])
        try await fixture.tearDown()
    }

    @Test func revenueOutcomeProblemsAreNamed() async throws {
        let fixture = try await RuleFixture.make(rules: "rules: []\n")
        try fixture.folder.write(
            "rules/test.yaml",
            """
            rules:
              - name: No outcome
                behavior: {conditions: [], outcome: {}}
              - name: Bad revenue
                behavior: {conditions: [], outcome: {revenue: {type: revshare, percent: 120}, bonus: 3}}
            """)
        let error = await #expect(throws: ConfigErrors.self) { try await fixture.apply() }
        #expect(
            Set(error?.errors.map(\.description) ?? []) == [
                "rules/test.yaml: rules[0].behavior.outcome: expected payout and/or revenue: {type: fixed, amount: N} or {type: revshare, percent: P}",
                "rules/test.yaml: rules[1].behavior.outcome.bonus: unknown field (expected payout, revenue)",
                "rules/test.yaml: rules[1].behavior.outcome.revenue.percent: expected a percent between 0 and 100",
            ])
        try await fixture.tearDown()
    }
}
