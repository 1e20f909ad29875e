import Core
import Foundation
import Logging
import PostgresClient

/// `clv predict`: builds the RFM summaries in SQL, fits BG/NBD and Gamma-Gamma on the distinct
/// summaries, scores each distinct summary once, and publishes `analytics.customer_rfm` and
/// `analytics.predicted_clv` atomically with the fits recorded in `analytics.clv_model_fits`.
public struct PredictionRunner: Sendable {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// What one prediction did.
    public struct Report: Sendable, Codable {
        public var observationEnd: String
        public var unit: String
        /// The purchase definition the summaries used (`positive-revenue` or `any-conversion`).
        public var purchases: String
        public var horizonMonths: Int
        public var monthlyDiscount: Double
        public var customers: Int
        public var distinctSummaries: Int
        public var repeatCustomers: Int
        public var bgnbd: BGNBDModel
        public var bgnbdLogLikelihood: Double
        public var bgnbdConverged: Bool
        public var gammaGamma: GammaGammaModel
        public var gammaGammaLogLikelihood: Double
        public var gammaGammaConverged: Bool
        public var summarySeconds: Double
        public var fitSeconds: Double
        public var scoreSeconds: Double
        public var totalSeconds: Double
        /// The published fit (the BG/NBD row of `analytics.clv_model_fits`): what payout rules on
        /// model outputs record as the fit that triggered them.
        public var fitID: Int64 = 0
    }

    /// Summarises, fits, scores and publishes in one transaction (under an advisory lock).
    public func run(_ connection: PostgresConnection, options: PredictionOptions) async throws -> Report {
        let rfmSQL = try ModelingSQL.text("customer_rfm")
        let predictedSQL = try ModelingSQL.text("predicted_clv")
        try await ModuleSchema.modeling.ensure(on: connection)
        let started = ContinuousClock.now
        return try await connection.transaction { connection in
            try await connection.execute("select pg_advisory_xact_lock(\(LockKeys.predict))")
            try await connection.execute("set local work_mem = '256MB'")
            do {
                try await connection.execute(
                    SQL(
                        unsafeSQL: "create temp table clv_rfm on commit drop as\n\(rfmSQL)",
                        binding: [options.observationEnd, options.unit.rawValue, options.purchases.rawValue]))
            } catch let error as PostgresError where error.sqlState == "42P01" {
                throw ModelingError(
                    "analytics_internal.revenue_events does not exist yet: run `clv run` before `clv predict` (\(error.message))"
                )
            }
            try await connection.execute("analyze clv_rfm")
            let purchases = try await purchaseSummaries(connection, unitDays: options.unit.days)
            guard purchases.customers > 0 else {
                throw ModelingError(
                    "no customer has a purchase (\(options.purchases.rawValue)) on or before \(options.observationEnd)")
            }
            let spend = try await spendSummaries(connection)
            let summarized = ContinuousClock.now
            logger.info(
                "rfm summaries ready",
                metadata: ["customers": "\(purchases.customers)", "distinct": "\(purchases.keys.count)"])

            let bgnbd = try BGNBDModel.fit(purchases.summaries, penalizer: options.penalizer)
            let gammaGamma = try GammaGammaModel.fit(spend, penalizer: options.penalizer)
            guard gammaGamma.model.q > 1 else {
                throw ModelingError(
                    "the Gamma-Gamma fit gave q = \(gammaGamma.model.q) ≤ 1, so the population mean spend is undefined (too few repeat customers, or too strong a penalizer)"
                )
            }
            let fitted = ContinuousClock.now
            logger.info("models fitted", metadata: ["bgnbd": "\(bgnbd.model)", "gamma_gamma": "\(gammaGamma.model)"])

            try await writeScores(purchases, model: bgnbd.model, forecast: options.forecast, on: connection)
            try await publish(
                predictedSQL: predictedSQL, spend: gammaGamma.model, horizon: options.horizonLabel, on: connection)
            let scored = ContinuousClock.now
            let fitSeconds = (fitted - summarized).inSeconds
            let fitID = try await record(
                bgnbd: bgnbd, gammaGamma: gammaGamma, purchases: purchases, spend: spend,
                options: options, fitSeconds: fitSeconds, on: connection)
            var report = Report(
                observationEnd: options.observationEnd, unit: options.unit.rawValue,
                purchases: options.purchases.rawValue,
                horizonMonths: options.horizonMonths, monthlyDiscount: options.monthlyDiscount,
                customers: Int(purchases.customers), distinctSummaries: purchases.keys.count,
                repeatCustomers: Int(spend.customers), bgnbd: bgnbd.model, bgnbdLogLikelihood: bgnbd.logLikelihood,
                bgnbdConverged: bgnbd.converged, gammaGamma: gammaGamma.model,
                gammaGammaLogLikelihood: gammaGamma.logLikelihood, gammaGammaConverged: gammaGamma.converged,
                summarySeconds: (summarized - started).inSeconds, fitSeconds: fitSeconds,
                scoreSeconds: (scored - fitted).inSeconds, totalSeconds: (ContinuousClock.now - started).inSeconds)
            report.fitID = fitID
            return report
        }
    }

