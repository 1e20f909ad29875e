import Core
import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import Rules

/// Editing a rule adds a version: what the old version paid stays, conversions after the edit are
/// judged by the new one; deleting a rule with paid outcomes needs --reverse. Figures by hand.
@Suite struct RuleVersionTests {
    static func rules(deposit: Int, welcome: (count: Int, amount: Int)) -> String {
        """
        rules:
          - name: Deposits
            behavior: {conditions: [], frequency: every_conversion, outcome: {payout: {type: fixed, amount: \(deposit)}}}
          - name: Welcome
            behavior:
              conditions: [{data_point: conversions, logic: count_of_values, operator: greater_or_equal, value: \(welcome.count)}]
              frequency: once_per_customer
              outcome: {payout: {type: fixed, amount: \(welcome.amount)}}
        """
    }

    func deposit(_ id: String, _ customer: String, _ day: Int)
        -> (String, String, String, String, String?, String?, String, String)
    {
        (id, customer, String(format: "2025-01-%02d 10:00+00", day), "deposit", "o1", "p1", "100", "{}")
    }

    /// (rule, version, conversion, amount, entry) of the ledger.
    func ledger(_ fixture: RuleFixture) async throws -> [[String?]] {
        try await fixture.connection.query(
            """
            select rule_name, rule_version::text, conversion_id, amount::text, entry from analytics.rule_matches
            order by match_id
            """
        ).map(\.values)
    }

    @Test func editingARuleKeepsWhatItPaidAndJudgesLaterConversionsByTheNewVersion() async throws {
        let fixture = try await RuleFixture.make(rules: Self.rules(deposit: 10, welcome: (2, 5)))
        try await fixture.convert([deposit("d1", "u", 5), deposit("d2", "u", 10)])
        try await fixture.evaluate()
        // Version 2, applied (as if) on Jan 15: 25 per deposit; the welcome bonus needs 3 conversions, pays 7.
        try fixture.folder.write("rules/test.yaml", Self.rules(deposit: 25, welcome: (3, 7)))
        try await fixture.apply()
        try await fixture.connection.execute(
            """
            update clv_meta.payout_rules set applied_at = case version when 2 then '2025-01-15 00:00+00'::timestamptz else applied_at end,
                superseded_at = case version when 1 then '2025-01-15 00:00+00'::timestamptz end
            """)
        // u's d3 is after the edit (25); d0 arrives late but happened before it (version 1: 10).
        // w converts three times after the edit: version 2's welcome bonus on w3.
        try await fixture.convert([
            deposit("d3", "u", 20), deposit("d0", "u", 12), deposit("w1", "w", 16), deposit("w2", "w", 17),
            deposit("w3", "w", 18),
        ])
        let report = try await fixture.evaluate()
        #expect(report.full && report.reversed == 0)
        #expect(
            try await ledger(fixture) == [
                ["Deposits", "1", "d1", "10", "match"], ["Deposits", "1", "d2", "10", "match"],
                ["Welcome", "1", "d2", "5", "match"],
                ["Deposits", "1", "d0", "10", "match"], ["Deposits", "2", "d3", "25", "match"],
                ["Deposits", "2", "w1", "25", "match"], ["Deposits", "2", "w2", "25", "match"],
                ["Deposits", "2", "w3", "25", "match"], ["Welcome", "2", "w3", "7", "match"],
            ])
        // Applying the same definitions again adds no version; a full re-evaluation changes nothing.
        try await fixture.apply()
        #expect(try await fixture.connection.query("select count(*)::text from clv_meta.payout_rules")[0][0] == "4")
        #expect(try await fixture.evaluate(full: true).matched == 0)
        try await fixture.tearDown()
    }

    @Test func deletingARuleWithPaidOutcomesNeedsReverse() async throws {
        let fixture = try await RuleFixture.make(rules: Self.rules(deposit: 10, welcome: (2, 5)))
        try await fixture.convert([deposit("d1", "u", 5), deposit("d2", "u", 10)])
        try await fixture.evaluate()
        try fixture.folder.write(
            "rules/test.yaml",
            "rules:\n  - name: Deposits\n    behavior: {conditions: [], frequency: every_conversion, outcome: {payout: {type: fixed, amount: 10}}}\n"
        )
        let refused = await #expect(throws: WarehouseError.self) { try await fixture.apply() }
        #expect(
            refused?.description
                == "rules/test.yaml: rule 'Welcome' is no longer defined but has 1 paid outcome(s): keep it (status: inactive stops new outcomes and keeps these), or apply with --reverse to reverse them"
        )
        #expect(try await fixture.paid().count == 3)
        let loader = RuleFileLoader(project: Project(root: fixture.folder.url))
        try await RuleStore().apply(
            loader.load(loader.defaultFiles(), known: try await RuleStore().dataPoints(on: fixture.connection)),
            reverse: true, on: fixture.connection)
        #expect(try await fixture.paid().map { $0[0] } == ["Deposits", "Deposits"])
        #expect(Array(try await ledger(fixture).suffix(1)) == [["Welcome", "1", "d2", "-5", "reversal"]])
        #expect(
            try await fixture.connection.query("select family from clv_meta.payout_rules").map { $0[0] } == ["Deposits"]
        )
        try await fixture.tearDown()
    }
}
