import ArgumentParser
import Core
import Dashboards
import Foundation

extension CLV {
    /// `clv dashboards list|check|publish`.
    struct DashboardsGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dashboards",
            abstract: "Check and publish the dashboards in dashboards/ as widget JSON and HTML pages.",
            subcommands: [List.self, Check.self, Publish.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list", abstract: "List the dashboards and their widgets.")
            @OptionGroup var options: GlobalOptions

            func run() async throws {
                try await reportingErrors {
                    for dashboard in try DashboardLoader(project: options.warehouseProject).loadAll() {
                        print("\(dashboard.name)  \(dashboard.title)  (\(dashboard.file))")
                        for widget in dashboard.widgets {
                            print("  \(widget.id)  \(widget.kind.rawValue)  \(widget.title)")
                        }
                    }
                }
            }
        }

        struct Check: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "check",
                abstract: "Run every widget with its defaults in a rolled-back read-only transaction; report errors.")
            @OptionGroup var options: GlobalOptions

            @Argument(help: "Dashboards to check (default: all).")
            var names: [String] = []

            func run() async throws {
                try await reportingErrors {
                    let dashboards = try DashboardLoader(project: options.warehouseProject).load(named: names)
                    let problems = await DashboardCheck.problems(dashboards, on: try await options.connect())
                    for problem in problems { print(problem) }
                    let widgets = dashboards.reduce(0) { $0 + $1.widgets.count }
                    print("\(widgets - problems.count) of \(widgets) widgets ran")
                    if !problems.isEmpty { throw ExitCode.failure }
                }
            }
        }

        struct Publish: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "publish",
                abstract: "Write widgets/ID.json and index.html for each dashboard (all by default).")
            @OptionGroup var options: GlobalOptions

            @Argument(help: "Dashboards to publish (default: all).")
            var names: [String] = []

            @Option(help: "Start of the range, inclusive (a date or an expression such as -30d, start_of_month).")
            var from: String?

            @Option(help: "End of the range, exclusive (a date or an expression such as today).")
            var to: String?

            @Option(name: .customLong("param"), help: "A parameter value, k=v (repeatable).")
            var params: [String] = []

            @Option(help: "Output folder (default: .clv/dashboards in the project).")
            var out: String?

            @Option(help: "Statement timeout per widget query, in seconds.")
            var timeout = 30

            /// The `--param` values by name, with `--from` and `--to` over them.
            var overrides: [String: String] {
                get throws {
                    var overrides: [String: String] = [:]
                    for param in params {
                        guard let equals = param.firstIndex(of: "="), equals != param.startIndex else {
                            throw ValidationError("--param \(param): expected k=v")
                        }
                        overrides[String(param[..<equals])] = String(param[param.index(after: equals)...])
                    }
                    if let from { overrides["from"] = from }
                    if let to { overrides["to"] = to }
                    return overrides
                }
            }

            func validate() throws {
                _ = try overrides
                for (option, value) in [("--from", from), ("--to", to)] {
                    guard let value else { continue }
                    // Any day will do as today: whether the text is a date expression does not depend on it.
                    let day: Day?
                    do {
                        day = try ParameterValue.date(value, today: Day(year: 2000, month: 1, day: 1))
                    } catch {
                        throw ValidationError("\(option): \(error)")
                    }
                    guard day != nil else {
                        throw ValidationError(
                            "\(option): '\(value)' is not a date or a date expression (today, yesterday, start_of_week|month|quarter|year, ±N d|w|m|y, YYYY-MM-DD)"
                        )
                    }
                }
                guard timeout > 0 else { throw ValidationError("--timeout must be a positive number of seconds") }
            }

            func run() async throws {
                try await reportingErrors {
                    let overrides = try overrides
                    let loader = DashboardLoader(project: options.warehouseProject)
                    let output =
                        out.map(options.projectPath)
                        ?? options.warehouseProject.publishedDashboardsDirectory
                    let publisher = DashboardPublisher(
                        runner: WidgetRunner(statementTimeoutMilliseconds: timeout * 1000), logger: options.logger)
                    let published = try await publisher.publish(
                        try loader.load(named: names), all: try loader.loadAll(), overrides: overrides, to: output,
                        on: try await options.connect())
                    var failed = 0
                    for dashboard in published {
                        print(
                            "\(dashboard.dashboard): \(dashboard.widgets - dashboard.failures.count)/\(dashboard.widgets) widgets → \(dashboard.folder.path)/index.html"
                        )
                        for failure in dashboard.failures { print("  failed: \(failure)") }
                        failed += dashboard.failures.count
                    }
                    if failed > 0 { throw ExitCode.failure }
                }
            }
        }
    }
}
