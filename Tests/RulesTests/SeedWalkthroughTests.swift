import Core
import Foundation
import Logging
import PostgresClient
import Testing
import Transforms

@testable import Rules

/// The three walkthroughs of the affiliate platform's Customer Value rule builder.
@Suite struct SeedWalkthroughTests {
    static let trader = """
        data_points:
          - {name: GEO, type: text, parameter: geo}
          - {name: Deposit, type: number, parameter: deposit}
          - {name: Trade Amount, type: number, parameter: usm_num}
        rules:
          - name: High-Value Trader Bonus (EU1)
            status: active
            scope:
              grouping: all_together
              apply_to: {offers: [trading]}
            timeframe: {start: null, end: null, goal_cycle: continuous, window: rule_duration}
            behavior:
              conditions:
                - {data_point: GEO, logic: any_value, operator: exact_match, value: EU1}
                - {data_point: Deposit, logic: sum_of_values, operator: greater_than, value: 200}
                - {data_point: Trade Amount, logic: any_value, operator: greater_than, value: 100}
              frequency: once_per_customer
              apply_on: all_conversions
              outcome: {payout: {type: fixed, amount: 200}}
        """

    static let cust778: [(String, String, String, String, String?, String?, String, String)] = [
        ("t1", "cust_778", "2025-01-01 10:00+00", "base", "trading", "p1", "0", #"{"geo": "EU1"}"#),
        ("t2", "cust_778", "2025-01-02 10:00+00", "deposit", "trading", "p1", "150", #"{"deposit": 150}"#),
        ("t3", "cust_778", "2025-01-03 10:00+00", "deposit", "trading", "p1", "75", #"{"deposit": "75"}"#),
        ("t4", "cust_778", "2025-01-04 10:00+00", "trade", "trading", "p1", "0", #"{"usm_num": 120}"#),
    ]

    @Test func highValueTraderFiresOnTheFourthConversionOnly() async throws {
        let fixture = try await RuleFixture.make(rules: Self.trader)
        // After three conversions: EU1 and 225 deposited, but no trade over 100 yet.
        try await fixture.convert(Array(Self.cust778.prefix(3)))
        try await fixture.evaluate()
        #expect(try await fixture.paid().isEmpty)
        try await fixture.convert([Self.cust778[3]])
        let report = try await fixture.evaluate()
        #expect(report.full == false)
        #expect(report.customers == 1)
        #expect(try await fixture.paid() == [["High-Value Trader Bonus (EU1)", "cust_778", "t4", "", "", "200"]])
        // Re-runs pay nothing more.
        try await fixture.evaluate()
        try await fixture.evaluate(full: true)
        #expect(try await fixture.ledger() == [["High-Value Trader Bonus (EU1)", "t4", "200", "match"]])
        try await fixture.buildPayouts()
        let payouts = try await fixture.connection.query(
            "select conversion_id, applied_rules::text, final_payout::text from analytics.conversion_payouts where conversion_id in ('t3', 't4') order by 1"
        ).map(\.values)
        #expect(payouts == [["t3", "{}", "5"], ["t4", "{\"High-Value Trader Bonus (EU1)\"}", "205"]])
        // The bonus flows into the customer's figures: 4 conversions, 2 purchases (150 and 75), final
        // payouts 4 × the default 5 + the 200 bonus.
        _ = try await TransformRunner(project: RuleFixture.repository, logger: Logger(label: "test")).run(
            fixture.connection, options: TransformRunner.Options())
        #expect(
            try await fixture.connection.query(
                "select conversions::text, orders::text, lifetime_revenue::text, payout::text from analytics.customer_value where customer_id = 'cust_778'"
            ).map(\.values) == [["4", "2", "225", "220"]])
        try await fixture.tearDown()
    }

    @Test func outOfOrderIngestionStillFiresOnTheFourthInTime() async throws {
        let fixture = try await RuleFixture.make(rules: Self.trader)
        // The trade arrives first, then the earlier conversions, late.
        try await fixture.convert([Self.cust778[3]])
        try await fixture.evaluate()
        #expect(try await fixture.paid().isEmpty)
        try await fixture.convert([Self.cust778[1], Self.cust778[0], Self.cust778[2]])
        try await fixture.evaluate()
        #expect(try await fixture.paid().map { $0[2] } == ["t4"])
        try await fixture.tearDown()
    }

    @Test func iGamingLevelTenPaysOnce() async throws {
        let fixture = try await RuleFixture.make(
            rules: """
                data_points: [{name: Level, type: number, parameter: level}]
                rules:
                  - name: iGaming Level 10
                    scope: {grouping: all_together, apply_to: {offers: [casino]}}
                    timeframe: {goal_cycle: continuous}
                    behavior:
                      conditions: [{data_point: Level, logic: any_value, operator: greater_or_equal, value: 10}]
                      frequency: once_per_customer
                      outcome: {payout: {type: fixed, amount: 25}}
                """)
        try await fixture.convert([
            ("g1", "player", "2025-01-01 10:00+00", "level", "casino", nil, "0", #"{"level": 3}"#),
            ("g2", "player", "2025-01-02 10:00+00", "level", "casino", nil, "0", #"{"level": 7}"#),
            ("g3", "player", "2025-01-03 10:00+00", "level", "casino", nil, "0", #"{"level": 10}"#),
            ("g4", "player", "2025-01-04 10:00+00", "level", "casino", nil, "0", #"{"level": 12}"#),
            ("g5", "other", "2025-01-04 10:00+00", "level", "slots", nil, "0", #"{"level": 50}"#),
        ])
        try await fixture.evaluate()
        #expect(try await fixture.paid() == [["iGaming Level 10", "player", "g3", "", "", "25"]])
        try await fixture.tearDown()
    }

    @Test func partnerRevShareReplacesTheDefaultPayoutForThirtyDays() async throws {
        let fixture = try await RuleFixture.make(
            rules: """
                rules:
                  - name: P 30-day 10% RevShare
                    scope: {grouping: all_together, apply_to: {partners: [P]}}
                    timeframe: {goal_cycle: continuous, window: {from_first_conversion: 30d}}
                    behavior:
                      conditions: []
                      frequency: every_conversion
                      apply_on: all_conversions
                      outcome: {payout: {type: revshare, percent: 10}}
                  - name: Welcome bonus
                    scope: {grouping: all_together, apply_to: {partners: [P]}}
                    behavior:
                      conditions: [{data_point: conversions, logic: count_of_values, operator: greater_or_equal, value: 2}]
                      frequency: once_per_customer
                      outcome: {payout: {type: fixed, amount: 3}}
                """)
        try await fixture.convert([
            ("r1", "user", "2025-01-01 00:00+00", "base", "o1", "P", "100", "{}"),
            ("r2", "user", "2025-01-20 00:00+00", "deposit", "o1", "P", "50", "{}"),
            ("r3", "user", "2025-01-31 00:00+00", "deposit", "o1", "P", "80", "{}"),  // day 30: outside [day 0, day 30)
            ("r4", "user", "2025-01-10 00:00+00", "deposit", "o1", "Q", "70", "{}"),  // another partner
        ])
        try await fixture.evaluate()
        // 10% of 100 and of 50 replace the default payout of 5; the welcome bonus (second
        // conversion) adds 3 on r2.
        try await fixture.buildPayouts()
        let payouts = try await fixture.connection.query(
            "select conversion_id, default_payout::text, coalesce(revshare_payout::text, '-'), bonus::text, final_payout::text from analytics.conversion_payouts order by 1"
        ).map(\.values)
        #expect(
            payouts == [
                ["r1", "5", "10.0000", "0", "10.0000"],
                ["r2", "5", "5.0000", "3", "8.0000"],
                ["r3", "5", "-", "0", "5"],
                ["r4", "5", "-", "0", "5"],
            ])
        try await fixture.tearDown()
    }
}