    /// The distinct (frequency, recency, T) summaries with their customer counts, in days and in the unit.
    struct Purchases {
        var summaries = PurchaseSummaries()
        var keys: [(frequency: Int, recencyDays: Int, ageDays: Int)] = []
        var customers: Double { summaries.customers }
    }

    private func purchaseSummaries(_ connection: PostgresConnection, unitDays: Int) async throws -> Purchases {
        let rows = try await connection.query(
            "select frequency, recency_days, t_days, count(*) as customers from clv_rfm group by 1, 2, 3")
        var purchases = Purchases()
        purchases.keys.reserveCapacity(rows.count)
        for row in rows {
            let frequency = try row.decode(Int.self, "frequency")
            let recencyDays = try row.decode(Int.self, "recency_days")
            let ageDays = try row.decode(Int.self, "t_days")
            try purchases.summaries.append(
                frequency: frequency, recency: Double(recencyDays) / Double(unitDays),
                age: Double(ageDays) / Double(unitDays), count: Double(try row.decode(Int.self, "customers")))
            purchases.keys.append((frequency, recencyDays, ageDays))
        }
        return purchases
    }

    private func spendSummaries(_ connection: PostgresConnection) async throws -> SpendSummaries {
        let rows = try await connection.query(ModelingSQL.statement("spend_summaries"))
        var spend = SpendSummaries()
        for row in rows {
            try spend.append(
                frequency: try row.decode(Int.self, "frequency"),
                monetaryValue: try row.decode(Double.self, "monetary_value"),
                count: Double(try row.decode(Int.self, "customers")))
        }
        return spend
    }

    /// Scores every distinct summary (in parallel) and streams the scores into `clv_summary_scores`.
    private func writeScores(
        _ purchases: Purchases, model: BGNBDModel, forecast: CLVForecast, on connection: PostgresConnection
    ) async throws {
        let summaries = purchases.summaries
        let count = summaries.count
        let chunks = max(1, min(ProcessInfo.processInfo.activeProcessorCount * 4, count))
        let lines = ScoreLines(chunks: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            var text = ""
            for i in stride(from: chunk, to: count, by: chunks) {
                let key = purchases.keys[i]
                let alive = model.probabilityAlive(
                    frequency: key.frequency, recency: summaries.recency[i], age: summaries.age[i])
                let predicted = forecast.purchases(
                    model, frequency: key.frequency, recency: summaries.recency[i], age: summaries.age[i])
                text +=
                    "\(key.frequency)\t\(key.recencyDays)\t\(key.ageDays)\t\(alive)\t\(predicted.expected)\t\(predicted.discounted)\n"
                if !(alive.isFinite && predicted.expected.isFinite && predicted.discounted.isFinite) {
                    lines.fail(key)
                }
            }
            lines.set(chunk, text)
        }
        if let bad = lines.failure {
            throw ModelingError(
                "the BG/NBD model gives a non-finite prediction for frequency \(bad.frequency), recency \(bad.recencyDays) days, T \(bad.ageDays) days"
            )
        }
        try await connection.execute(ModelingSQL.statement("summary_scores_table"))
        let texts = lines.all
        try await connection.copyIn("copy clv_summary_scores from stdin") { writer in
            for text in texts { try writer.write(text) }
        }
        try await connection.execute("analyze clv_summary_scores")
    }

