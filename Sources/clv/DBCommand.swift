import ArgumentParser
import Foundation
import LocalPostgres

extension CLV {
    /// Manages the embedded PostgreSQL cluster under `.clv/postgres` (or the system folder it moved to).
    struct DB: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "db",
            abstract: "Manage the embedded PostgreSQL cluster (.clv/postgres, or CLV_HOME).",
            subcommands: [Start.self, Stop.self, Status.self, URL.self, Reset.self])

        struct Start: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "start", abstract: "Create the cluster if needed and start it.")
            @OptionGroup var options: GlobalOptions

            func run() async throws {
                try await reportingErrors {
                    let url = try await options.localCluster.start(logger: options.logger)
                    print("embedded PostgreSQL is running: \(url)")
                }
            }
        }

        struct Stop: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the cluster.")
            @OptionGroup var options: GlobalOptions

            func run() async throws {
                try await reportingErrors {
                    try options.localCluster.stop()
                    print("embedded PostgreSQL is stopped")
                }
            }
        }

        struct Status: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "status",
                abstract: "Say whether the cluster exists and runs (exit 3 when not running).")
            @OptionGroup var options: GlobalOptions

            func run() async throws {
                try await reportingErrors {
                    let cluster = options.localCluster
                    let status = try cluster.status()
                    switch status {
                    case .notInitialized: print("not created; `clv db start` creates it")
                    case .stopped: print("stopped")
                    case .running(let pid): print("running, pid \(pid)")
                    }
                    print("data:   \(cluster.dataDirectory.path)")
                    print("socket: \(cluster.socketDirectory.path)")
                    if cluster.isRelocated {
                        print(
                            "(the postgres user cannot reach \(cluster.home.path), so the cluster lives in a system folder; recorded in \(cluster.home.path)/postgres.location)"
                        )
                    }
                    guard case .running = status else { throw ExitCode(3) }
                    print(cluster.url())
                }
            }
        }

        struct URL: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "url",
                abstract: "Print a libpq connection URI for psql and other tools (starts the cluster).")
            @OptionGroup var options: GlobalOptions

            func run() async throws {
                try await reportingErrors {
                    print(try await options.localCluster.start(logger: options.logger))
                }
            }
        }

        struct Reset: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "reset", abstract: "Stop the cluster and delete all its data.")
            @OptionGroup var options: GlobalOptions

            func run() async throws {
                try await reportingErrors {
                    let cluster = options.localCluster
                    let root = cluster.rootDirectory.path
                    try cluster.reset()
                    print("embedded PostgreSQL deleted (\(root))")
                }
            }
        }
    }
}
