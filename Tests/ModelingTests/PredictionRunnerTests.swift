import Core
import Foundation
import Logging
import Pipeline
import PostgresClient
import TestSupport
import Testing
import Transforms

@testable import Modeling

/// `clv predict` on a real database: RFM summaries computed by hand, predictions equal to the
/// Swift models with the recorded parameters, atomic re-runs.
@Suite struct PredictionRunnerTests {
    static let repository = Project(
        root: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent())

    /// Hand-made purchases (observation end 2025-03-31):
    /// - c1: Jan 1 (10 + 5 → one day of 15), Jan 15 (30), Feb 12 (50), Apr 5 (after the end: ignored)
    ///   → frequency 2, recency 42 days = 6 weeks, T 89 days, monetary (30 + 50) / 2 = 40.
    /// - c2: Mar 31 23:30 UTC (20) → frequency 0, recency 0, T 0, monetary 0.
    /// - c3: Feb 1 with no revenue (not a purchase), Feb 10 (25) → frequency 0, T 49 days = 7 weeks.
    /// - c4: Jan 10 (12 + 8), Mar 1 (40) → frequency 1, recency 50 days, T 80 days, monetary 40.
    /// - c5..c9: a few more repeat customers so both models have data to fit.
    static let conversions = """
        insert into raw.conversions (conversion_id, customer_id, occurred_at, revenue) values
            ('a1', 'c1', '2025-01-01 09:00+00', 10), ('a2', 'c1', '2025-01-01 18:00+00', 5),
            ('a3', 'c1', '2025-01-15 12:00+00', 30), ('a4', 'c1', '2025-02-12 12:00+00', 50),
            ('a5', 'c1', '2025-04-05 12:00+00', 100),
            ('b1', 'c2', '2025-03-31 23:30+00', 20),
            ('d1', 'c3', '2025-02-01 12:00+00', 0), ('d2', 'c3', '2025-02-10 12:00+00', 25),
            ('e1', 'c4', '2025-01-10 08:00+00', 12), ('e2', 'c4', '2025-01-10 20:00+00', 8),
            ('e3', 'c4', '2025-03-01 12:00+00', 40),
            ('f1', 'c5', '2025-01-03 12:00+00', 20), ('f2', 'c5', '2025-01-20 12:00+00', 22),
            ('f3', 'c5', '2025-03-20 12:00+00', 18),
            ('g1', 'c6', '2025-01-05 12:00+00', 60), ('g2', 'c6', '2025-01-06 12:00+00', 70),
            ('h1', 'c7', '2025-02-01 12:00+00', 5), ('h2', 'c7', '2025-03-01 12:00+00', 9),
            ('h3', 'c7', '2025-03-02 12:00+00', 11), ('h4', 'c7', '2025-03-25 12:00+00', 7),
            ('i1', 'c8', '2025-01-02 12:00+00', 100),
            ('j1', 'c9', '2025-01-07 12:00+00', 15), ('j2', 'c9', '2025-02-07 12:00+00', 35)
        """

    static func prepared() async throws -> (TestDatabase, PostgresConnection) {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let logger = Logger(label: "test")
        try await Pipeline(project: repository, logger: logger).migrate(on: connection)
        try await connection.executeScript(conversions)
        try await buildLedger(connection)
        return (database, connection)
    }

    /// Builds the revenue ledger (`analytics_internal.revenue_events` and the tables under it) from
    /// the conversions inserted so far.
    static func buildLedger(_ connection: PostgresConnection) async throws {
        var options = TransformRunner.Options()
        options.select = ["+analytics_internal.revenue_events"]
        _ = try await TransformRunner(project: repository, logger: Logger(label: "test")).run(
            connection, options: options)
    }

    static func options(unit: PredictionOptions.Unit = .week, horizon: Int = 6) -> PredictionOptions {
        var options = PredictionOptions(observationEnd: "2025-03-31")
        options.unit = unit
        options.horizonMonths = horizon
        options.monthlyDiscount = 0.02
        options.penalizer = 0
        return options
    }

