import ArgumentParser
import Foundation
import Warehouse

extension CLV {
    /// Shows the run history.
    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show recent runs and their steps.")
        @OptionGroup var options: GlobalOptions

        @Option(help: "How many runs to show.")
        var limit = 20

        @Flag(help: "Print the history as JSON.")
        var json = false

        func run() async throws {
            try await reportingErrors {
                let connection = try await options.connect()
                let runs = try await RunHistory.recent(connection, limit: limit)
                if json { return try printJSON(runs) }
                if runs.isEmpty { print("no runs yet") }
                for run in runs {
                    let seconds =
                        run.finishedAt.map { String(format: "%.2f s", $0.timeIntervalSince(run.startedAt)) } ?? "-"
                    print("run \(run.runID)  \(run.status)  \(run.startedAt)  \(seconds)  \(run.command)")
                    if let error = run.error { print("  error: \(error.split(separator: "\n").first ?? "")") }
                    for step in run.steps {
                        print(
                            "  \(step.status.padding(toLength: 7, withPad: " ", startingAt: 0)) \(step.transform)  \(step.mode)  rows=\(step.rows.map(String.init) ?? "-")  \(step.reason)"
                        )
                    }
                }
            }
        }
    }
}
