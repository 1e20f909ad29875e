import Foundation
import PostgresClient
import TestSupport
import Testing

@Suite(.serialized) struct InterruptedIngestTests {
    @Test func killedIngestLeavesNoRows() async throws {
        let database = try await TestDatabase.make()
        let folder = try TemporaryDirectory.make(prefix: "clv-kill")
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let common = ["--project", repository.path, "--database-url", database.url]
        #expect(try await CLVBinary.runOnThread(["migrate"] + common).status == 0)
        var csv = "conversion_id,user_id,occurred_at,revenue\n"
        for index in 0..<400_000 { csv += "k\(index),u\(index % 1000),2025-01-01T00:00:00Z,1\n" }
        let file = try folder.write("big.csv", csv)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLVBinary.path)
        process.arguments = ["ingest", "conversions", file.path] + common
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it once its COPY is streaming into raw.conversions.
        let watcher = try await database.connect()
        var copying = false
        for _ in 0..<200 where !copying {
            let active = try await watcher.query(
                "select 1 from pg_stat_activity where datname = current_database() and query like 'copy raw.conversions%' and state = 'active'"
            )
            copying = !active.isEmpty
            if !copying { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(copying, "the ingest never reached its COPY")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        // The server aborts the dead session's transaction: nothing of the file is visible.
        var rows = "?"
        for _ in 0..<100 {
            let sessions = try await watcher.query(
                "select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()"
            )
            if sessions[0]["n"] == "0" { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        rows = try await watcher.query("select count(*) as n from raw.conversions")[0]["n"] ?? "?"
        #expect(rows == "0")
        #expect(try await watcher.query("select count(*) as n from clv_meta.loads")[0]["n"] == "0")
        folder.remove()
        try await database.drop()
    }
}
