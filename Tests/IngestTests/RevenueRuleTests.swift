import Core
import Foundation
import Ingest
import Logging
import PostgresClient
import Testing
import Transforms

@Suite struct RevenueRuleTests {
    @Test func manualImportNeverDuplicatesPostbackRevenue() async throws {
        let fixture = try await IngestFixture.make()
        try await fixture.load(
            .conversions, "c.csv",
            """
            conversion_id,user_id,occurred_at,click_id,revenue
            cv1,u1,2025-01-01T00:00:00Z,k1,20
            cv2,u2,2025-01-01T00:00:00Z,k2,0
            """)
        try await fixture.load(
            .revenue, "r.csv", "click_id,amount,date\nk1,20,2025-01-02\nk2,7,2025-01-02\nk3,5,2025-01-02")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var options = TransformRunner.Options()
        options.select = ["+analytics_internal.revenue_events"]
        _ = try await TransformRunner(project: Project(root: repository), logger: Logger(label: "t")).run(
            fixture.connection, options: options)
        // k1's postback delivered 20: its import is not counted again. k2's postback had no revenue,
        // so its import (7) counts, for u2; k3 has no conversion at all: counted, customer unknown.
        #expect(
            try await fixture.rows(
                "select revenue_id, coalesce(customer_id, '-'), revenue::text, origin from analytics_internal.revenue_events order by 1"
            ) == [
                ["cv1", "u1", "20", "postback"],
                ["cv2", "u2", "0", "postback"],
                ["import:k2:2025-01-02", "u2", "7", "manual_import"],
                ["import:k3:2025-01-02", "-", "5", "manual_import"],
            ])
        try await fixture.tearDown()
    }
}
