import Core
import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import Rules

/// What `clv rules list` and `clv rules history` show: each rule's current version with what every
/// version paid, and a rule's versions each with what it paid. Figures by hand.
@Suite struct SavedRulesTests {
    func deposit(_ id: String, _ day: Int) -> (String, String, String, String, String?, String?, String, String) {
        (id, "u", String(format: "2025-01-%02d 10:00+00", day), "deposit", "o1", "p1", "100", "{}")
    }

    /// The columns of `rows` named `columns`, row by row.
    func table(_ rows: PostgresRows, _ columns: [String]) -> [[String?]] {
        rows.map { row in columns.map { row[$0] } }
    }

    @Test func theCurrentVersionsWithWhatEveryVersionPaidAndEachVersionWithItsOwn() async throws {
        let fixture = try await RuleFixture.make(rules: RuleVersionTests.rules(deposit: 10, welcome: (2, 5)))
        // Two deposits: 10 each from Deposits, and Welcome's 5 once u has 2 conversions.
        try await fixture.convert([deposit("d1", 5), deposit("d2", 10)])
        try await fixture.evaluate()
        // Version 2 of both, applied (as if) on Jan 15: a third deposit after it is paid 25 (Welcome v2
        // holds at 3 conversions, but u already had the once-per-customer outcome).
        try fixture.folder.write("rules/test.yaml", RuleVersionTests.rules(deposit: 25, welcome: (3, 7)))
        try await fixture.apply()
        try await fixture.connection.execute(
            """
            update clv_meta.payout_rules set applied_at = case version when 2 then '2025-01-15 00:00+00'::timestamptz else applied_at end,
                superseded_at = case version when 1 then '2025-01-15 00:00+00'::timestamptz end
            """)
        try await fixture.convert([deposit("d3", 20)])
        try await fixture.evaluate()

        let current = try await SavedRules().current(on: fixture.connection)
        #expect(
            table(
                current,
                [
                    "name", "version", "status", "frequency", "outcome", "conditions", "paid_outcomes", "paid_amount",
                    "booked_revenue", "file",
                ])
                == [
                    [
                        "Deposits", "2", "active", "every_conversion", "payout fixed 25", "0", "3", "45", "0",
                        "rules/test.yaml",
                    ],
                    [
                        "Welcome", "2", "active", "once_per_customer", "payout fixed 7", "1", "1", "5", "0",
                        "rules/test.yaml",
                    ],
                ])
        let versions = try await SavedRules().versions(of: "Deposits", on: fixture.connection)
        #expect(
            table(versions, ["version", "status", "outcome", "conditions", "paid_outcomes", "paid_amount"]) == [
                ["1", "active", "payout fixed 10", "0", "2", "20"], ["2", "active", "payout fixed 25", "0", "1", "25"],
            ])
        #expect(versions.map { $0["superseded_at"] } == ["2025-01-15 00:00:00", "current"])
        let unknown = await #expect(throws: WarehouseError.self) {
            try await SavedRules().versions(of: "Nope", on: fixture.connection)
        }
        #expect(unknown?.description == "no payout rule named 'Nope'")
        try await fixture.tearDown()
    }
}
