import Core
import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import Rules

/// any_of / all_of groups, conditions on the event and over some events only, and the window's
/// first conversion: outcomes computed by hand, whatever order the conversions arrive in.
@Suite struct RuleGroupTests {
    typealias Row = (String, String, String, String, String?, String?, String, String)

    func row(
        _ id: String, _ customer: String, _ time: String, _ event: String, revenue: Int = 0, _ params: String = "{}"
    )
        -> Row
    {
        (id, customer, time, event, "trading", "p1", "\(revenue)", params)
    }

    /// "Deposit > 200 or trade ≥ 100, and EU1": an OR group beside a plain condition.
    static let depositOrTrade = """
        data_points:
          - {name: GEO, type: text, parameter: geo}
          - {name: Deposit, type: number, parameter: deposit}
          - {name: Trade Amount, type: number, parameter: usm_num}
        rules:
          - name: Depositor or trader (EU1)
            behavior:
              conditions:
                - any_of:
                    - {data_point: Deposit, logic: sum_of_values, operator: greater_than, value: 200}
                    - {data_point: Trade Amount, logic: any_value, operator: greater_or_equal, value: 100}
                - {data_point: GEO, logic: any_value, operator: exact_match, value: EU1}
              frequency: once_per_customer
              outcome: {payout: {type: fixed, amount: 50}}
        """

