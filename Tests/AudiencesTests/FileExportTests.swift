import Core
import Foundation
import PostgresClient
import TestSupport
import Testing

@testable import Audiences

@Suite struct FileExportTests {
    static let destinations = """
        destinations:
          - {name: drop, type: file, format: csv, path: out/csv, max_removal_share: 0.5}
          - {name: chimp, type: file, format: mailchimp, path: out/chimp}
          - {name: hashed, type: file, format: csv, path: out/hashed, hash_identity: true}
          - {name: ndjson, type: file, format: ndjson, path: out/ndjson, max_rows_per_file: 1}
        """

    @Test func identityConsentAndCounts() async throws {
        let fixture = try await AudienceFixture.make(destinations: Self.destinations)
        let catalog = try AudienceCatalog.load(Project(root: fixture.project.url))
        let counts = try await AudienceCounter(catalog: catalog).count(
            try catalog.audience("vip"), on: fixture.connection)
        // c1–c8 are European; c3 and c8 invalid; c2 merges into c1; bob, carol, dave suppressed.
        #expect(counts.rows == 8)
        #expect(counts.invalidEmails == 2)
        #expect(counts.duplicates == 1)
        #expect(counts.suppressed == 3)
        #expect(counts.sendable == 2)
        // An audience built on another: only erin is in EU2 and mailable.
        let eu2 = try await AudienceCounter(catalog: catalog).count(
            try catalog.audience("vip_eu2"), on: fixture.connection)
        #expect(eu2.sendable == 1)
        try await fixture.tearDown()
    }

    @Test func diffSyncAddsChangesAndRemovesWithoutUnsubscribing() async throws {
        let fixture = try await AudienceFixture.make(destinations: Self.destinations)
        let first = try await fixture.export("drop")
        #expect((first.added, first.changed, first.removed) == (2, 0, 0))
        #expect(
            try fixture.file("out/csv/vip-000001-changes-0001.csv")
                == "action,email,customer_id,first_name,tier\nadd,alice@example.com,c1,Alice,EU1\nadd,erin@example.com,c7,Erin,EU2\n"
        )
        let manifest =
            try JSONSerialization.jsonObject(with: Data(try fixture.file("out/csv/vip-000001.manifest.json").utf8))
            as? [String: Any]
        #expect(manifest?["counts"] as? [String: Int] == ["added": 2, "changed": 0, "removed": 0])
        #expect((manifest?["files"] as? [[String: Any]])?.first?["rows"] as? Int == 2)

