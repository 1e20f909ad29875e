import ArgumentParser
import Foundation
import Rules
import Warehouse

extension CLV {
    /// Builds transforms in dependency order.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build transforms in dependency order, each published atomically.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var build: BuildOptions

        @Flag(name: .long, help: "Fail at once if another clv run is building in this database.")
        var noWait = false

        @Flag(help: "Print the result as JSON.")
        var json = false

        func run() async throws {
            try await reportingErrors {
                let connection = try await options.connect()
                var runnerOptions = build.runnerOptions
                runnerOptions.noWait = noWait
                runnerOptions.command = (["run"] + CommandLine.arguments.dropFirst(2)).joined(separator: " ")
                var report = try await TransformRunner(project: options.warehouseProject, logger: options.logger)
                    .run(connection, options: runnerOptions)
                // Payout rules are part of the graph: evaluated after new conversions (incrementally),
                // and what their revenue outcomes change is built into the ledger in the same run.
                var rules: RuleEvaluator.Report?
                if runnerOptions.select.isEmpty, try await RuleEvaluator.hasActiveRules(on: connection) {
                    let refresh = try await RuleRefresh(project: options.warehouseProject, logger: options.logger)
                        .evaluate(on: connection, asOf: runnerOptions.asOf, command: runnerOptions.command)
                    rules = refresh.evaluation
                    report.built += refresh.transforms?.built ?? []
                }
                if json { return try printJSON(report) }
                for step in report.built {
                    print(
                        "built \(step.transform): \(step.outcome), \(String(format: "%.2f", step.seconds)) s (\(step.reasons.joined(separator: "; ")))"
                    )
                }
                print("run \(report.runID): \(report.built.count) built, \(report.upToDate.count) up to date")
                if let rules { print(RulesGroup.Evaluate.describe(rules)) }
            }
        }
    }
}