    @Test func rfmSummariesFollowTheStandardDefinitions() async throws {
        let (database, connection) = try await Self.prepared()
        _ = try await PredictionRunner(logger: Logger(label: "t")).run(
            connection, options: Self.options())
        let rows = try await connection.query(
            """
            select customer_id, frequency::text, round(recency::numeric, 6)::text as recency,
                round(t::numeric, 6)::text as t, monetary_value::text, first_purchase::text, unit
            from analytics.customer_rfm where customer_id in ('c1', 'c2', 'c3', 'c4') order by 1
            """
        ).map(\.values)
        #expect(
            rows == [
                ["c1", "2", "6.000000", "12.714286", "40.0000000000000000", "2025-01-01", "week"],
                ["c2", "0", "0.000000", "0.000000", "0", "2025-03-31", "week"],
                ["c3", "0", "0.000000", "7.000000", "0", "2025-02-10", "week"],
                ["c4", "1", "7.142857", "11.428571", "40.0000000000000000", "2025-01-10", "week"],
            ])
        #expect(try await connection.query("select count(*)::text from analytics.customer_rfm")[0][0] == "9")
        _ = try await PredictionRunner(logger: Logger(label: "t")).run(
            connection, options: Self.options(unit: .day))
        #expect(
            try await connection.query(
                "select recency::text, t::text from analytics.customer_rfm where customer_id = 'c1'"
            ).map(\.values) == [["42", "89"]])
        try await database.drop()
    }

    @Test func predictionsEqualTheModelsWithTheRecordedParameters() async throws {
        let (database, connection) = try await Self.prepared()
        let report = try await PredictionRunner(logger: Logger(label: "t")).run(
            connection, options: Self.options())
        #expect(report.customers == 9)
        #expect(report.repeatCustomers == 6)
        let fits = try await connection.query(
            "select model, parameters::text from analytics.clv_model_fits order by model")
        #expect(fits.map { $0[0] } == ["bg_nbd", "gamma_gamma"])
        let bgnbd = try JSONDecoder().decode(BGNBDModel.self, from: Data(try #require(fits[0][1]).utf8))
        let spend = try JSONDecoder().decode(GammaGammaModel.self, from: Data(try #require(fits[1][1]).utf8))
        #expect(bgnbd == report.bgnbd)

        let row = try #require(
            try await connection.query(
                """
                select p_alive, expected_purchases_6m, expected_avg_value::float8 as value,
                    predicted_clv::float8 as clv, predicted_decile
                from analytics.predicted_clv where customer_id = 'c1'
                """
            ).first)
        let forecast = CLVForecast(horizonMonths: 6, monthlyDiscount: 0.02, unitDays: 7)
        let purchases = forecast.purchases(bgnbd, frequency: 2, recency: 6, age: 89.0 / 7)
        let value = try #require(spend.expectedAverageValue(frequency: 2, monetaryValue: 40))
        #expect(
            abs(
                try row.decode(Double.self, "p_alive") - bgnbd.probabilityAlive(frequency: 2, recency: 6, age: 89.0 / 7)
            )
                < 1e-12)
        #expect(abs(try row.decode(Double.self, "expected_purchases_6m") - purchases.expected) < 1e-12)
        #expect(abs(try row.decode(Double.self, "value") - value) < 1e-4)
        #expect(abs(try row.decode(Double.self, "clv") - value * purchases.discounted) < 1e-3)

        // Deciles as the historical ones (issue #16): ceil(10 × the share of customers whose predicted
        // CLV is at or below the customer's), computed here from the published values: the best
        // of the nine is 10, equal values share a decile.
        let published = try await connection.query(
            "select predicted_clv::text as clv, predicted_decile from analytics.predicted_clv order by predicted_clv, customer_id"
        )
        let values = try published.map { try #require(Decimal(string: try $0.decode(String.self, "clv"))) }
        let expected = values.map { value in
            let atOrBelow = values.filter { $0 <= value }.count
            return String((10 * atOrBelow + values.count - 1) / values.count)
        }
        #expect(published.map { $0["predicted_decile"] } == expected)
        #expect(expected.count == 9 && expected.last == "10")
        try await database.drop()
    }

    /// Issue #16: a purchase is a revenue event with amount > 0 and a purchase day's value sums only
    /// those; `any-conversion` counts every conversion day at the sum of its revenue.
    /// - c3: Feb 1 with no revenue, Feb 10 (25).
    /// - r1: Jan 1 (30), Jan 8 (50 and a −20 refund), Jan 15 (a −10 refund only), Jan 22 (0).
    @Test func purchaseModesDecideWhichEventsArePurchases() async throws {
        let (database, connection) = try await Self.prepared()
        try await connection.executeScript(
            """
            insert into raw.conversions (conversion_id, customer_id, occurred_at, revenue) values
                ('r1', 'r1', '2025-01-01 12:00+00', 30), ('r2', 'r1', '2025-01-08 09:00+00', 50),
                ('r3', 'r1', '2025-01-08 18:00+00', -20), ('r4', 'r1', '2025-01-15 12:00+00', -10),
                ('r5', 'r1', '2025-01-22 12:00+00', 0)
            """)
        try await Self.buildLedger(connection)
        let runner = PredictionRunner(logger: Logger(label: "t"))
        func summaries() async throws -> [[String?]] {
            try await connection.query(
                """
                select customer_id, frequency::text, recency::text,
                    round(monetary_value, 4)::text as monetary_value, first_purchase::text
                from analytics.customer_rfm where customer_id in ('c3', 'r1') order by 1
                """
            ).map(\.values)
        }
        var options = Self.options(unit: .day)
        let paying = try await runner.run(connection, options: options)
        #expect(paying.purchases == "positive-revenue")
        #expect(paying.customers == 10)
        #expect(
            try await summaries() == [
                ["c3", "0", "0", "0.0000", "2025-02-10"], ["r1", "1", "7", "50.0000", "2025-01-01"],
            ])
        options.purchases = .anyConversion
        let converting = try await runner.run(connection, options: options)
        #expect(converting.purchases == "any-conversion")
        #expect(
            try await summaries() == [
                ["c3", "1", "9", "25.0000", "2025-02-01"], ["r1", "3", "21", "6.6667", "2025-01-01"],
            ])
        #expect(
            try await connection.query(
                "select distinct purchases from analytics.clv_model_fits order by 1"
            ).map { $0[0] } == ["any-conversion", "positive-revenue"])
        try await database.drop()
    }

    @Test func reRunsReplaceThePredictionsAndAppendTheFits() async throws {
        let (database, connection) = try await Self.prepared()
        let runner = PredictionRunner(logger: Logger(label: "t"))
        _ = try await runner.run(connection, options: Self.options())
        _ = try await runner.run(connection, options: Self.options(horizon: 12))
        #expect(try await connection.query("select count(*)::text from analytics.predicted_clv")[0][0] == "9")
        #expect(try await connection.query("select count(*)::text from analytics.clv_model_fits")[0][0] == "4")
        let columns = try await connection.query(
            """
            select column_name from information_schema.columns
            where table_schema = 'analytics' and table_name = 'predicted_clv' order by ordinal_position
            """
        ).map { $0[0] }
        #expect(
            columns == [
                "customer_id", "observation_end", "p_alive", "expected_purchases_12m", "expected_avg_value",
                "predicted_clv", "predicted_decile",
            ])
        try await database.drop()
    }

    @Test func explainsWhatIsMissing() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await Pipeline(project: Self.repository, logger: Logger(label: "t")).migrate(on: connection)
        await #expect(throws: ModelingError.self) {
            _ = try await PredictionRunner(logger: Logger(label: "t")).run(
                connection, options: Self.options())
        }
        #expect(throws: ModelingError.self) { try PredictionOptions.months(fromHorizon: "12x") }
        #expect(try PredictionOptions.months(fromHorizon: "2y") == 24)
        #expect(throws: ModelingError.self) { try PredictionOptions.validDate("2025-02-30") }
        try await database.drop()
    }
}
