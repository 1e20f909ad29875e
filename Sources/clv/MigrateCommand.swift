import ArgumentParser
import Core
import Pipeline
import Scheduler
import Transforms

extension CLV {
    /// Applies pending `sql/schema` migrations.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract:
                "Create clv's own tables where missing, then apply pending sql/schema migrations in order, each in a transaction."
        )
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await reportingErrors {
                let connection = try await options.connect()
                let applied = try await Pipeline(project: options.warehouseProject, logger: options.logger)
                    .migrate(on: connection, including: [.scheduler])
                if applied.isEmpty { print("migrations: up to date") }
                for entry in applied {
                    print("applied \(entry.migration.file) (\(entry.milliseconds) ms)")
                }
            }
        }
    }
}
