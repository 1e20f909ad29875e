import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import Audiences

/// What `clv audiences history` shows: the latest exports first, with their counts and status.
@Suite struct ExportHistoryTests {
    @Test func theLatestExportsFirstWithTheirCountsAndBatches() async throws {
        let fixture = try await AudienceFixture.make(destinations: FileExportTests.destinations)
        #expect(try await AudienceExportHistory.recent(limit: 5, on: fixture.connection).isEmpty)
        // alice and erin are sendable (c3 and c8 invalid, bob, carol and dave suppressed): one batch
        // to drop, two to ndjson (one row per file).
        _ = try await fixture.export("drop")
        _ = try await fixture.export("ndjson")
        let columns = [
            "export_id", "audience", "destination", "mode", "status", "added", "changed", "removed", "unchanged",
            "invalid_emails", "suppressed", "skipped_at_send", "batches", "error",
        ]
        let rows = try await AudienceExportHistory.recent(limit: 5, on: fixture.connection)
        #expect(
            rows.map { row in columns.map { row[$0] } } == [
                ["2", "vip", "ndjson", "diff", "success", "2", "0", "0", "0", "2", "3", "0", "2/2", ""],
                ["1", "vip", "drop", "diff", "success", "2", "0", "0", "0", "2", "3", "0", "1/1", ""],
            ])
        #expect(
            try await AudienceExportHistory.recent(limit: 1, on: fixture.connection).map { $0["export_id"] } == ["2"])
        try await fixture.tearDown()
    }
}
