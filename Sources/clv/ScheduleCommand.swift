import ArgumentParser
import Foundation
import PostgresClient
import Scheduler

extension CLV {
    /// Inspects the refresh jobs in `schedules/`.
    struct ScheduleGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "schedule", abstract: "Validate and inspect the refresh jobs in schedules/.",
            subcommands: [Validate.self, List.self, Next.self, RunNow.self])

        struct Validate: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "validate",
                abstract: "Check every schedule file; errors as FILE: field: reason.")
            @OptionGroup var options: GlobalOptions

            func run() async throws {
                try await reportingErrors {
                    let schedules = try ScheduleLoader(project: options.warehouseProject).loadAll()
                    print("\(schedules.count) schedule(s) valid: \(schedules.map(\.name).joined(separator: ", "))")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list",
                abstract: "Each schedule with its next 3 runs, in its zone and in UTC.")
            @OptionGroup var options: GlobalOptions
            @Flag(help: "Print as JSON.") var json = false

            func run() async throws {
                try await reportingErrors {
                    let schedules = try ScheduleLoader(project: options.warehouseProject).loadAll()
                    let entries = schedules.map { ScheduleRuns(schedule: $0, from: Date(), count: 3) }
                    if json { return try printJSON(entries) }
                    for entry in entries {
                        print(
                            "\(entry.name)  \(entry.cron)  \(entry.timezone)\(entry.enabled ? "" : "  (disabled)")  steps: \(entry.steps.joined(separator: ", "))"
                        )
                        for run in entry.next { print("  \(run.local)  (\(run.utc))") }
                    }
                }
            }
        }

        struct Next: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "next",
                abstract: "The next runs of one schedule after any instant.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The schedule's name.") var name: String
            @Option(help: "Start instant (default now), e.g. 2025-03-29T12:00:00Z.") var from: String?
            @Option(help: "How many runs.") var count = 5
            @Flag(help: "Print as JSON.") var json = false

            func validate() throws {
                if let from, PostgresTimestamp.parse(from) == nil {
                    throw ValidationError("--from: '\(from)' is not a timestamp (YYYY-MM-DDTHH:MM:SSZ)")
                }
                guard count >= 0 else { throw ValidationError("--count must not be negative") }
            }

            func run() async throws {
                try await reportingErrors {
                    let schedules = try ScheduleLoader(project: options.warehouseProject).loadAll()
                    guard let schedule = schedules.first(where: { $0.name == name }) else {
                        throw ValidationError(
                            "no schedule named \(name) (have: \(schedules.map(\.name).joined(separator: ", ")))")
                    }
                    let entry = ScheduleRuns(
                        schedule: schedule, from: from.flatMap(PostgresTimestamp.parse) ?? Date(), count: count)
                    if json { return try printJSON(entry) }
                    for run in entry.next { print("\(run.local)  (\(run.utc))") }
                }
            }
        }
    }
}

/// A schedule and its coming runs, for output.
struct ScheduleRuns: Encodable {
    struct Run: Encodable {
        var local: String
        var utc: String
    }
    var name: String
    var cron: String
    var timezone: String
    var enabled: Bool
    var steps: [String]
    var next: [Run]

    init(schedule: Schedule, from: Date, count: Int) {
        name = schedule.name
        cron = schedule.cron.description
        timezone = schedule.timeZone.identifier
        enabled = schedule.enabled
        steps = schedule.steps.map(\.name)
        let local = ISO8601DateFormatter()
        local.timeZone = schedule.timeZone
        local.formatOptions = [.withInternetDateTime]
        let utc = ISO8601DateFormatter()
        utc.formatOptions = [.withInternetDateTime]
        next = schedule.upcoming(after: from, count: count).map {
            Run(local: local.string(from: $0), utc: utc.string(from: $0))
        }
    }
}