        // Next day: erin unsubscribes, alice moves to EU2, frank joins EU1.
        try await fixture.connection.executeScript(
            """
            insert into raw.email_events (occurred_at, campaign_id, contact, type) values ('2025-02-01', 'k2', 'erin@example.com', 'unsubscribe');
            update raw.customers set geo = 'EU2' where customer_id = 'c1';
            update raw.customers set geo = 'EU1' where customer_id = 'c9';
            """)
        let second = try await fixture.export("drop")
        #expect((second.added, second.changed, second.removed, second.unchanged) == (1, 1, 1, 0))
        // Additions and changes first, removals in a batch of their own; a removal is "remove".
        #expect(
            try fixture.file("out/csv/vip-000002-changes-0001.csv")
                == "action,email,customer_id,first_name,tier\nupdate,alice@example.com,c1,Alice,EU2\nadd,frank@example.com,c9,Frank,EU1\n"
        )
        #expect(
            try fixture.file("out/csv/vip-000002-changes-0002.csv")
                == "action,email,customer_id,first_name,tier\nremove,erin@example.com,c7,Erin,EU2\n")
        #expect(try await fixture.members("drop").map { $0[0] } == ["alice@example.com", "frank@example.com"])

        // Nothing changed: nothing sent, the manifest says so.
        let third = try await fixture.export("drop")
        #expect((third.added, third.changed, third.removed, third.unchanged) == (0, 0, 0, 2))
        #expect(third.batches == 0)
        // --full sends everyone again.
        let full = try await fixture.export("drop", full: true)
        #expect((full.added, full.changed, full.unchanged) == (0, 2, 0))
        try await fixture.tearDown()
    }

    @Test func aDryRunSamplesTheChangesAndSavesNothing() async throws {
        let fixture = try await AudienceFixture.make(destinations: Self.destinations)
        var options = AudienceExporter.Options()
        options.dryRun = true
        let report = try await fixture.exporter.export("vip", to: "drop", options: options, on: fixture.connection)
        #expect((report.added, report.invalidEmails, report.duplicates, report.suppressed) == (2, 2, 1, 3))
        // Only changes: not the invalid, merged or suppressed rows the plan also classified.
        #expect(
            report.sample.map { Array($0.prefix(2)) } == [["add", "alice@example.com"], ["add", "erin@example.com"]])
        #expect(try await fixture.connection.query("select 1 from clv_meta.audience_exports").isEmpty)
        #expect(try await fixture.members("drop").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fixture.project.url.appendingPathComponent("out/csv").path))
        try await fixture.tearDown()
    }

    @Test func espLayoutsHashingAndSplitting() async throws {
        let fixture = try await AudienceFixture.make(destinations: Self.destinations)
        _ = try await fixture.export("chimp")
        #expect(
            try fixture.file("out/chimp/vip-000001-upserts-0001.csv")
                == "Email Address,First Name,Last Name,TIER\nalice@example.com,Alice,,EU1\nerin@example.com,Erin,,EU2\n"
        )
        try await fixture.connection.executeScript("update raw.customers set geo = 'US' where customer_id = 'c7'")
        _ = try await fixture.export("chimp", allowMassRemoval: true)
        // ESP imports have no action column: removals go to their own file, for archiving, never unsubscribing.
        #expect(
            try fixture.file("out/chimp/vip-000002-removals-0001.csv")
                == "Email Address,First Name,Last Name,TIER\nerin@example.com,Erin,,EU2\n")

        _ = try await fixture.export("hashed")
        // SHA-256 of "alice@example.com", computed outside clv.
        #expect(
            try fixture.file("out/hashed/vip-000003-changes-0001.csv")
                == "action,email_sha256,customer_id,first_name,tier\nadd,ff8d9819fc0e12bf0d24892e45987e249a28dce836a85cad60e28eaaa8c6d976,c1,Alice,EU1\n"
        )

        try await fixture.connection.executeScript("update raw.customers set geo = 'EU2' where customer_id = 'c7'")
        _ = try await fixture.export("ndjson")
        #expect(
            try fixture.files("out/ndjson") == [
                "vip-000004-changes-0001.ndjson", "vip-000004-changes-0002.ndjson", "vip-000004.manifest.json",
            ])
        #expect(
            try fixture.file("out/ndjson/vip-000004-changes-0002.ndjson")
                == "{\"action\":\"add\",\"email\":\"erin@example.com\",\"customer_id\":\"c7\",\"first_name\":\"Erin\",\"tier\":\"EU2\"}\n"
        )
        try await fixture.tearDown()
    }

    @Test func aChangeTurnedIntoARemovalAtSendGoesToTheRemovalsFile() async throws {
        let fixture = try await AudienceFixture.make(destinations: Self.destinations)
        // A first name with a quote and a comma, and an empty one: quoted, and empty, as RFC 4180 writes them.
        try await fixture.connection.executeScript(
            "update raw.customers set name = 'Al\"ice, Smith' where customer_id = 'c1'; update raw.customers set name = ' Jones' where customer_id = 'c7'"
        )
        _ = try await fixture.export("chimp")
        #expect(
            try fixture.file("out/chimp/vip-000001-upserts-0001.csv")
                == "Email Address,First Name,Last Name,TIER\nalice@example.com,\"Al\"\"ice,\",,EU1\nerin@example.com,,,EU2\n"
        )

        // Alice moves to EU2; the drop folder cannot be written, so export 2 is planned but not sent.
        try await fixture.connection.executeScript("update raw.customers set geo = 'EU2' where customer_id = 'c1'")
        let folder = fixture.project.url.appendingPathComponent("out/chimp")
        try FileManager.default.moveItem(at: folder, to: fixture.project.url.appendingPathComponent("out/kept"))
        try Data().write(to: folder)
        await #expect(throws: (any Error).self) { _ = try await fixture.export("chimp") }
        #expect(
            try await fixture.connection.query("select status from clv_meta.audience_exports where export_id = 2")[0][0]
                == "failed")

        // Before it is resumed, alice unsubscribes: her change becomes a removal, and a removal goes to
        // the removals file (ESP imports have no action column), never to the upserts.
        try FileManager.default.removeItem(at: folder)
        try await fixture.connection.executeScript(
            "insert into raw.email_events (occurred_at, campaign_id, contact, type) values ('2025-02-01', 'k2', 'alice@example.com', 'unsubscribe')"
        )
        let resumed = try await fixture.export("chimp")
        #expect(resumed.resumedExports == [2])
        #expect(resumed.batches == 0)
        #expect(
            try fixture.files("out/chimp") == [
                "vip-000002-removals-0001.csv", "vip-000002.manifest.json", "vip-000003.manifest.json",
            ])
        #expect(
            try fixture.file("out/chimp/vip-000002-removals-0001.csv")
                == "Email Address,First Name,Last Name,TIER\nalice@example.com,\"Al\"\"ice,\",,EU2\n")
        #expect(try await fixture.members("chimp").map { $0[0] } == ["erin@example.com"])
        try await fixture.tearDown()
    }

    @Test func blastRadiusGuardStopsBeforeSending() async throws {
        let fixture = try await AudienceFixture.make(destinations: Self.destinations)
        _ = try await fixture.export("drop")
        try await fixture.connection.executeScript("update raw.customers set geo = 'US'")
        await #expect(throws: AudienceExporter.MassRemoval.self) { _ = try await fixture.export("drop") }
        #expect(try fixture.files("out/csv").filter { $0.hasPrefix("vip-000002") }.isEmpty)
        #expect(try await fixture.members("drop").count == 2)
        #expect(
            try await fixture.connection.query("select status from clv_meta.audience_exports where export_id = 2")[0][0]
                == "stopped")
        let allowed = try await fixture.export("drop", allowMassRemoval: true)
        #expect(allowed.removed == 2)
        #expect(try await fixture.members("drop").isEmpty)
        try await fixture.tearDown()
    }

    @Test func destinationProblemsAreReportedByField() throws {
        let project = try TemporaryDirectory.make(prefix: "clv-destinations")
        try project.write(
            "audiences.yaml",
            """
            destinations:
              - {name: a, type: file, format: excel, path: x}
              - {name: b, type: http, url: ftp://x, backoff: soon}
              - {name: c, type: carrier-pigeon}
              - {name: d, type: file, format: csv, path: y, max_removal_share: 2, colour: red}
            """)
        let error = #expect(throws: ConfigErrors.self) {
            try DestinationLoader(project: Project(root: project.url)).loadAll()
        }
        #expect(
            Set(error?.errors.map(\.description) ?? []) == [
                "audiences.yaml: destinations[a].format: expected one of mailchimp, klaviyo, braze, eloqua, csv, ndjson",
                "audiences.yaml: destinations[b].url: missing or not an http(s) URL",
                "audiences.yaml: destinations[c].type: expected file or http",
                "audiences.yaml: destinations[d].max_removal_share: '2' is not a share between 0 and 1",
                "audiences.yaml: destinations[d].colour: unknown field",
            ])
        project.remove()
    }
}
