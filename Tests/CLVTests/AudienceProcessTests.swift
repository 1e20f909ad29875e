import Foundation
import PostgresClient
import TestSupport
import Testing

/// An audience export as a real process, killed with -9 after the destination accepted a batch
/// but before it could record the confirmation: the next run resends that batch with the same
/// idempotency key, so the destination keeps every member exactly once.
@Suite struct AudienceProcessTests {
    @Test func killedExportResumesWithoutLosingOrDuplicating() async throws {
        let sink = HTTPSinkServer(.acceptThenStall(seconds: 120))
        try await sink.start()
        let database = try await TestDatabase.make()
        let project = try TemporaryDirectory.make(prefix: "clv-kill-export")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        try FileManager.default.copyItem(
            at: repository.appendingPathComponent("sql"), to: project.url.appendingPathComponent("sql"))
        try project.write(
            "sql/audiences/everyone.sql",
            "-- name: everyone\n-- identity: email\nselect customer_id, email from raw.customers\n")
        try project.write(
            "audiences.yaml",
            """
            destinations:
              - {name: api, type: http, url: "http://127.0.0.1:\(sink.port)/members", batch_size: 1, timeout: 300s}
            """)
        let common = ["--project", project.url.path, "--database-url", database.url]
        #expect(try await CLVBinary.runOnThread(["migrate"] + common).status == 0)
        try await database.connect().executeScript(
            """
            insert into raw.customers (customer_id, email, email_opt_in) values
                ('c1', 'a@example.com', true), ('c2', 'b@example.com', true), ('c3', 'c@example.com', true);
            """)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLVBinary.path)
        process.arguments = ["audiences", "export", "everyone", "--destination", "api"] + common
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A batch is accepted and its answer stalls (others may be travelling too, up to
        // max_in_flight): kill the exporter while it waits.
        let deadline = Date().addingTimeInterval(60)
        while sink.accepted.isEmpty && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let acceptedBeforeKill = Set(sink.accepted.keys)
        #expect(!acceptedBeforeKill.isEmpty)

        sink.set(.healthy)
        let resumed = try await CLVBinary.runOnThread(
            ["audiences", "export", "everyone", "--destination", "api"] + common)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resumed unfinished export(s) first: 1"))
        // Each batch accepted before the kill was sent again with its key; the destination stored it once.
        for key in acceptedBeforeKill { #expect(sink.attempts(key) == 2, "\(key)") }
        #expect(sink.accepted.count == 3)
        #expect(try sink.members().map(\.1).sorted() == ["a@example.com", "b@example.com", "c@example.com"])
        let members = try await database.connect().query(
            "select count(*)::text from clv_meta.audience_members where destination = 'api'")
        #expect(members[0][0] == "3")
        await sink.stop()
        project.remove()
        try await database.drop()
    }
}
