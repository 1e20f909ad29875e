import ArgumentParser
import Core
import Foundation
import Ingest
import Pipeline
import PostgresClient
import Scheduler
import Transforms

extension CLV {
    /// Runs the whole pipeline end to end on the bundled example.
    struct Demo: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Run the pipeline end to end on the bundled example (embedded database by default).")
        @OptionGroup var options: GlobalOptions

        @Option(help: "Reference time for the example, so its figures are the same every day.")
        var asOf = "2025-03-31T00:00:00Z"

        func validate() throws {
            guard PostgresTimestamp.parse(asOf) != nil else {
                throw ValidationError("--as-of: '\(asOf)' is not a date or timestamp (YYYY-MM-DD[THH:MM:SS][Z|±HH:MM])")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let project = options.warehouseProject
                let logger = options.logger
                print("1. database: \(try await options.resolveDatabaseURL())")
                let connection = try await options.connect()

                let applied = try await Pipeline(project: project, logger: logger).migrate(
                    on: connection, including: [.scheduler])
                print("2. migrate: \(applied.count) migration(s) applied")

                let loader = FileLoader(logger: logger)
                var loaded: [String] = []
                for kind in [IngestKind.partners, .offers, .customers, .sends, .clicks, .conversions] {
                    let file = project.root.appendingPathComponent("examples/demo/\(kind.rawValue).csv")
                    let summary = try await loader.load(file, options: FileLoader.Options(kind: kind), on: connection)
                    loaded.append(
                        summary.alreadyLoadedAs == nil
                            ? "\(kind.rawValue) \(summary.inserted) new" : "\(kind.rawValue) already loaded")
                }
                print("3. ingest examples/demo/*.csv: \(loaded.joined(separator: ", "))")

                try await DemoTour(connection: connection, asOf: asOf).sendPostback(
                    databaseURL: try await options.resolveDatabaseURL(), logger: logger)

                let refresh = try await Pipeline(project: project, logger: logger).refresh(
                    options: DemoTour(connection: connection, asOf: asOf).runOptions, on: connection)
                let report = refresh.transforms
                let built = refresh.built.map { "\($0.transform) (\($0.outcome))" }
                print(
                    "5. run \(report.runID): built \(built.isEmpty ? "nothing" : built.joined(separator: ", "))"
                        + (report.upToDate.isEmpty ? "" : "; up to date: \(report.upToDate.joined(separator: ", "))"))

                try await DemoTour(connection: connection, asOf: asOf).correctAndRevert(
                    project: project, logger: logger)

                let outcomes = try await DataTestRunner.checkAll(project, on: connection)
                let failures = outcomes.compactMap(\.failure)
                print("6. test: \(outcomes.count - failures.count) passed, \(failures.count) failed")
                for failure in failures { print(failure) }

                let top = try await connection.query(
                    """
                    select v.customer_id, v.source, v.conversions, v.orders, v.aov, v.clv, d.decile_365d, d.decile_lifetime
                    from analytics.customer_value v left join analytics.clv_deciles d using (customer_id)
                    order by v.clv desc, v.customer_id limit 5
                    """)
                print("7. top customers by CLV:")
                print(TextTable.render(columns: top.columns, rows: top.map(\.values)))
                try await DemoTour(connection: connection, asOf: asOf).showDerivedAttributes()
                try await DemoTour(connection: connection, asOf: asOf).importRevenue(project: project, logger: logger)
                try await DemoTour(connection: connection, asOf: asOf).predict(project: project, logger: logger)
                try await DemoTour(connection: connection, asOf: asOf).payoutRules(project: project, logger: logger)
                try await DemoTour(connection: connection, asOf: asOf).runSchedule(
                    project: project, databaseURL: try await options.resolveDatabaseURL(), logger: logger)
                // After the schedule (which publishes with today's ranges): the example's own quarter.
                try await DemoTour(connection: connection, asOf: asOf).publishDashboards(
                    project: project, logger: logger)
                try await DemoTour(connection: connection, asOf: asOf).exportAudience(project: project, logger: logger)
                if !failures.isEmpty { throw ExitCode.failure }
            }
        }
    }
}
