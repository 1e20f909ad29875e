import Core
import Foundation
import Ingest
import Logging
import Pipeline
import PostgresClient
import TestSupport
import Transforms

/// A fresh database with the repository's raw schema, and a folder for input files.
struct IngestFixture {
    let folder: TemporaryDirectory
    let database: TestDatabase
    let connection: PostgresConnection

    static func make() async throws -> IngestFixture {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        try await Pipeline(project: Project(root: repository), logger: Logger(label: "test")).migrate(on: connection)
        return IngestFixture(
            folder: try TemporaryDirectory.make(prefix: "clv-ingest"), database: database, connection: connection)
    }

    @discardableResult
    func load(_ kind: IngestKind, _ name: String, _ text: String, skipBadRows: Bool = false) async throws -> LoadSummary
    {
        let url = try folder.write(name, text)
        var options = FileLoader.Options(kind: kind)
        options.skipBadRows = skipBadRows
        return try await FileLoader(logger: Logger(label: "test")).load(url, options: options, on: connection)
    }

    func rows(_ sql: String) async throws -> [[String?]] {
        try await connection.query(SQL(unsafeSQL: sql)).map(\.values)
    }

    func tearDown() async throws {
        try await database.drop()
        folder.remove()
    }
}
