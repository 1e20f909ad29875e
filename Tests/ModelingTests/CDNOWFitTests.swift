import Foundation
import Testing

@testable import Modeling

/// The classic CDNOW sample (2,357 customers, 39-week calibration) and its published estimates.
@Suite struct CDNOWFitTests {
    struct Customer {
        var id: String
        var frequency: Int
        var recency: Double
        var age: Double
        var monetaryValue: Double
    }

    static func customers() throws -> [Customer] {
        let url = try #require(
            Bundle.module.url(
                forResource: "cdnow_customers_summary_with_transactions", withExtension: "csv",
                subdirectory: "Fixtures"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        return try lines.map { line in
            let fields = line.split(separator: ",").map(String.init)
            return Customer(
                id: fields[0], frequency: try #require(Int(fields[1])), recency: try #require(Double(fields[2])),
                age: try #require(Double(fields[3])), monetaryValue: try #require(Double(fields[4])))
        }
    }

    /// Rounds to three significant digits, the precision the papers publish.
    static func significant3(_ value: Double) -> Double {
        let magnitude = pow(10, 2 - floor(log10(abs(value))))
        return (value * magnitude).rounded() / magnitude
    }

    @Test func bgnbdReproducesThePublishedEstimates() throws {
        let customers = try Self.customers()
        #expect(customers.count == 2357)
        var summaries = PurchaseSummaries()
        for customer in customers {
            try summaries.append(frequency: customer.frequency, recency: customer.recency, age: customer.age)
        }
        let fit = try BGNBDModel.fit(summaries)
        #expect(fit.converged)
        #expect(Self.significant3(fit.model.r) == 0.243)
        #expect(Self.significant3(fit.model.alpha) == 4.41)
        #expect(Self.significant3(fit.model.a) == 0.793)
        #expect(Self.significant3(fit.model.b) == 2.43)
        // Published log-likelihood: −9582.4.
        #expect(abs(fit.logLikelihood - -9582.4) < 0.1)
    }

    @Test func aggregatingIdenticalSummariesGivesTheSameFit() throws {
        var counts: [String: (Customer, Double)] = [:]
        for customer in try Self.customers() {
            let key = "\(customer.frequency)|\(customer.recency)|\(customer.age)"
            counts[key, default: (customer, 0)].1 += 1
        }
        var summaries = PurchaseSummaries()
        for (customer, count) in counts.values {
            try summaries.append(
                frequency: customer.frequency, recency: customer.recency, age: customer.age, count: count)
        }
        #expect(summaries.count < 2357)
        let fit = try BGNBDModel.fit(summaries)
        #expect(Self.significant3(fit.model.r) == 0.243)
        #expect(Self.significant3(fit.model.b) == 2.43)
        #expect(abs(fit.logLikelihood - -9582.4) < 0.1)
    }

    @Test func gammaGammaReproducesThePublishedEstimates() throws {
        var summaries = SpendSummaries()
        for customer in try Self.customers() where customer.frequency > 0 {
            try summaries.append(frequency: customer.frequency, monetaryValue: customer.monetaryValue)
        }
        #expect(summaries.customers == 946)
        let fit = try GammaGammaModel.fit(summaries)
        #expect(fit.converged)
        #expect(Self.significant3(fit.model.p) == 6.25)
        #expect(Self.significant3(fit.model.q) == 3.74)
        #expect(Self.significant3(fit.model.v) == 15.4)
    }

    @Test func penalizerShrinksTheParameters() throws {
        var summaries = PurchaseSummaries()
        for customer in try Self.customers() {
            try summaries.append(frequency: customer.frequency, recency: customer.recency, age: customer.age)
        }
        let plain = try BGNBDModel.fit(summaries)
        let penalized = try BGNBDModel.fit(summaries, penalizer: 0.1)
        #expect(penalized.model.alpha < plain.model.alpha)
        #expect(penalized.logLikelihood < plain.logLikelihood)
    }
}
