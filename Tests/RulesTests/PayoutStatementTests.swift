import Core
import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import Rules

/// Partner payout statements: month by month, frozen once issued; late data, corrections and
/// reversals reach the next statement as adjustments. Figures by hand.
@Suite struct PayoutStatementTests {
    /// $3 once a customer has two conversions (on top of each conversion's own payout of 5).
    static let rules = """
        rules:
          - name: Welcome bonus
            behavior:
              conditions: [{data_point: conversions, logic: count_of_values, operator: greater_or_equal, value: 2}]
              frequency: once_per_customer
              outcome: {payout: {type: fixed, amount: 3}}
        """

    func conversion(_ id: String, _ customer: String, _ time: String, partner: String = "p1")
        -> (String, String, String, String, String?, String?, String, String)
    {
        (id, customer, time, "deposit", "o1", partner, "100", "{}")
    }

    /// (kind, conversion, final payout, stated before, amount) per line.
    func lines(_ statement: PayoutStatements.Statement) -> [[String]] {
        statement.lines.map { [$0.kind, $0.conversionID, $0.finalPayout, $0.statedBefore, $0.amount] }
    }

    func refresh(_ fixture: RuleFixture) async throws {
        try await fixture.runTransforms()
        try await fixture.refresh()
    }

    @Test func issuedStatementsAreFrozenAndLateDataLandsInTheNextOne() async throws {
        let fixture = try await RuleFixture.make(rules: Self.rules)
        let statements = PayoutStatements()
        try await fixture.convert([
            conversion("a1", "u1", "2026-10-05 10:00+00"), conversion("a2", "u1", "2026-10-20 10:00+00"),
            conversion("b1", "u2", "2026-11-03 10:00+00"), conversion("x1", "u3", "2026-11-04 10:00+00", partner: "p2"),
        ])
        try await refresh(fixture)
        // October for p1: a1 pays 5; a2 pays 5 + the $3 bonus (u1's second conversion).
        let october = try await statements.statement(
            partner: "p1", period: "2026-10", issue: true, on: fixture.connection)
        #expect(lines(october) == [["conversion", "a1", "5", "0", "5"], ["conversion", "a2", "8", "0", "8"]])
        #expect(october.lines[1].appliedRules == "Welcome bonus")
        #expect(
            [
                october.defaultPayout, october.rulesPayout, october.conversionsTotal, october.adjustmentsTotal,
                october.total,
            ]
                == ["10", "3", "13", "0", "13"])
        #expect(october.issuedAt != nil)

        // After it was issued: a1 is deleted (so u1 no longer has two conversions: a2's bonus is
        // reversed), and a3, an October conversion of u2, arrives late (so u2's bonus lands on b1).
        try await fixture.connection.execute("delete from raw.conversions where conversion_id = 'a1'")
        try await fixture.convert([conversion("a3", "u2", "2026-10-28 10:00+00")])
        try await refresh(fixture)
        // October stays as issued.
        let again = try await statements.statement(
            partner: "p1", period: "2026-10", issue: false, on: fixture.connection)
        #expect(lines(again) == lines(october) && again.total == "13" && again.issuedAt == october.issuedAt)
        // November: b1 pays 5 + 3; adjustments: a1 gone (−5), a2 without its bonus (5 − 8 = −3),
        // a3 late (+5). Total 8 − 3 = 5.
        let november = try await statements.statement(
            partner: "p1", period: "2026-11", issue: true, on: fixture.connection)
        #expect(
            lines(november) == [
                ["conversion", "b1", "8", "0", "8"], ["adjustment", "a1", "0", "5", "-5"],
                ["adjustment", "a2", "5", "8", "-3"], ["adjustment", "a3", "5", "0", "5"],
            ])
        #expect(
            [november.conversionsTotal, november.rulesPayout, november.adjustmentsTotal, november.total]
                == ["8", "3", "-3", "5"])
        // Everything p1 was told adds up to what its conversions pay now: 13 + 5 = 18 = a2 5 + a3 5 + b1 8.
        let now = try await fixture.connection.query(
            "select trim_scale(sum(final_payout))::text from analytics.conversion_payouts where partner_id = 'p1'")
        #expect(now[0][0] == "18")
        // Another partner's statement is its own; an earlier month than an issued one is refused.
        let p2 = try await statements.statement(partner: "p2", period: "2026-11", issue: false, on: fixture.connection)
        #expect(lines(p2) == [["conversion", "x1", "5", "0", "5"]] && p2.issuedAt == nil)
        await #expect(throws: WarehouseError.self) {
            try await statements.statement(partner: "p1", period: "2026-09", issue: false, on: fixture.connection)
        }
        #expect(PayoutStatements.month("2026-13") == nil && PayoutStatements.month("2026-1") == nil)
        #expect(
            try await statements.issued(partner: "p1", on: fixture.connection).map { $0["period"] } == [
                "2026-11", "2026-10",
            ])
        try await fixture.tearDown()
    }
}
