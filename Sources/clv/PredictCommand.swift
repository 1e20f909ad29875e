import ArgumentParser
import Core
import Foundation
import Modeling
import Pipeline
import Rules
import Transforms

extension CLV {
    /// Fits BG/NBD and Gamma-Gamma on the warehouse and publishes predicted CLV.
    struct Predict: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "predict",
            abstract: "Fit BG/NBD + Gamma-Gamma and write analytics.customer_rfm and analytics.predicted_clv.",
            discussion: """
                Purchase days are UTC days with a purchase in analytics_internal.revenue_events (so run `clv run` \
                first): with --purchases positive-revenue (the default) a purchase is a revenue event with amount > 0 \
                and a day's value sums those; with any-conversion every conversion counts, zero revenue included, \
                as in the published CDNOW analyses. The fits are recorded in analytics.clv_model_fits.
                """)
        @OptionGroup var options: GlobalOptions

        @Option(
            help: "Last day of the observation period, YYYY-MM-DD (default: today, UTC); later purchases are ignored.")
        var asOf: String?

        @Option(help: "Prediction horizon in months or years, e.g. 12mo or 1y.")
        var horizon = "12mo"

        @Option(help: "Monthly discount rate.")
        var discount = 0.01

        @Option(help: "Model time unit: day or week.")
        var unit: PredictionOptions.Unit = .week

        @Option(help: "Which revenue events are purchases: positive-revenue (amount > 0) or any-conversion.")
        var purchases = PredictionOptions.Purchases.positiveRevenue.rawValue

        @Option(help: "L2 penalty on the model parameters (0: plain maximum likelihood).")
        var penalizer = 0.0

        @Flag(help: "Print the report as JSON.")
        var json = false

        /// The `--purchases` mode, or a message naming the choices.
        var purchaseMode: PredictionOptions.Purchases {
            get throws {
                guard let mode = PredictionOptions.Purchases(rawValue: purchases) else {
                    throw ValidationError(
                        "--purchases '\(purchases)' is not \(PredictionOptions.Purchases.choices) (positive-revenue: revenue events with amount > 0; any-conversion: every conversion, zero revenue included)"
                    )
                }
                return mode
            }
        }

        func validate() throws {
            _ = try purchaseMode
            do {
                if let asOf { _ = try PredictionOptions.validDate(asOf) }
                _ = try PredictionOptions.months(fromHorizon: horizon)
            } catch let error as ModelingError {
                throw ValidationError(error.message)
            }
            guard discount >= 0, discount < 1 else { throw ValidationError("--discount must be in [0, 1)") }
            guard penalizer >= 0 else { throw ValidationError("--penalizer must be ≥ 0") }
        }

        func run() async throws {
            try await reportingErrors {
                var prediction = PredictionOptions(
                    observationEnd: try PredictionOptions.validDate(asOf ?? PredictionOptions.today()))
                prediction.horizonMonths = try PredictionOptions.months(fromHorizon: horizon)
                prediction.monthlyDiscount = discount
                prediction.unit = unit
                prediction.purchases = try purchaseMode
                prediction.penalizer = penalizer
                let connection = try await options.connect()
                // Payout rules on model outputs are evaluated on each published fit.
                let predicted = try await Pipeline(project: options.warehouseProject, logger: options.logger)
                    .predict(prediction, on: connection, command: "predict")
                let report = predicted.prediction
                let rules = (evaluation: predicted.rules, transforms: predicted.transforms)
                if json { return try printJSON(report) }
                print(Self.describe(report))
                if rules.evaluation.rules > 0 {
                    print(
                        "  rules on model outputs: \(rules.evaluation.rules), \(rules.evaluation.matched) new outcome(s) on fit \(report.fitID)"
                    )
                }
            }
        }

        static func describe(_ report: PredictionRunner.Report) -> String {
            let bg = report.bgnbd
            let gg = report.gammaGamma
            func f(_ value: Double) -> String { String(format: "%.4g", value) }
            return """
                predicted CLV as of \(report.observationEnd) (unit \(report.unit), purchases \(report.purchases), \
                \(report.horizonMonths) months, discount \(report.monthlyDiscount)/month)
                  customers \(report.customers) (\(report.distinctSummaries) distinct summaries, \
                \(report.repeatCustomers) repeat customers for the spend model)
                  BG/NBD       r=\(f(bg.r)) alpha=\(f(bg.alpha)) a=\(f(bg.a)) b=\(f(bg.b)) \
                log-likelihood \(f(report.bgnbdLogLikelihood))\(report.bgnbdConverged ? "" : " (NOT converged)")
                  Gamma-Gamma  p=\(f(gg.p)) q=\(f(gg.q)) v=\(f(gg.v)) \
                log-likelihood \(f(report.gammaGammaLogLikelihood))\(report.gammaGammaConverged ? "" : " (NOT converged)")
                  seconds: summaries \(f(report.summarySeconds)), fit \(f(report.fitSeconds)), \
                score + publish \(f(report.scoreSeconds)), total \(f(report.totalSeconds))
                """
        }
    }
}

extension PredictionOptions.Unit: ExpressibleByArgument {}
