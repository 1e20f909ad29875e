import Core
import Foundation
import Logging
import Pipeline
import PostgresClient
import TestSupport
import Testing
import Transforms

@testable import Modeling

/// Fader, Hardie & Lee on the full CDNOW sample through SQL: a conversion log synthesised from the
/// published summary goes through the real migrations, `revenue_events` and `customer_rfm.sql`,
/// and `clv predict` fits it in both purchase modes.
@Suite struct CDNOWSQLFitTests {
    /// A fresh database holding the synthesised log in `raw.conversions`.
    static func prepared(_ log: CDNOWTransactionLog) async throws -> (TestDatabase, PostgresConnection) {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let logger = Logger(label: "test")
        let project = PredictionRunnerTests.repository
        try await Pipeline(project: project, logger: logger).migrate(on: connection)
        _ = try await connection.copyIn(
            "copy raw.conversions (conversion_id, customer_id, occurred_at, revenue) from stdin"
        ) {
            writer in try writer.write(log.copyText)
        }
        var options = TransformRunner.Options()
        options.select = ["+analytics_internal.revenue_events"]
        _ = try await TransformRunner(project: project, logger: logger).run(connection, options: options)
        return (database, connection)
    }

    /// `analytics.customer_rfm` as CSV-like text: id → x, t_x, T, zbar (weeks and dollars to 0.01).
    static func summaries(_ connection: PostgresConnection) async throws -> [String: [String]] {
        let rows = try await connection.query(
            """
            select customer_id, frequency::text, round(recency::numeric, 2)::text, round(t::numeric, 2)::text,
                round(monetary_value, 2)::text
            from analytics.customer_rfm
            """)
        var summaries: [String: [String]] = [:]
        for row in rows { summaries[try #require(row[0])] = (1..<5).map { row[$0] ?? "NULL" } }
        return summaries
    }

    @Test func bothPurchaseModesReproduceThePublishedFitsFromAConversionLog() async throws {
        let customers = try CDNOWFitTests.customers()
        let log = try CDNOWTransactionLog(customers)
        #expect(log.zeroRevenueCustomers.count == 8)
        let (database, connection) = try await Self.prepared(log)
        let runner = PredictionRunner(logger: Logger(label: "t"))
        var options = PredictionOptions(observationEnd: CDNOWTransactionLog.observationEnd)

        // any-conversion: every customer, each summary equal to the published one to 0.01 weeks.
        options.purchases = .anyConversion
        let all = try await runner.run(connection, options: options)
        let summaries = try await Self.summaries(connection)
        #expect(summaries.count == 2357)
        for customer in customers {
            let expected = [
                "\(customer.frequency)", String(format: "%.2f", customer.recency), String(format: "%.2f", customer.age),
                String(format: "%.2f", customer.monetaryValue),
            ]
            #expect(summaries[customer.id] == expected, "customer \(customer.id)")
        }
        #expect(all.customers == 2357)
        expectPublished(all)

        // positive-revenue: the eight $0 customers made no purchase; the repeat customers are unchanged.
        options.purchases = .positiveRevenue
        let paying = try await runner.run(connection, options: options)
        #expect(paying.customers == 2349)
        #expect(
            Set(try await Self.summaries(connection).keys)
                == Set(customers.map(\.id)).subtracting(log.zeroRevenueCustomers))
        #expect(paying.repeatCustomers == 946)

        let fits = try await connection.query(
            "select purchases, customers::text from analytics.clv_model_fits where model = 'bg_nbd' order by fit_id"
        ).map(\.values)
        #expect(fits == [["any-conversion", "2357"], ["positive-revenue", "2349"]])
        try await database.drop()
    }

    /// The published BG/NBD and Gamma-Gamma estimates, at the tolerances of `CDNOWFitTests`. The log
    /// gives the fit days / 7 rather than the two-decimal weeks; that moves r, α, a, b by under 1e-4
    /// and the log-likelihood by 0.004 (−9582.4292 vs −9582.4256), far inside these tolerances.
    func expectPublished(_ report: PredictionRunner.Report) {
        #expect(report.bgnbdConverged)
        #expect(CDNOWFitTests.significant3(report.bgnbd.r) == 0.243)
        #expect(CDNOWFitTests.significant3(report.bgnbd.alpha) == 4.41)
        #expect(CDNOWFitTests.significant3(report.bgnbd.a) == 0.793)
        #expect(CDNOWFitTests.significant3(report.bgnbd.b) == 2.43)
        #expect(abs(report.bgnbdLogLikelihood - -9582.4) < 0.1)
        #expect(report.repeatCustomers == 946)
        #expect(CDNOWFitTests.significant3(report.gammaGamma.p) == 6.25)
        #expect(CDNOWFitTests.significant3(report.gammaGamma.q) == 3.74)
        #expect(CDNOWFitTests.significant3(report.gammaGamma.v) == 15.4)
    }
}
