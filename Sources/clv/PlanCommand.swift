import ArgumentParser
import Core
import Foundation
import Transforms

extension CLV {
    /// Shows what `clv run` would build and why.
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan", abstract: "List what `clv run` would build, and why.")
        @OptionGroup var options: GlobalOptions
        @OptionGroup var build: BuildOptions

        @Flag(help: "Print the plan as JSON.")
        var json = false

        @Flag(help: "Also print the exact SQL each step runs.")
        var sql = false

        struct Output: Encodable {
            struct Step: Encodable {
                var transform: String
                var file: String
                var materialized: String
                var mode: String
                var version: String
                var reasons: [Reason]
                var sql: [String]?
            }
            struct Reason: Encodable {
                var code: String
                var detail: String
            }
            var asOf: Date
            var loadWatermark: Int64
            var steps: [Step]
            var upToDate: [String]
        }

        func run() async throws {
            try await reportingErrors {
                let connection = try await options.connect()
                let runner = TransformRunner(project: options.warehouseProject, logger: options.logger)
                let (plan, snapshot) = try await runner.plan(connection, options: build.runnerOptions)
                var steps: [Output.Step] = []
                for step in plan.steps {
                    // Signed sources are expanded with the columns they have now.
                    let statements =
                        sql
                        ? BuildScript.make(
                            for: step, existingKind: snapshot.relations[step.transform.name],
                            sourceColumns: try await SignedSources.columns(of: step.transform, on: connection)
                        ).allStatements : nil
                    steps.append(
                        Output.Step(
                            transform: step.transform.name, file: step.transform.file,
                            materialized: step.transform.materialization.rawValue, mode: step.mode.description,
                            version: String(step.transform.version.prefix(12)),
                            reasons: step.reasons.map { Output.Reason(code: $0.code, detail: $0.description) },
                            sql: statements))
                }
                let output = Output(
                    asOf: plan.asOf, loadWatermark: plan.watermark, steps: steps, upToDate: plan.upToDate.map(\.name))
                if json { return try printJSON(output) }
                if output.steps.isEmpty { print("nothing to do: \(output.upToDate.count) transform(s) up to date") }
                for step in output.steps {
                    print(
                        "\(step.transform)  [\(step.materialized), \(step.mode)]  \(step.reasons.map(\.detail).joined(separator: "; "))"
                    )
                    for statement in step.sql ?? [] {
                        print(
                            statement.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
                                .joined(separator: "\n") + ";")
                    }
                }
                if !output.steps.isEmpty && !output.upToDate.isEmpty {
                    print("up to date: \(output.upToDate.joined(separator: ", "))")
                }
            }
        }
    }
}