    @Test func anOrGroupIsCompletedByEitherBranchInTimeOrder() async throws {
        let fixture = try await RuleFixture.make(rules: Self.depositOrTrade)
        try await fixture.convert([
            // a: EU1, deposits 150 then 100 (250 > 200): the deposit branch completes at a2.
            row("a1", "a", "2025-01-01 10:00+00", "deposit", #"{"geo": "EU1", "deposit": 150}"#),
            row("a2", "a", "2025-01-02 10:00+00", "deposit", #"{"deposit": 100}"#),
            // b: EU1, then a trade of 150: the trade branch completes at b2.
            row("b1", "b", "2025-01-01 10:00+00", "signup", #"{"geo": "EU1"}"#),
            row("b2", "b", "2025-01-02 10:00+00", "trade", #"{"usm_num": 150}"#),
            // c: deposits 300 but never EU1: the group holds, the GEO condition does not.
            row("c1", "c", "2025-01-01 10:00+00", "deposit", #"{"deposit": 300}"#),
            row("c2", "c", "2025-01-02 10:00+00", "signup", #"{"geo": "EU2"}"#),
            // d: arrives late first (EU1 on Jan 3), nothing else yet.
            row("d3", "d", "2025-01-03 10:00+00", "signup", #"{"geo": "EU1"}"#),
        ])
        try await fixture.evaluate()
        #expect(try await fixture.paid().map { [$0[1], $0[2], $0[5]] } == [["a", "a2", "50"], ["b", "b2", "50"]])
        // d's earlier trade of 120 (Jan 1) arrives now: in time order the group held from Jan 1,
        // GEO from Jan 3, so the rule is met at d3 — not at the row that arrived last.
        try await fixture.convert([row("d1", "d", "2025-01-01 10:00+00", "trade", #"{"usm_num": 120}"#)])
        try await fixture.evaluate()
        #expect(
            try await fixture.paid().map { [$0[1], $0[2]] } == [["a", "a2"], ["b", "b2"], ["d", "d3"]])
        // A full re-evaluation agrees with the incremental ones: nothing added, nothing reversed.
        let ledger = try await fixture.ledger()
        let report = try await fixture.evaluate(full: true)
        #expect(report.matched == 0 && report.reversed == 0)
        #expect(try await fixture.ledger() == ledger)
        try await fixture.tearDown()
    }

    @Test func eventConditionsAndANestedAllOfGroup() async throws {
        // "(deposits ≥ 100 in revenue over at least 2 deposit events) or any trade event", each
        // conversion that completes it paid once per customer.
        let fixture = try await RuleFixture.make(
            rules: """
                rules:
                  - name: Two deposits of 100 or a trade
                    behavior:
                      conditions:
                        - any_of:
                            - all_of:
                                - {data_point: revenue, logic: sum_of_values, operator: greater_or_equal, value: 100, events: [deposit]}
                                - {data_point: event, logic: count_of_values, operator: greater_or_equal, value: 2, events: [deposit]}
                            - {data_point: event, logic: any_value, operator: exact_match, value: trade}
                      frequency: once_per_customer
                      outcome: {payout: {type: fixed, amount: 25}}
                """)
        try await fixture.convert([
            // x: 150 in one deposit (count 1), then 10 more (count 2, sum 160): met at x2.
            row("x1", "x", "2025-01-01 10:00+00", "deposit", revenue: 150),
            row("x2", "x", "2025-01-02 10:00+00", "deposit", revenue: 10),
            // y: a signup, then a trade with no revenue: met at y2 by the event alone.
            row("y1", "y", "2025-01-01 10:00+00", "signup"),
            row("y2", "y", "2025-01-02 10:00+00", "trade"),
            // z: deposits 60 + 30 = 90; the 500 of a signup does not count towards deposit revenue.
            row("z1", "z", "2025-01-01 10:00+00", "deposit", revenue: 60),
            row("z2", "z", "2025-01-02 10:00+00", "deposit", revenue: 30),
            row("z3", "z", "2025-01-03 10:00+00", "signup", revenue: 500),
        ])
        try await fixture.evaluate()
        #expect(try await fixture.paid().map { [$0[1], $0[2], $0[5]] } == [["x", "x2", "25"], ["y", "y2", "25"]])
        try await fixture.tearDown()
    }

    @Test func windowsCountFromTheCustomersFirstConversionOrTheScopes() async throws {
        // Partner p3's 10% RevShare for 30 days from the first conversion, with both meanings.
        let rule = { (name: String, from: String) in
            """
              - name: \(name)
                scope: {apply_to: {partners: [p3]}}
                timeframe: {window: {from_first_conversion: 30d\(from)}}
                behavior: {conditions: [], frequency: every_conversion, outcome: {payout: {type: revshare, percent: 10}}}
            """
        }
        let fixture = try await RuleFixture.make(
            rules: "rules:\n" + rule("From the customer", "") + "\n"
                + rule("From the scope", ", first_conversion_in: scope"))
        // u first converts through p1 on Jan 1; through p3 on Jan 20 and Feb 10 (100 each).
        try await fixture.convert([
            ("u1", "u", "2025-01-01 10:00+00", "signup", "o1", "p1", "0", "{}"),
            ("u2", "u", "2025-01-20 10:00+00", "deposit", "o1", "p3", "100", "{}"),
            ("u3", "u", "2025-02-10 10:00+00", "deposit", "o1", "p3", "100", "{}"),
        ])
        try await fixture.evaluate()
        // From Jan 1 the window ends Jan 31: u2 only. From Jan 20 (first p3) it ends Feb 19: both.
        #expect(
            try await fixture.paid().map { [$0[0], $0[2], $0[5]] } == [
                ["From the customer", "u2", "10.0000"],
                ["From the scope", "u2", "10.0000"], ["From the scope", "u3", "10.0000"],
            ])
        try await fixture.tearDown()
    }

    @Test func groupAndEventProblemsAreNamed() async throws {
        let fixture = try await RuleFixture.make(rules: "rules: []\n")
        try fixture.folder.write(
            "rules/test.yaml",
            """
            rules:
              - name: Broken groups
                timeframe: {window: {from_first_conversion: 30d, first_conversion_in: partner}}
                behavior:
                  conditions:
                    - any_of: []
                    - any_of:
                        - all_of:
                            - any_of: [{data_point: conversions, logic: count_of_values, operator: equal, value: 1}]
                    - {all_of: [{data_point: revenue, logic: any_value, operator: equal, value: 1}], note: x}
                    - {data_point: event, logic: any_value, operator: greater_than, value: 3}
                    - {data_point: event, logic: sum_of_values, operator: greater_than, value: 3}
                    - {data_point: revenue, logic: sum_of_values, operator: greater_than, value: 3, events: []}
                  outcome: {payout: {type: fixed, amount: 1}}
            """)
        let error = await #expect(throws: ConfigErrors.self) { try await fixture.apply() }
        #expect(
            Set(error?.errors.map(\.description) ?? []) == [
                "rules/test.yaml: rules[0].timeframe.window.first_conversion_in: 'partner' is not customer (any offer or partner) or scope (the rule's scope group)",
                "rules/test.yaml: rules[0].behavior.conditions[0].any_of: expected a non-empty list of conditions",
                "rules/test.yaml: rules[0].behavior.conditions[1].any_of[0].all_of[0].any_of: groups nest one level: an any_of / all_of inside a group holds conditions only",
                "rules/test.yaml: rules[0].behavior.conditions[2].note: unknown field (expected all_of)",
                "rules/test.yaml: rules[0].behavior.conditions[3].operator: greater_than is a number operator; event is compared as text",
                "rules/test.yaml: rules[0].behavior.conditions[4].logic: sum_of_values needs a number data point; event is text",
                "rules/test.yaml: rules[0].behavior.conditions[5].events: expected a list of event names",
            ])
        #expect(try await fixture.connection.query("select count(*)::text from clv_meta.payout_rules")[0][0] == "0")
        try await fixture.tearDown()
    }
}
