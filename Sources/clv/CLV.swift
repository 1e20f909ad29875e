import ArgumentParser

/// The clv command-line tool.
@main
struct CLV: AsyncParsableCommand {
    // Every command names itself (`commandName:`): a name derived from the type goes through
    // `String(describing:)`, which searched the runtime's conformance tables for each of the 45
    // commands on every start, a tenth of what `clv run` with nothing to do took.
    static let configuration = CommandConfiguration(
        commandName: "clv",
        abstract: "A customer-lifetime-value warehouse on PostgreSQL.",
        subcommands: [
            Demo.self, DB.self, Migrate.self, Ingest.self, Serve.self, Generate.self, ScheduleGroup.self,
            SchedulerDaemonCommand.self, Plan.self,
            Run.self, Test.self, Docs.self, Predict.self, DashboardsGroup.self, AudiencesGroup.self, RulesGroup.self,
            PayoutsGroup.self,
            ReportGroup.self,
            Runs.self,
        ]
    )
}
