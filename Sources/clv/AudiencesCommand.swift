import ArgumentParser
import Audiences
import Core
import Foundation
import PostgresClient

extension CLV {
    /// `clv audiences list|preview|count|export|history`.
    struct AudiencesGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audiences",
            abstract: "Audience segments in sql/audiences and their exports to the destinations in audiences.yaml.",
            subcommands: [List.self, Preview.self, Count.self, Export.self, History.self])

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "list", abstract: "List audiences and destinations.")
            @OptionGroup var options: GlobalOptions

            func run() async throws {
                try await reportingErrors {
                    let project = options.warehouseProject
                    for audience in try AudienceCatalog.load(project).audiences {
                        let reads =
                            audience.dependsOn.isEmpty ? "" : "  (reads \(audience.dependsOn.joined(separator: ", ")))"
                        print("\(audience.name)  \(audience.description)\(reads)")
                        print(
                            "  identity: \(audience.identity)  attributes: \(audience.attributes.joined(separator: ", "))"
                        )
                    }
                    let destinations = try DestinationLoader(project: project).loadAll()
                    print("destinations: \(destinations.map(\.name).joined(separator: ", "))")
                }
            }
        }

        struct Preview: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "preview", abstract: "Show the first rows of an audience's query.")
            @OptionGroup var options: GlobalOptions
            @Argument var name: String
            @Option var limit = 20

            func validate() throws {
                guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
            }

            func run() async throws {
                try await reportingErrors {
                    let catalog = try AudienceCatalog.load(options.warehouseProject)
                    let rows = try await AudienceCounter(catalog: catalog).preview(
                        try catalog.audience(name), limit: limit, on: try await options.connect())
                    print(TextTable.render(columns: rows.columns, rows: rows.map(\.values)))
                }
            }
        }

        struct Count: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "count",
                abstract: "Count an audience's rows, invalid emails, duplicates, suppressed and sendable members.")
            @OptionGroup var options: GlobalOptions
            @Argument var name: String
            @Flag var json = false

            func run() async throws {
                try await reportingErrors {
                    let catalog = try AudienceCatalog.load(options.warehouseProject)
                    let counts = try await AudienceCounter(catalog: catalog).count(
                        try catalog.audience(name), on: try await options.connect())
                    if json { return try printJSON(counts) }
                    print(
                        "\(name): \(counts.sendable) sendable (\(counts.rows) rows, \(counts.invalidEmails) invalid emails, \(counts.duplicates) duplicates merged, \(counts.suppressed) without consent or suppressed)"
                    )
                }
            }
        }

        struct Export: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "export",
                abstract: "Export an audience's changes since the destination's last acknowledged sync.")
            @OptionGroup var options: GlobalOptions
            @Argument var name: String
            @Option(help: "A destination from audiences.yaml.") var destination: String
            @Flag(help: "Print counts and a sample; send and save nothing.") var dryRun = false
            @Flag(help: "Send every member, not just the changes.") var full = false
            @Flag(help: "Let a sync remove more than the destination's max_removal_share of its members.")
            var allowMassRemoval = false
            @Flag var json = false

            func run() async throws {
                try await reportingErrors {
                    var settings = AudienceExporter.Options()
                    settings.dryRun = dryRun
                    settings.full = full
                    settings.allowMassRemoval = allowMassRemoval
                    let report = try await AudienceExporter(project: options.warehouseProject, logger: options.logger)
                        .export(name, to: destination, options: settings, on: try await options.connect())
                    if json { return try printJSON(report) }
                    print(Self.describe(report))
                    if dryRun && !report.sample.isEmpty {
                        print(TextTable.render(columns: ["action", "email", "attributes"], rows: report.sample))
                    }
                }
            }

            static func describe(_ report: AudienceExporter.Report) -> String {
                var text =
                    report.dryRun ? "dry run, nothing sent: " : "export \(report.exportID.map(String.init) ?? "-"): "
                text +=
                    "\(report.audience) → \(report.destination) (\(report.mode)): +\(report.added) added, ~\(report.changed) changed, -\(report.removed) removed, \(report.unchanged) unchanged"
                text +=
                    "; \(report.rowsRead) rows, \(report.invalidEmails) invalid emails, \(report.duplicates) duplicates merged, \(report.suppressed) suppressed"
                if !report.dryRun {
                    text += "; \(report.batches) batch(es), \(report.skippedAtSend) skipped at send"
                    text += String(format: "; %.2f s", report.seconds)
                }
                if !report.resumedExports.isEmpty {
                    text +=
                        "\n  resumed unfinished export(s) first: \(report.resumedExports.map(String.init).joined(separator: ", "))"
                }
                return text
            }
        }

        struct History: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "history", abstract: "Past exports with their counts and status.")
            @OptionGroup var options: GlobalOptions
            @Option var limit = 20
            @Flag var json = false

            func validate() throws {
                guard limit >= 0 else { throw ValidationError("--limit must not be negative") }
            }

            func run() async throws {
                try await reportingErrors {
                    let connection = try await options.connect()
                    let rows = try await AudienceExportHistory.recent(limit: limit, on: connection)
                    try printRows(rows, json: json)
                }
            }
        }
    }
}
