import ArgumentParser
import Core
import Foundation
import Scheduler
import Transforms

extension CLV {
    /// Shows the run history.
    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "runs", abstract: "Show recent runs and their steps.")
        @OptionGroup var options: GlobalOptions

        @Option(help: "How many runs (or schedule slots) to show.")
        var limit = 20

        @Option(
            help: "Show the slots and attempts of this schedule instead of transform runs ('all' for every schedule).")
        var schedule: String?

        @Flag(help: "Print the history as JSON.")
        var json = false

        func validate() throws {
            guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
        }

        func run() async throws {
            try await reportingErrors {
                let connection = try await options.connect()
                if let schedule {
                    let slots = try await ScheduleHistory.recent(
                        connection, schedule: schedule == "all" ? nil : schedule, limit: limit)
                    if json { return try printJSON(slots) }
                    if slots.isEmpty { print("no schedule history yet") }
                    for slot in slots {
                        print(
                            "\(slot.schedule)  \(slot.slot)  \(slot.status)\(slot.error.map { "  \($0.split(separator: "\n").first ?? "")" } ?? "")"
                        )
                        for attempt in slot.attempts {
                            print(
                                "  attempt \(attempt.attempt)  \(attempt.status)  \(attempt.daemon)  steps: \(attempt.steps.map { "\($0.step) \($0.status)" }.joined(separator: ", "))"
                            )
                        }
                    }
                    return
                }
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
