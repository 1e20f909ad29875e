import Core
import Foundation
import Logging
import PostgresClient
import TestSupport
import Testing

@testable import Rules

/// `clv rules apply` refuses a file with any problem, naming the field, and saves nothing.
@Suite struct RuleFileTests {
    @Test func everyProblemIsNamedAndNothingIsSaved() async throws {
        let fixture = try await RuleFixture.make(rules: "rules: []\n")
        try fixture.folder.write(
            "rules/test.yaml",
            """
            data_points:
              - {name: Deposit, type: number, parameter: deposit}
              - {name: Amount, type: number, parameter: deposit}
              - {name: GEO, type: text, parameter: geo}
            rules:
              - name: Broken
                status: paused
                scope: {grouping: {separately_by: country}}
                timeframe: {start: 2025-02-30, goal_cycle: hourly, window: {from_first_conversion: 1y}}
                behavior:
                  conditions:
                    - {data_point: Deposit, logic: any_value, operator: contains, value: 5}
                    - {data_point: Wallet, logic: any_value, operator: exact_match, value: x}
                    - {data_point: GEO, logic: sum_of_values, operator: greater_than, value: 1}
                    - {data_point: GEO, logic: any_value, operator: between, value: [1, 2]}
                    - {data_point: revenue, logic: sum_of_values, operator: between, value: [5]}
                  frequency: sometimes
                  outcome: {payout: {type: bonus}}
              - name: Fine
                behavior: {conditions: [], outcome: {payout: {type: fixed, amount: 1}}}
            """)
        let error = await #expect(throws: ConfigErrors.self) { try await fixture.apply() }
        #expect(
            Set(error?.errors.map(\.description) ?? []) == [
                "rules/test.yaml: data_points[1].parameter: parameter 'deposit' is already used by data point 'Deposit'",
                "rules/test.yaml: rules[0].status: 'paused' is not active or inactive",
                "rules/test.yaml: rules[0].scope.grouping.separately_by: 'country' is not offer, partner or advertiser",
                "rules/test.yaml: rules[0].timeframe.start: '2025-02-30' is not a date (YYYY-MM-DD)",
                "rules/test.yaml: rules[0].timeframe.goal_cycle: 'hourly' is not continuous, daily, weekly or monthly",
                "rules/test.yaml: rules[0].timeframe.window.from_first_conversion: '1y' is not a duration in whole days or weeks such as 365d or 4w",
                "rules/test.yaml: rules[0].behavior.conditions[0].operator: contains is a text operator; Deposit is compared as number",
                "rules/test.yaml: rules[0].behavior.conditions[1].data_point: unknown data point 'Wallet' (declare it under data_points, or use conversions, revenue, payout, event, or a model output: predicted_clv, p_alive, predicted_decile, clv_decile)",
                "rules/test.yaml: rules[0].behavior.conditions[2].logic: sum_of_values needs a number data point; GEO is text",
                "rules/test.yaml: rules[0].behavior.conditions[3].operator: between is a number operator; GEO is compared as text",
                "rules/test.yaml: rules[0].behavior.conditions[4].value: between needs [low, high] numbers",
                "rules/test.yaml: rules[0].behavior.frequency: 'sometimes' is not once_per_customer, once_per_cycle or every_conversion",
                "rules/test.yaml: rules[0].behavior.outcome.payout.type: expected fixed (with amount) or revshare (with percent)",
            ])
        // Nothing saved, not even the fine rule or the good data points.
        #expect(try await fixture.connection.query("select count(*)::text from clv_meta.payout_rules")[0][0] == "0")
        #expect(try await fixture.connection.query("select count(*)::text from clv_meta.data_points")[0][0] == "0")
        try await fixture.tearDown()
    }

    @Test func reapplyingReplacesTheFilesRules() async throws {
        let fixture = try await RuleFixture.make(rules: SeedWalkthroughTests.trader)
        try fixture.folder.write(
            "rules/test.yaml",
            SeedWalkthroughTests.trader.replacingOccurrences(of: "High-Value Trader Bonus (EU1)", with: "Renamed"))
        try await fixture.apply()
        #expect(
            try await fixture.connection.query("select name from clv_meta.payout_rules").map { $0[0] } == ["Renamed"])
        try await fixture.tearDown()
    }

    @Test func aDatabaseWithoutTheRulesMigrationHasNoActiveRules() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        #expect(try await RuleEvaluator.hasActiveRules(on: connection) == false)
        try await database.drop()
    }
}
