import ArgumentParser
import Foundation
import Ingest

extension IngestKind: ExpressibleByArgument {}
extension FileLoader.Format: ExpressibleByArgument {}

extension CLV {
    /// Loads files of tracking facts into the raw tables.
    struct Ingest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest",
            abstract: "Load CSV or NDJSON files into the raw tables (idempotent, all-or-nothing per file).",
            discussion: "KIND is one of: \(IngestKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        @OptionGroup var options: GlobalOptions

        @Argument(help: "What the files hold.")
        var kind: IngestKind

        @Argument(help: "The files to load.")
        var files: [String]

        @Option(help: "csv or ndjson (default: from the file extension).")
        var format: FileLoader.Format?

        @Option(help: "Where the files came from (recorded with each load).")
        var source: String?

        @Flag(help: "Load the good rows and write the bad ones to FILE.rejects.csv.")
        var skipBadRows = false

        @Flag(help: "Print the summaries as JSON.")
        var json = false

        func run() async throws {
            try await reportingErrors {
                let connection = try await options.connect()
                var loaderOptions = FileLoader.Options(kind: kind)
                loaderOptions.format = format
                loaderOptions.source = source
                loaderOptions.skipBadRows = skipBadRows
                let loader = FileLoader(logger: options.logger)
                var summaries: [LoadSummary] = []
                for file in files {
                    let url = URL(fileURLWithPath: file)  // relative to the current folder, as shells expect
                    let summary = try await loader.load(url, options: loaderOptions, on: connection)
                    summaries.append(summary)
                    if !json { print(Self.describe(summary, as: file)) }
                    for warning in summary.warnings {
                        FileHandle.standardError.write(Data("warning: \(file): \(warning)\n".utf8))
                    }
                }
                if json { try printJSON(summaries) }
            }
        }

        static func describe(_ summary: LoadSummary, as file: String) -> String {
            if let previous = summary.alreadyLoadedAs {
                return "\(file): already loaded (load \(previous), same checksum); nothing to do"
            }
            var text =
                "\(file): \(summary.rowsRead) read, \(summary.inserted) inserted, \(summary.updated) updated, "
                + "\(summary.duplicates) duplicates, \(summary.rejected) rejected in \(String(format: "%.2f", summary.seconds)) s "
                + "(\(Int(summary.rowsPerSecond)) rows/s), load \(summary.loadID ?? 0)"
            if let rejects = summary.rejectsFile { text += "\n  rejected rows with reasons: \(rejects)" }
            if summary.supersededByPostback > 0 {
                text +=
                    "\n  \(summary.supersededByPostback) row(s) are for clicks whose postback already delivered revenue: kept, not counted twice"
            }
            return text
        }
    }
}
