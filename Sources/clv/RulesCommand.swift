import ArgumentParser
import Core
import Foundation
import Pipeline
import PostgresClient
import Rules
import Transforms

extension CLV {
    /// `clv rules apply|list|evaluate|explain`.
    struct RulesGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Customer Value payout rules: load them from rules/, evaluate them, explain them.",
            subcommands: [Apply.self, List.self, History.self, Evaluate.self, Explain.self])

        struct Apply: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "apply",
                abstract:
                    "Check and save data points and rules (all of rules/ by default); nothing is saved on any error.")
            @OptionGroup var options: GlobalOptions
            @Argument(help: "Rule files (default: rules/*.yaml).") var files: [String] = []
            @Flag(
                help:
                    "Delete rules no longer defined even when they have paid outcomes, writing a reversal for each.")
            var reverse = false

            func run() async throws {
                try await reportingErrors {
                    let connection = try await options.connect()
                    let loader = RuleFileLoader(project: options.warehouseProject)
                    let urls = files.isEmpty ? loader.defaultFiles() : files.map(options.projectPath)
                    let definitions = try loader.load(urls, known: try await RuleStore().dataPoints(on: connection))
                    try await RuleStore().apply(definitions, reverse: reverse, on: connection)
                    print(
                        "applied \(definitions.rules.count) rule(s) and \(definitions.dataPoints.count) data point(s) from \(definitions.files.joined(separator: ", "))"
                    )
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list", abstract: "Saved rules with what they have paid.")
            @OptionGroup var options: GlobalOptions
            @Flag var json = false

            func run() async throws {
                try await reportingErrors {
                    let rows = try await SavedRules().current(on: try await options.connect())
                    try printRows(rows, json: json)
                }
            }
        }

        struct History: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "history",
                abstract:
                    "A rule's versions: each one's checksum, when it was applied and superseded, and what it paid (outcomes paid under a version stay when the next is applied)."
            )
            @OptionGroup var options: GlobalOptions
            @Argument(help: "The rule's name.") var name: String
            @Flag var json = false

            func run() async throws {
                try await reportingErrors {
                    let rows = try await SavedRules().versions(of: name, on: try await options.connect())
                    try printRows(rows, json: json)
                }
            }
        }

        struct Evaluate: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "evaluate",
                abstract:
                    "Evaluate the active rules (incrementally: customers with new or corrected conversions); when revenue outcomes change, the transforms follow."
            )
            @OptionGroup var options: GlobalOptions
            @Flag(help: "Evaluate every customer.") var full = false
            @Flag var json = false

            func run() async throws {
                try await reportingErrors {
                    let report = try await Pipeline(project: options.warehouseProject, logger: options.logger)
                        .evaluateRules(on: try await options.connect(), full: full, command: "rules evaluate")
                    if json { return try printJSON(report) }
                    print(Self.describe(report.evaluation))
                    if let run = report.transforms {
                        print(
                            "revenue outcomes changed: run \(run.runID) built \(run.built.map(\.transform).joined(separator: ", "))"
                        )
                    }
                }
            }

            static func describe(_ report: RuleEvaluator.Report) -> String {
                String(
                    format:
                        "rules: %d active, %@ evaluation of %d customer(s): %d new match(es), %d reversal(s) in %.2f s",
                    report.rules, report.full ? "full" : "incremental", report.customers, report.matched,
                    report.reversed, report.seconds)
            }
        }

        struct Explain: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "explain",
                abstract: "Which of a rule's conditions hold for a customer, with the current values.")
            @OptionGroup var options: GlobalOptions
            @Argument var name: String
            @Option(help: "The customer id.") var user: String
            @Flag var json = false

            func run() async throws {
                try await reportingErrors {
                    let result = try await RuleInspector().explain(
                        rule: name, customer: user, on: try await options.connect())
                    if json {
                        struct Output: Encodable {
                            var status: String
                            var standings: [RuleInspector.Standing]
                            var paid: [String]
                        }
                        return try printJSON(
                            Output(status: result.status, standings: result.standings, paid: result.paid))
                    }
                    print(
                        "\(name) (\(result.status)) for \(user): paid \(result.paid.isEmpty ? "nothing yet" : result.paid.joined(separator: "; "))"
                    )
                    if result.standings.isEmpty { print("  no conversions in the rule's scope and timeframe") }
                    for standing in result.standings {
                        let group = [
                            standing.scopeKey.isEmpty ? nil : "scope \(standing.scopeKey)",
                            standing.cycleStart.map { "cycle from \($0)" },
                        ].compactMap { $0 }.joined(separator: ", ")
                        print(
                            "  \(standing.holds ? "✓" : "✗") \(standing.condition) — \(standing.current)\(group.isEmpty ? "" : " (\(group))")"
                        )
                    }
                }
            }
        }
    }

    /// `clv report conversion-events --user ID`.
    struct ReportGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "Reports for affiliate managers.", subcommands: [ConversionEvents.self])

        struct ConversionEvents: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "conversion-events",
                abstract: "A customer's conversions in time order: data points, accumulated state, rules that fired.")
            @OptionGroup var options: GlobalOptions
            @Option(help: "The customer id.") var user: String
            @Flag var json = false

            func run() async throws {
                try await reportingErrors {
                    let events = try await RuleInspector().conversionEvents(
                        customer: user, on: try await options.connect())
                    if json { return try printJSON(events) }
                    if events.isEmpty { print("no conversions for \(user)") }
                    for event in events {
                        let points = event.dataPoints.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                        print(
                            "\(event.occurredAt)  \(event.conversionID)  \(event.event)  revenue \(event.revenue)\(points.isEmpty ? "" : "  carries " + points.joined(separator: ", "))"
                        )
                        let state = event.accumulated.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
                        print("    accumulated: \(state.joined(separator: "; "))")
                        for outcome in event.outcomes { print("    fired: \(outcome)") }
                    }
                }
            }
        }
    }
}
