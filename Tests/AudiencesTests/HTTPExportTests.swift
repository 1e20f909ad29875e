import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import Audiences

/// Exports to a real HTTP server on loopback: retries, back-pressure, idempotency, resuming.
@Suite struct HTTPExportTests {
    func destinations(_ port: Int, attempts: Int = 4, inFlight: Int = 4) -> String {
        """
        destinations:
          - name: api
            type: http
            url: http://127.0.0.1:\(port)/members
            batch_size: 1
            max_attempts: \(attempts)
            backoff: 10ms
            requests_per_second: 200
            max_in_flight: \(inFlight)
            max_removal_share: 1
        """
    }

    @Test func flakyDestinationGetsEveryBatchOnce() async throws {
        let sink = HTTPSinkServer(.flaky)
        try await sink.start()
        let fixture = try await AudienceFixture.make(destinations: destinations(sink.port))
        let report = try await fixture.export("api")
        #expect(report.added == 2)
        #expect(report.batches == 2)
        // Each batch: 503, 429, then 200 — three attempts, accepted once.
        #expect(sink.attempts == 6)
        #expect(sink.accepted.count == 2)
        #expect(try sink.members().map(\.1) == ["alice@example.com", "erin@example.com"])
        #expect(try await fixture.members("api").count == 2)

        // Erin unsubscribes: the next sync sends her as a removal, never as an unsubscribe.
        sink.set(.healthy)
        try await fixture.connection.executeScript(
            "insert into raw.email_events (occurred_at, campaign_id, contact, type) values ('2025-02-01', 'k2', 'erin@example.com', 'unsubscribe')"
        )
        _ = try await fixture.export("api")
        let last = try sink.members().last
        #expect(last?.0 == "remove")
        #expect(last?.1 == "erin@example.com")
        #expect(try sink.members().allSatisfy { $0.0 == "add" || $0.0 == "remove" })
        await sink.stop()
        try await fixture.tearDown()
    }

    @Test(arguments: [1, 2]) func batchesTravelTogetherUpToMaxInFlight(inFlight: Int) async throws {
        let sink = HTTPSinkServer(.slow(seconds: 0.3))
        try await sink.start()
        let fixture = try await AudienceFixture.make(destinations: destinations(sink.port, inFlight: inFlight))
        let report = try await fixture.export("api")
        #expect(report.batches == 2)
        #expect(sink.mostInFlight == inFlight)
        #expect(try sink.members().map(\.1) == ["alice@example.com", "erin@example.com"])
        #expect(try await fixture.members("api").count == 2)
        #expect(
            try await fixture.connection.query(
                "select delivered_batches::text from clv_meta.audience_exports where export_id = 1")[0][0] == "2")
        await sink.stop()
        try await fixture.tearDown()
    }

    @Test func exportResumesAfterTheDestinationWasDownWithoutDuplicates() async throws {
        let sink = HTTPSinkServer(.down)
        try await sink.start()
        let fixture = try await AudienceFixture.make(destinations: destinations(sink.port, attempts: 2))
        await #expect(throws: (any Error).self) { _ = try await fixture.export("api") }
        #expect(sink.accepted.isEmpty)
        #expect(try await fixture.members("api").isEmpty)
        #expect(
            try await fixture.connection.query("select status from clv_meta.audience_exports")[0][0] == "failed")

        // Meanwhile alice unsubscribes: consent is re-read when the saved change set is finally sent.
        try await fixture.connection.executeScript(
            "insert into raw.email_events (occurred_at, campaign_id, contact, type) values ('2025-02-01', 'k2', ' ALICE@example.com', 'unsubscribe')"
        )
        sink.set(.healthy)
        let report = try await fixture.export("api")
        #expect(report.resumedExports == [1])
        // Export 1 delivered erin only (alice skipped at send); export 2 found nothing new.
        #expect(try sink.members().map(\.1) == ["erin@example.com"])
        #expect(Set(sink.accepted.keys) == ["clv-vip-api-1-2"])
        #expect(try await fixture.members("api").map { $0[0] } == ["erin@example.com"])
        let history = try await fixture.connection.query(
            "select export_id, status, skipped_at_send, delivered_batches, batches from clv_meta.audience_exports order by 1"
        )
        #expect(history.map(\.values) == [["1", "success", "1", "2", "2"], ["2", "success", "0", "0", "0"]])

        // Run again: nothing is sent twice.
        let again = try await fixture.export("api")
        #expect(again.resumedExports.isEmpty)
        #expect(sink.accepted.count == 1)
        await sink.stop()
        try await fixture.tearDown()
    }

    @Test func aPendingChangeForSomeoneWhoOptedOutBecomesARemoval() async throws {
        let sink = HTTPSinkServer(.healthy)
        try await sink.start()
        let fixture = try await AudienceFixture.make(destinations: destinations(sink.port, attempts: 1))
        _ = try await fixture.export("api")
        #expect(try await fixture.members("api").map { $0[0] } == ["alice@example.com", "erin@example.com"])
        // Erin's tier changes while the destination is down: the update waits, saved.
        sink.set(.down)
        try await fixture.connection.executeScript("update raw.customers set geo = 'EU1' where customer_id = 'c7'")
        await #expect(throws: (any Error).self) { _ = try await fixture.export("api") }
        // Then she unsubscribes. When the saved update is finally sent, it goes as a removal.
        try await fixture.connection.executeScript(
            "insert into raw.email_events (occurred_at, campaign_id, contact, type) values ('2025-02-01', 'k2', 'erin@example.com', 'unsubscribe')"
        )
        sink.set(.healthy)
        let report = try await fixture.export("api")
        #expect(report.resumedExports == [2])
        #expect(try sink.members().last?.0 == "remove")
        #expect(try sink.members().last?.1 == "erin@example.com")
        #expect(try await fixture.members("api").map { $0[0] } == ["alice@example.com"])
        await sink.stop()
        try await fixture.tearDown()
    }
}
