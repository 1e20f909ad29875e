import ArgumentParser
import Warehouse

extension CLV {
    /// Runs the data tests in `sql/tests`.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the data tests in sql/tests: each query must return no rows.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await reportingErrors {
                let project = options.warehouseProject
                let catalog = try TransformCatalog.load(project)
                let tests = try DataTest.loadAll(project, catalog: catalog)
                let connection = try await options.connect()
                var failed = 0
                for test in tests {
                    if let failure = try await DataTestRunner.check(test, on: connection) {
                        failed += 1
                        print("FAIL \(failure)")
                    } else {
                        print("pass \(test.name)")
                    }
                }
                print("\(tests.count - failed) passed, \(failed) failed")
                if failed > 0 { throw ExitCode.failure }
            }
        }
    }
}
