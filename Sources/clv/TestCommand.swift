import ArgumentParser
import Core
import Transforms

extension CLV {
    /// Runs the data tests in `sql/tests`.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run the data tests in sql/tests: each query must return no rows.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await reportingErrors {
                let outcomes = try await DataTestRunner.checkAll(
                    options.warehouseProject, on: try await options.connect())
                for (test, failure) in outcomes {
                    print(failure.map { "FAIL \($0.withTable)" } ?? "pass \(test.name)")
                }
                let failed = outcomes.filter { $0.failure != nil }.count
                print("\(outcomes.count - failed) passed, \(failed) failed")
                if failed > 0 { throw ExitCode.failure }
            }
        }
    }
}
