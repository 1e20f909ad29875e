import Core
import Foundation
import Logging
import PostgresClient
import TestSupport
import Testing

@testable import Rules

/// Payout rules on model outputs: evaluated per fit, paid once on the customer's latest
/// conversion in scope, the fit recorded, never reversed by a later fit. Values by hand.
@Suite struct ModelRuleTests {
    static let rules = """
        rules:
          - name: Predicted high value
            scope: {apply_to: {partners: [p1]}}
            timeframe: {window: {from_first_conversion: 60d}}
            behavior:
              conditions:
                - {data_point: predicted_clv, logic: any_value, operator: greater_than, value: 500}
                - {data_point: p_alive, logic: any_value, operator: greater_or_equal, value: 0.5}
              frequency: once_per_customer
              outcome: {payout: {type: fixed, amount: 50}}
        """

    /// Publishes a fit by hand: a clv_model_fits row and the predicted values (customer, clv, p_alive).
    func publish(_ fixture: RuleFixture, _ values: [(String, Int, Double)]) async throws -> Int64 {
        try await fixture.connection.execute("delete from analytics.predicted_clv")
        for (customer, clv, alive) in values {
            try await fixture.connection.execute(
                """
                insert into analytics.predicted_clv (customer_id, observation_end, p_alive, predicted_clv, predicted_decile)
                values (\(customer), '2025-03-31', \(alive), \(clv), 10)
                """)
        }
        return try await fixture.connection.query(
            """
            insert into analytics.clv_model_fits (
                model, parameters, log_likelihood, converged, iterations, customers, distinct_summaries, penalizer,
                observation_end, unit, purchases, fit_seconds)
            values ('bg_nbd', '{}', 0, true, 1, \(values.count), 1, 0, '2025-03-31', 'week', 'positive-revenue', 0)
            returning fit_id
            """)[0].decode(Int64.self, "fit_id")
    }

    func evaluate(_ fixture: RuleFixture, fit: Int64) async throws -> ModelRuleEvaluator.Report {
        try await ModelRuleEvaluator(logger: .init(label: "test")).evaluate(
            fitID: fit, observationEnd: "2025-03-31", on: fixture.connection)
    }

    @Test func paidOnceOnTheLatestConversionWithItsFitAndNeverReversedByALaterFit() async throws {
        let fixture = try await RuleFixture.make(rules: Self.rules)
        try await fixture.convert([
            // a: first conversion Feb 10 (49 days before the fit's end of Mar 31); latest via p1 Mar 20.
            ("a1", "a", "2025-02-10 10:00+00", "deposit", "o1", "p1", "100", "{}"),
            ("a2", "a", "2025-03-20 10:00+00", "deposit", "o1", "p1", "100", "{}"),
            ("a3", "a", "2025-03-25 10:00+00", "deposit", "o1", "p2", "100", "{}"),  // not in scope
            // b: first conversion Jan 5: the window ended Mar 6, before the fit.
            ("b1", "b", "2025-01-05 10:00+00", "deposit", "o1", "p1", "100", "{}"),
            // c: within the window, but P(alive) 0.3.
            ("c1", "c", "2025-03-01 10:00+00", "deposit", "o1", "p1", "100", "{}"),
            // d: within the window, predicted 400.
            ("d1", "d", "2025-03-01 10:00+00", "deposit", "o1", "p1", "100", "{}"),
        ])
        try await fixture.runTransforms()  // clv predict needs them (the 365-day deciles are one of the values)
        let first = try await publish(fixture, [("a", 800, 0.9), ("b", 900, 0.9), ("c", 900, 0.3), ("d", 400, 0.9)])
        let report = try await evaluate(fixture, fit: first)
        #expect(report.rules == 1 && report.matched == 1)
        let paid = try await fixture.connection.query(
            "select customer_id, conversion_id, amount::text, fit_id from analytics.rule_matches order by match_id")
        #expect(paid.map(\.values) == [["a", "a2", "50", "\(first)"]])
        // The conversion-driven evaluation neither pays nor reverses it.
        let conversions = try await fixture.evaluate(full: true)
        #expect(conversions.rules == 0 && conversions.reversed == 0)
        // A later fit lowers a's prediction and raises d's: a keeps its $50, d is paid on that fit.
        let second = try await publish(fixture, [("a", 100, 0.9), ("d", 600, 0.9)])
        #expect(try await evaluate(fixture, fit: second).matched == 1)
        #expect(
            try await fixture.connection.query(
                "select customer_id, conversion_id, amount::text, fit_id, entry from analytics.rule_matches order by match_id"
            ).map(\.values) == [["a", "a2", "50", "\(first)", "match"], ["d", "d1", "50", "\(second)", "match"]])
        // explain says which fit paid it and that a later fit does not reverse it.
        let explained = try await RuleInspector().explain(
            rule: "Predicted high value", customer: "a", on: fixture.connection)
        #expect(explained.standings.map(\.holds) == [false, true])
        #expect(explained.standings.first?.current == "100")
        #expect(explained.paid.first?.contains("a2: 50 on fit \(first)") == true)
        #expect(explained.paid.first?.contains("a later fit that lowers the prediction does not reverse it") == true)
        try await fixture.tearDown()
    }

    @Test func rulesOnModelOutputsAreChecked() async throws {
        let fixture = try await RuleFixture.make(rules: "rules: []\n")
        try fixture.folder.write(
            "rules/test.yaml",
            """
            rules:
              - name: Mixed
                behavior:
                  conditions:
                    - {data_point: predicted_clv, logic: sum_of_values, operator: greater_than, value: 5}
                    - {data_point: revenue, logic: sum_of_values, operator: greater_than, value: 5}
                  frequency: every_conversion
                  outcome: {payout: {type: fixed, amount: 1}}
            """)
        let error = await #expect(throws: ConfigErrors.self) { try await fixture.apply() }
        let why = "a rule on model outputs is evaluated per customer when clv predict publishes a fit"
        #expect(
            Set(error?.errors.map(\.description) ?? []) == [
                "rules/test.yaml: rules[0].behavior.conditions[0].logic: \(why): predicted_clv takes logic any_value and no events",
                "rules/test.yaml: rules[0].behavior.conditions[1].data_point: \(why): 'revenue' is not a model output (put conditions on conversions in another rule)",
                "rules/test.yaml: rules[0].behavior.frequency: \(why): it pays once_per_customer",
            ])
        try await fixture.tearDown()
    }
}
