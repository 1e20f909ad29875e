import Foundation
import Logging
import Pipeline
import TestSupport
import Testing

@testable import Core
@testable import Transforms

/// CI's guard against drift: the repository's own transforms, built on a fresh database, generate
/// exactly the checked-in `docs/contract.md`.
@Suite struct CheckedInContractTests {
    static let repository = Project(
        root: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent())

    @Test func docsContractIsWhatClvDocsGenerates() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let logger = Logger(label: "test")
        try await Pipeline(project: Self.repository, logger: logger).migrate(on: connection)
        _ = try await TransformRunner(project: Self.repository, logger: logger).run(
            connection, options: TransformRunner.Options())

        let outcome = try await ContractGenerator(project: Self.repository).generate(on: connection)
        #expect(outcome.current != nil)
        if let difference = ContractDocument.firstDifference(found: outcome.current ?? "", expected: outcome.generated)
        {
            Issue.record(
                """
                docs/contract.md:\(difference.line) is not what clv docs generates (swift run clv docs writes it):
                  found:    \(difference.found ?? "(end of file)")
                  expected: \(difference.expected ?? "(end of file)")
                """)
        }
        try await database.drop()
    }
}
