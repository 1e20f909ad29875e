import ArgumentParser
import Core
import Foundation
import Pipeline
import Rules
import Transforms

extension CLV {
    /// Builds transforms in dependency order.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
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
                // Payout rules are part of the refresh: evaluated after new conversions (incrementally),
                // and what their revenue outcomes change is built into the ledger in the same run.
                let refresh = try await Pipeline(project: options.warehouseProject, logger: options.logger)
                    .refresh(options: runnerOptions, on: connection)
                var report = refresh.transforms
                report.built = refresh.built
                let rules = refresh.rules
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
