import ArgumentParser
import Core
import Transforms

extension CLV {
    /// Applies pending `sql/schema` migrations.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending sql/schema migrations in order, each in a transaction.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await reportingErrors {
                let connection = try await options.connect()
                let applied = try await Migrator(project: options.warehouseProject, logger: options.logger)
                    .migrate(connection)
                if applied.isEmpty { print("migrations: up to date") }
                for entry in applied {
                    print("applied \(entry.migration.file) (\(entry.milliseconds) ms)")
                }
            }
        }
    }
}
