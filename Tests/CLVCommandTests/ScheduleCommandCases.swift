import Testing

@testable import clv

/// `clv schedule validate|list|next|run` and the `clv scheduler` daemon.
extension ParsingCase {
    static let scheduleCommands: [ParsingCase] = [
        .command(
            CLV.ScheduleGroup.Validate.self, ["schedule", "validate", "--project", "/p"],
            refuses: [(["schedule", "validate", "nightly"], "Unexpected argument 'nightly'")]
        ) { validate in
            #expect(validate.options.project == "/p")
        },
        .command(
            CLV.ScheduleGroup.List.self, ["schedule", "list", "--json"],
            refuses: [(["schedule", "list", "--count", "3"], "Unknown option '--count'")]
        ) { list in
            #expect(list.json)
        },
        .command(
            CLV.ScheduleGroup.Next.self,
            ["schedule", "next", "nightly", "--from", "2025-03-29T12:00:00Z", "--count", "3", "--json"],
            refuses: [
                (["schedule", "next"], "Missing expected argument '<name>'"),
                (["schedule", "next", "nightly", "--from", "tomorrow"], "--from: 'tomorrow' is not a timestamp"),
                (["schedule", "next", "nightly", "--count=-2"], "--count must not be negative"),
            ]
        ) { next in
            #expect(next.name == "nightly")
            #expect(next.from == "2025-03-29T12:00:00Z")
            #expect(next.count == 3)
            #expect(next.json)
        },
        .command(
            CLV.ScheduleGroup.RunNow.self, ["schedule", "run", "nightly", "--database-url", "postgres://h/db"],
            refuses: [
                (["schedule", "run"], "Missing expected argument '<name>'"),
                (["schedule", "run", "nightly", "hourly"], "Unexpected argument 'hourly'"),
            ]
        ) { run in
            #expect(run.name == "nightly")
            #expect(run.options.databaseURL == "postgres://h/db")
        },
        .command(
            CLV.SchedulerDaemonCommand.self, ["scheduler", "--retention-days", "30"],
            refuses: [
                (["scheduler", "--retention-days=-1"], "--retention-days must not be negative"),
                (
                    ["scheduler", "--retention-days", "1w"],
                    "The value '1w' is invalid for '--retention-days <retention-days>'"
                ),
            ]
        ) { scheduler in
            #expect(scheduler.retentionDays == 30)
        },
    ]
}
