import Core
import Foundation
import Logging
import PostgresClient
import TestSupport
import Testing

@testable import Rules

/// Cycles, scope groups, bounds, status, operators, concurrency, corrections and incrementality.
@Suite struct RuleSemanticsTests {
    static func depositRule(
        _ extra: String, frequency: String = "once_per_cycle", scope: String = "{grouping: all_together}"
    )
        -> String
    {
        """
        data_points: [{name: Deposit, type: number, parameter: deposit}]
        rules:
          - name: Deposits over 100
            scope: \(scope)
            timeframe: {\(extra)}
            behavior:
              conditions: [{data_point: Deposit, logic: sum_of_values, operator: greater_than, value: 100}]
              frequency: \(frequency)
              outcome: {payout: {type: fixed, amount: 10}}
        """
    }

    func deposit(_ id: String, _ customer: String, _ time: String, _ amount: Int, partner: String = "p1")
        -> (String, String, String, String, String?, String?, String, String)
    {
        (id, customer, time, "deposit", "o1", partner, "\(amount)", "{\"deposit\": \(amount)}")
    }

    @Test func weeklyCyclesResetTheAccumulation() async throws {
        let fixture = try await RuleFixture.make(rules: Self.depositRule("goal_cycle: weekly"))
        // 2025-01-06 is a Monday. Week 1: 60 + 50 = 110 → fires on d2. Week 2: 60 alone does not;
        // with 70 more (130) it fires on d4. Week 3: 40 does not.
        try await fixture.convert([
            deposit("d1", "u", "2025-01-06 10:00+00", 60), deposit("d2", "u", "2025-01-08 10:00+00", 50),
            deposit("d3", "u", "2025-01-13 10:00+00", 60), deposit("d4", "u", "2025-01-19 23:00+00", 70),
            deposit("d5", "u", "2025-01-20 10:00+00", 40),
        ])
        try await fixture.evaluate()
        #expect(
            try await fixture.paid() == [
                ["Deposits over 100", "u", "d2", "", "2025-01-06", "10"],
                ["Deposits over 100", "u", "d4", "", "2025-01-13", "10"],
            ])
        try await fixture.tearDown()
    }

    @Test func oncePerCustomerWithCyclesStillPaysOnce() async throws {
        let fixture = try await RuleFixture.make(
            rules: Self.depositRule("goal_cycle: weekly", frequency: "once_per_customer"))
        try await fixture.convert([
            deposit("d1", "u", "2025-01-06 10:00+00", 110), deposit("d2", "u", "2025-01-13 10:00+00", 120),
        ])
        try await fixture.evaluate()
        #expect(try await fixture.paid().map { $0[2] } == ["d1"])
        try await fixture.tearDown()
    }

    @Test func separatelyByPartnerAccumulatesPerPartner() async throws {
        let fixture = try await RuleFixture.make(
            rules: Self.depositRule(
                "goal_cycle: continuous", frequency: "once_per_customer", scope: "{grouping: {separately_by: partner}}")
        )
        // 60 via p1 and 60 via p2: 120 in all, but no partner reaches 100 — until p1 gets 50 more.
        try await fixture.convert([
            deposit("a", "u", "2025-01-01 10:00+00", 60, partner: "p1"),
            deposit("b", "u", "2025-01-02 10:00+00", 60, partner: "p2"),
        ])
        try await fixture.evaluate()
        #expect(try await fixture.paid().isEmpty)
        try await fixture.convert([deposit("c", "u", "2025-01-03 10:00+00", 50, partner: "p1")])
        try await fixture.evaluate()
        #expect(try await fixture.paid() == [["Deposits over 100", "u", "c", "p1", "", "10"]])
        try await fixture.tearDown()
    }

    @Test func startAndEndBoundTheRule() async throws {
        let fixture = try await RuleFixture.make(
            rules: Self.depositRule("start: 2025-02-01, end: 2025-02-28", frequency: "every_conversion"))
        // Only February counts: 90 on Jan 31 is outside; Feb 1 (60) + Feb 28 late evening (50) = 110.
        try await fixture.convert([
            deposit("jan", "u", "2025-01-31 23:59+00", 90), deposit("feb1", "u", "2025-02-01 00:00+00", 60),
            deposit("feb28", "u", "2025-02-28 23:59+00", 50), deposit("mar", "u", "2025-03-01 00:00+00", 500),
        ])
        try await fixture.evaluate()
        #expect(try await fixture.paid().map { $0[2] } == ["feb28"])
        try await fixture.tearDown()
    }

    @Test func inactiveRulesPayNothing() async throws {
        let rules = Self.depositRule("goal_cycle: continuous").replacingOccurrences(
            of: "  - name: Deposits over 100\n", with: "  - name: Deposits over 100\n    status: inactive\n")
        let fixture = try await RuleFixture.make(rules: rules)
        try await fixture.convert([deposit("d1", "u", "2025-01-06 10:00+00", 500)])
        let report = try await fixture.evaluate()
        #expect(report.rules == 0)
        #expect(try await fixture.paid().isEmpty)
        try await fixture.tearDown()
    }

    @Test func everyOperator() async throws {
        let fixture = try await RuleFixture.make(rules: "rules: []\n")
        let text: [(String, String, String, String, Bool)] = [
            ("exact_match", "EU1", "EU1", "", true), ("exact_match", "EU1", "EU2", "", false),
            ("not_equal", "EU1", "EU2", "", true), ("not_equal", "EU1", "EU1", "", false),
            ("contains", "premium-gold", "gold", "", true), ("contains", "premium", "gold", "", false),
            ("starts_with", "EU-west", "EU", "", true), ("starts_with", "west-EU", "EU", "", false),
            ("in_list", "DE", "", "{DE,FR}", true), ("in_list", "US", "", "{DE,FR}", false),
        ]
        for (op, value, expected, list, holds) in text {
            let row = try await fixture.connection.query(
                "select clv_meta.rule_text_holds(\(op), \(value), \(expected), \((list.isEmpty ? nil : list) as String?)::text[]) as h"
            )[0]
            #expect(try row.decode(Bool.self, "h") == holds, "\(op) \(value) \(expected)")
        }
        let number: [(String, String, String, String?, Bool)] = [
            ("greater_than", "101", "100", nil, true), ("greater_than", "100", "100", nil, false),
            ("greater_or_equal", "100", "100", nil, true), ("greater_or_equal", "99.99", "100", nil, false),
            ("less_than", "99", "100", nil, true), ("less_than", "100", "100", nil, false),
            ("less_or_equal", "100", "100", nil, true), ("less_or_equal", "100.01", "100", nil, false),
            ("equal", "100.0", "100", nil, true), ("equal", "100.5", "100", nil, false),
            ("between", "10", "10", "20", true), ("between", "20", "10", "20", true),
            ("between", "20.5", "10", "20", false),
        ]
        for (op, value, expected, high, holds) in number {
            let row = try await fixture.connection.query(
                "select clv_meta.rule_number_holds(\(op), \(value)::numeric, \(expected)::numeric, \(high as String?)::numeric) as h"
            )[0]
            #expect(try row.decode(Bool.self, "h") == holds, "\(op) \(value) \(expected)")
        }
        // Numbers arrive as JSON numbers or numeric strings; anything else is not a number.
        let parsed = try await fixture.connection.query(
            """
            select clv_meta.rule_number('150'::jsonb)::text, clv_meta.rule_number('"75.5"'::jsonb)::text,
                coalesce(clv_meta.rule_number('"abc"'::jsonb)::text, 'null')
            """)[0].values
        #expect(parsed == ["150", "75.5", "null"])
        try await fixture.tearDown()
    }

    @Test func concurrentEvaluationsPayOnce() async throws {
        let fixture = try await RuleFixture.make(
            rules: Self.depositRule("goal_cycle: continuous", frequency: "once_per_customer"))
        try await fixture.convert([deposit("d1", "u", "2025-01-06 10:00+00", 150)])
        let second = try await fixture.database.connect()
        let evaluator = RuleEvaluator(logger: Logger(label: "t"))
        async let one = evaluator.evaluate(on: fixture.connection, full: true)
        async let two = evaluator.evaluate(on: second, full: true)
        let reports = try await [one, two]
        #expect(reports.map(\.matched).sorted() == [0, 1])
        #expect(try await fixture.ledger() == [["Deposits over 100", "d1", "10", "match"]])
        // The slots' key is the constraint: a second once-only slot is refused outright.
        await #expect(throws: PostgresError.self) {
            try await fixture.connection.execute(
                """
                insert into clv_meta.rule_match_slots (rule_name, customer_id, scope_key, slot_key, match_id, conversion_id, amount)
                select rule_name, customer_id, scope_key, slot_key, match_id, conversion_id, amount from clv_meta.rule_match_slots
                """)
        }
        try await fixture.tearDown()
    }

    @Test func deletedOrCorrectedConversionsAreReversedNeverEdited() async throws {
        let fixture = try await RuleFixture.make(rules: SeedWalkthroughTests.trader)
        try await fixture.convert(SeedWalkthroughTests.cust778)
        try await fixture.evaluate()
        // The trade is corrected to 90: the conditions no longer hold, the bonus is reversed.
        try await fixture.connection.execute(
            "update raw.conversions set params = '{\"usm_num\": 90}', _load_id = clv_meta.next_load_id() where conversion_id = 't4'"
        )
        try await fixture.evaluate()
        #expect(try await fixture.paid().isEmpty)
        // A new trade of 130 pays it again, on that conversion; deleting it reverses it again.
        try await fixture.convert([
            ("t5", "cust_778", "2025-01-05 10:00+00", "trade", "trading", "p1", "0", #"{"usm_num": 130}"#)
        ])
        try await fixture.evaluate()
        try await fixture.connection.execute("delete from raw.conversions where conversion_id = 't5'")
        try await fixture.evaluate()
        #expect(
            try await fixture.ledger() == [
                ["High-Value Trader Bonus (EU1)", "t4", "200", "match"],
                ["High-Value Trader Bonus (EU1)", "t4", "-200", "reversal"],
                ["High-Value Trader Bonus (EU1)", "t5", "200", "match"],
                ["High-Value Trader Bonus (EU1)", "t5", "-200", "reversal"],
            ])
        let net = try await fixture.connection.query("select sum(amount)::text from analytics.rule_matches")[0][0]
        #expect(net == "0")
        try await fixture.tearDown()
    }

    @Test func incrementalEqualsFull() async throws {
        let rules = """
            data_points: [{name: Deposit, type: number, parameter: deposit}, {name: GEO, type: text, parameter: geo}]
            rules:
              - name: Weekly depositors
                timeframe: {goal_cycle: weekly}
                behavior:
                  conditions: [{data_point: Deposit, logic: sum_of_values, operator: greater_or_equal, value: 100}]
                  frequency: once_per_cycle
                  outcome: {payout: {type: fixed, amount: 5}}
              - name: EU per partner
                scope: {grouping: {separately_by: partner}}
                behavior:
                  conditions:
                    - {data_point: GEO, logic: any_value, operator: in_list, value: [EU1, EU2]}
                    - {data_point: conversions, logic: count_of_values, operator: greater_or_equal, value: 3}
                  frequency: once_per_customer
                  outcome: {payout: {type: fixed, amount: 20}}
              - name: RevShare everything
                timeframe: {window: {from_first_conversion: 20d}}
                behavior: {conditions: [], frequency: every_conversion, outcome: {payout: {type: revshare, percent: 7.5}}}
              - name: Big depositor or EU2, with revenue
                behavior:
                  conditions:
                    - any_of:
                        - {data_point: revenue, logic: sum_of_values, operator: greater_or_equal, value: 150, events: [deposit]}
                        - {data_point: GEO, logic: any_value, operator: exact_match, value: EU2}
                  frequency: once_per_customer
                  outcome: {payout: {type: fixed, amount: 2}, revenue: {type: revshare, percent: 50}}
            """
        // Generated rounds: 60 customers, deterministic pseudo-random facts, late rows (every
        // tenth row is dated 12 days back) and repeated deliveries of the same conversion id.
        let fixture = try await RuleFixture.make(rules: rules)
        for round in 0..<5 {
            var touched = Set<Int>()
            for i in 0..<40 {
                let n = (round * 7919 + i * 104_729) % 1000
                let day = round * 5 + n % 9 - (i % 10 == 0 ? 12 : 0)
                if i < 36 { touched.insert(n % 60) }  // rows 36–39 repeat ids 0–3: not inserted again
                let params = n % 3 == 0 ? "{\"geo\": \"EU\(n % 2 + 1)\"}" : "{\"deposit\": \(n % 70)}"
                try await fixture.connection.execute(
                    """
                    insert into raw.conversions (conversion_id, customer_id, occurred_at, event, offer_id, partner_id, revenue, payout, params)
                    values (
                        \("r\(round)-\(i % 36)"), \("c\(n % 60)"),
                        '2025-03-01 00:00+00'::timestamptz + \(day) * interval '1 day' + \(i) * interval '1 minute',
                        'deposit', 'o1', \("p\(n % 2)"), \(n % 90), 5, \(params)::jsonb)
                    on conflict (conversion_id) do nothing
                    """)
            }
            let report = try await fixture.evaluate()
            #expect(report.full == (round == 0))
            // Incremental rounds evaluate only the customers with new conversions.
            if round > 0 { #expect(report.customers == touched.count) }
        }
        let paid = try await fixture.paid()
        #expect(paid.count > 20)
        // A full evaluation of the same facts and ledger finds nothing to add or reverse.
        let full = try await fixture.evaluate(full: true)
        #expect(full.customers == 60)
        #expect((full.matched, full.reversed) == (0, 0))
        #expect(try await fixture.paid() == paid)
        try await fixture.tearDown()
    }
}
