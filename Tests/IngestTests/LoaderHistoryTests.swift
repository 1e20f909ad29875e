import Foundation
import Ingest
import PostgresClient
import TestSupport
import Testing

/// The loader records the versions its merges replace in `raw_history` itself, once, with its load
/// id; it needs no trigger (distributed tables allow none), and the triggers, where present, do
/// not record the loader's changes a second time.
@Suite struct LoaderHistoryTests {
    static let first = """
        conversion_id,user_id,occurred_at,revenue
        h1,cust_1,2025-01-03T10:00:00Z,10
        h2,cust_2,2025-01-04T10:00:00Z,20

        """

    func history(_ fixture: IngestFixture) async throws -> [[String?]] {
        try await fixture.rows(
            "select conversion_id, revenue::text, _load_id::text, _replaced_by::text from raw_history.conversions order by _replaced_by, 1"
        )
    }

    @Test func aCorrectionKeepsTheVersionItReplacedOnceWithItsLoadID() async throws {
        let fixture = try await IngestFixture.make()
        let loaded = try await fixture.load(.conversions, "first.csv", Self.first)
        let corrected = try await fixture.load(
            .conversions, "corrected.csv",
            """
            conversion_id,user_id,occurred_at,revenue
            h1,cust_1,2025-01-03T10:00:00Z,15
            h2,cust_2,2025-01-04T10:00:00Z,20
            h3,cust_3,2025-01-05T10:00:00Z,5
            """)
        #expect(corrected.updated == 1)
        let (first, second) = (loaded.loadID.map(String.init), corrected.loadID.map(String.init))
        // h1 as it was (10, from the first load), replaced by the second; h2 was unchanged.
        #expect(try await history(fixture) == [["h1", "10", first, second]])
        try await fixture.tearDown()
    }

    @Test func withoutTriggersTheLoaderAloneKeepsTheHistory() async throws {
        let fixture = try await IngestFixture.make()
        // As on a distributed table: no trigger at all.
        try await fixture.connection.executeScript(
            """
            drop trigger keep_updated_rows on raw.conversions;
            drop trigger keep_deleted_rows on raw.conversions;
            drop trigger stamp_updated_rows on raw.conversions;
            """)
        let loaded = try await fixture.load(.conversions, "first.csv", Self.first)
        let corrected = try await fixture.load(
            .conversions, "corrected.csv",
            """
            conversion_id,user_id,occurred_at,revenue
            h2,cust_9,2025-01-04T10:00:00Z,20
            """)
        #expect(
            try await history(fixture) == [
                ["h2", "20", loaded.loadID.map(String.init), corrected.loadID.map(String.init)]
            ])
        #expect(
            try await fixture.rows("select customer_id from raw.conversions where conversion_id = 'h2'") == [["cust_9"]]
        )
        try await fixture.tearDown()
    }

    @Test func aCorrectionByHandIsStillKeptByTheTrigger() async throws {
        let fixture = try await IngestFixture.make()
        try await fixture.load(.conversions, "first.csv", Self.first)
        try await fixture.connection.execute("update raw.conversions set revenue = 11 where conversion_id = 'h1'")
        let kept = try await history(fixture)
        #expect(kept.count == 1)
        #expect(kept.first?.prefix(2) == ["h1", "10"])
        try await fixture.tearDown()
    }
}
