import Core
import Foundation
import PostgresClient

/// `clv audiences count|preview`: membership as the exporter sees it, nothing saved.
public struct AudienceCounter: Sendable {
    public let catalog: AudienceCatalog

    public init(catalog: AudienceCatalog) {
        self.catalog = catalog
    }

    /// How an audience's rows turn into sendable members.
    public struct Counts: Sendable, Codable {
        public var rows: Int
        public var invalidEmails: Int
        public var duplicates: Int
        /// Without consent, unsubscribed or bounced.
        public var suppressed: Int
        /// Who an export would send to.
        public var sendable: Int
    }

    /// Counts as an export would, in a transaction that is rolled back.
    public func count(_ audience: Audience, on connection: PostgresConnection) async throws -> Counts {
        let planner = ExportPlanner(
            audience: audience,
            destination: Destination(
                name: "(count)",
                kind: .file(.init(format: .csv, folder: .init(fileURLWithPath: "/"), maxRowsPerFile: 1)),
                batchSize: 1, hashIdentity: false, maxRemovalShare: 1),
            sql: catalog.expandedSQL(audience))
        try await ModuleSchema.audiences.ensure(on: connection)
        let counts = try await connection.rollingBack { try await planner.diff(full: false, on: $0) }
        return Counts(
            rows: counts.rowsRead, invalidEmails: counts.invalidEmails, duplicates: counts.duplicates,
            suppressed: counts.suppressed, sendable: counts.added + counts.changed + counts.unchanged)
    }

    /// The first `limit` rows of the audience's query, as it returns them.
    public func preview(_ audience: Audience, limit: Int, on connection: PostgresConnection) async throws
        -> PostgresRows
    {
        do {
            return try await connection.query(
                SQL(unsafeSQL: "select * from (\n\(catalog.expandedSQL(audience))\n) as preview limit \(limit)"))
        } catch let error as PostgresError {
            throw WarehouseError(error.message, at: audience.file, sqlState: error.sqlState)
        }
    }
}
