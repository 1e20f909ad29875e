import ArgumentParser
import Foundation
import Logging
import Scheduler
import ServiceLifecycle
import UnixSignals

extension CLV {
    /// The scheduler daemon.
    struct SchedulerDaemonCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scheduler",
            abstract:
                "Run the refresh jobs of schedules/ on time, exactly once per slot across daemons, until SIGTERM or SIGINT."
        )
        @OptionGroup var options: GlobalOptions

        @Option(help: "Delete schedule history older than this many days.")
        var retentionDays = 90

        func validate() throws {
            guard retentionDays >= 0 else { throw ValidationError("--retention-days must not be negative") }
        }

        func run() async throws {
            try await reportingErrors {
                let url = try await options.resolveDatabaseURL()
                let loader = ScheduleLoader(project: options.warehouseProject)
                _ = try loader.loadAll()
                var service = SchedulerService(
                    daemon: SchedulerDaemon(
                        project: options.warehouseProject, databaseURL: url, logger: options.logger),
                    loader: loader)
                service.retention = Double(retentionDays) * 86_400
                let group = ServiceGroup(
                    configuration: .init(
                        services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint],
                        logger: options.logger))
                print("clv scheduler: running \(try loader.loadAll().count) schedule(s); SIGTERM or Ctrl-C stops it")
                try await group.run()
            }
        }
    }
}

extension CLV.ScheduleGroup {
    /// Runs one schedule now, in the foreground.
    struct RunNow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run a schedule now, in the foreground, with the daemon's locking and history.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The schedule's name.") var name: String

        func run() async throws {
            try await reportingErrors {
                let schedules = try ScheduleLoader(project: options.warehouseProject).loadAll()
                guard let schedule = schedules.first(where: { $0.name == name }) else {
                    throw ValidationError(
                        "no schedule named \(name) (have: \(schedules.map(\.name).joined(separator: ", ")))")
                }
                let url = try await options.resolveDatabaseURL()
                let daemon = SchedulerDaemon(
                    project: options.warehouseProject, databaseURL: url, logger: options.logger)
                let event = try await daemon.runNow(schedule, now: Date(), on: try await options.connect())
                print("\(event)")
                if case .ran(_, _, _, let status) = event, status != "success" { throw ExitCode.failure }
            }
        }
    }
}
