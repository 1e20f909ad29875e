import ArgumentParser
import Foundation
import Synthetic

extension CLV {
    /// Fills the raw tables with a reproducible synthetic data set.
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write a realistic, reproducible synthetic data set into every raw table (through COPY).")
        @OptionGroup var options: GlobalOptions

        @Option(help: "How many customers.")
        var customers: Int

        @Option(help: "Random seed: the same seed gives the same data.")
        var seed: UInt64 = 1

        @Option(help: "Days of activity, from 2025-01-01.")
        var days = 365

        func validate() throws {
            guard customers > 0 else { throw ValidationError("--customers must be positive") }
            guard days > 0 else { throw ValidationError("--days must be positive") }
        }

        func run() async throws {
            try await reportingErrors {
                let connection = try await options.connect()
                var generatorOptions = SyntheticGenerator.Options(customers: customers)
                generatorOptions.seed = seed
                generatorOptions.days = days
                let total = customers
                let terminal = isatty(STDERR_FILENO) == 1
                let summary = try await SyntheticGenerator(logger: options.logger).generate(
                    generatorOptions, on: connection
                ) {
                    done, conversions in
                    guard terminal else { return }
                    let width = 30
                    let filled = width * done / max(total, 1)
                    let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                    FileHandle.standardError.write(
                        Data(
                            "\r  [\(bar)] \(100 * done / max(total, 1))% \(done)/\(total) customers, \(conversions) conversions"
                                .utf8))
                }
                if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
                if summary.alreadyGenerated {
                    print("already generated (same customers, seed and days); nothing to do")
                } else {
                    print(
                        "generated \(summary.customers) customers and \(summary.conversions) conversions in \(String(format: "%.1f", summary.seconds)) s (seed \(seed))"
                    )
                }
            }
        }
    }
}