    /// Builds both relations in staging and swaps them in.
    private func publish(
        predictedSQL: String, spend: GammaGammaModel, horizon: String, on connection: PostgresConnection
    ) async throws {
        let rfmStaging = "clv_staging.analytics__customer_rfm"
        let predictedStaging = "clv_staging.analytics__predicted_clv"
        try await connection.execute("drop table if exists \(ident: rfmStaging), \(ident: predictedStaging)")
        let rfmSelect = try ModelingSQL.text("customer_rfm_published")
        try await connection.execute("create table \(ident: rfmStaging) as\n\(unsafeSQL: rfmSelect)")
        try await connection.execute(
            SQL(
                unsafeSQL: "create table \(Identifier.quoteQualified(predictedStaging)) as\n\(predictedSQL)",
                binding: [spend.p, spend.q, spend.v]))
        try await connection.execute(
            "alter table \(ident: predictedStaging) rename column expected_purchases to \(ident: "expected_purchases_\(horizon)")"
        )
        for (staging, relation) in [(rfmStaging, "customer_rfm"), (predictedStaging, "predicted_clv")] {
            try await connection.execute("alter table \(ident: staging) add primary key (customer_id)")
            try await connection.execute("analyze \(ident: staging)")
            try await connection.execute("drop table if exists \(ident: "analytics.\(relation)")")
            try await connection.execute("alter table \(ident: staging) set schema analytics")
            try await connection.execute(
                "alter table \(ident: "analytics.analytics__\(relation)") rename to \(ident: relation)")
        }
    }

    private func record(
        bgnbd: BGNBDModel.Fit, gammaGamma: GammaGammaModel.Fit, purchases: Purchases, spend: SpendSummaries,
        options: PredictionOptions, fitSeconds: Double, on connection: PostgresConnection
    ) async throws -> Int64 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let fits: [(String, Data, Double, Bool, Int, Double, Int)] = [
            (
                "bg_nbd", try encoder.encode(bgnbd.model), bgnbd.logLikelihood, bgnbd.converged, bgnbd.iterations,
                bgnbd.customers, purchases.keys.count
            ),
            (
                "gamma_gamma", try encoder.encode(gammaGamma.model), gammaGamma.logLikelihood, gammaGamma.converged,
                gammaGamma.iterations, gammaGamma.customers, spend.count
            ),
        ]
        var ids: [Int64] = []
        for (model, parameters, logLikelihood, converged, iterations, customers, distinct) in fits {
            ids.append(
                try await connection.query(
                    ModelingSQL.statement(
                        "record_fit",
                        binding: [
                            model, String(decoding: parameters, as: UTF8.self), logLikelihood, converged, iterations,
                            Int(customers), distinct, options.penalizer, options.observationEnd,
                            options.unit.rawValue, options.purchases.rawValue, fitSeconds,
                        ]))[0].decode(Int64.self, "fit_id"))
        }
        return ids[0]
    }
}

/// Score text produced by parallel workers, one slot per chunk.
private final class ScoreLines: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String]
    private var bad: (frequency: Int, recencyDays: Int, ageDays: Int)?

    init(chunks: Int) { texts = Array(repeating: "", count: chunks) }

    func set(_ chunk: Int, _ text: String) { lock.withLock { texts[chunk] = text } }
    func fail(_ key: (frequency: Int, recencyDays: Int, ageDays: Int)) { lock.withLock { bad = bad ?? key } }
    var all: [String] { lock.withLock { texts } }
    var failure: (frequency: Int, recencyDays: Int, ageDays: Int)? { lock.withLock { bad } }
}
