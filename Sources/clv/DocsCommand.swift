import ArgumentParser
import Core
import Foundation
import Transforms

extension CLV {
    /// Generates the analyst contract from the `analytics` transforms and the relations they built.
    struct Docs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "docs",
            abstract:
                "Generate the analyst contract (docs/contract.md) from the analytics transforms and their built columns.",
            discussion: """
                Writes, between the document's '\(ContractDocument.begin)' and '\(ContractDocument.end)' \
                lines, each analytics relation: its materialization, key and description, and its columns \
                with their types (from the database) and meanings (the file's '-- column NAME: meaning' \
                lines). Everything outside those lines is kept. Run `clv run` first.
                """)
        @OptionGroup var options: GlobalOptions

        @Flag(help: "Write nothing; exit 1 when the document is not what clv docs would write.")
        var check = false

        @Option(help: "The contract document, relative to the project folder.")
        var file = ContractGenerator.defaultPath

        func validate() throws {
            guard !file.hasPrefix("/"), !file.split(separator: "/").contains("..") else {
                throw ValidationError("--file must be a path inside the project folder, relative to it")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let generator = ContractGenerator(project: options.warehouseProject, path: file)
                let outcome = try await generator.generate(on: try await options.connect())
                if check { return try report(outcome) }
                if outcome.isUpToDate { return print("\(file) is up to date") }
                let url = options.projectPath(file)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try outcome.generated.write(to: url, atomically: true, encoding: .utf8)
                print("wrote \(file)")
            }
        }

        /// `--check`: says where the document first differs from what would be written, and fails.
        private func report(_ outcome: ContractGenerator.Outcome) throws {
            guard let current = outcome.current else {
                throw WarehouseError("does not exist: run clv docs to write it", at: file)
            }
            guard
                let difference = ContractDocument.firstDifference(found: current, expected: outcome.generated)
            else { return print("\(file) is up to date") }
            let section = difference.relation.map { " (in \($0))" } ?? ""
            throw WarehouseError(
                """
                differs from what clv docs generates\(section): run clv docs
                  found:    \(difference.found ?? "(end of file)")
                  expected: \(difference.expected ?? "(end of file)")
                """, at: "\(file):\(difference.line)")
        }
    }
}
