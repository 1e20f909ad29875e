import Foundation
import Ingest
import Logging
import PostgresClient
import TestSupport
import Testing

/// Values PostgreSQL would refuse are refused before COPY with their file line; what slips through
/// anyway is still reported by line, and `--skip-bad-rows` still loads the good rows.
@Suite struct BadValueTests {
    static let february31 = """
        conversion_id,user_id,occurred_at,revenue,note
        cv1,u1,2026-02-28T10:00:00Z,5,"two
        lines"
        cv2,u1,2026-02-31T10:00:00Z,5,
        cv3,u1,2026-03-01T10:00:00Z,5,
        """

    @Test func anImpossibleDateNamesItsLineAndLoadsNothing() async throws {
        let fixture = try await IngestFixture.make()
        let error = await #expect(throws: BadInputError.self) {
            try await fixture.load(.conversions, "conv.csv", Self.february31)
        }
        #expect(error?.problems.map(\.0) == [4])
        #expect(
            error?.problems.first?.1
                == "occurred_at: '2026-02-31T10:00:00Z' is not a real date: February 2026 has 28 days")
        #expect(error?.description.contains("conv.csv:4: occurred_at: ") == true)
        #expect(try await fixture.rows("select count(*)::text from raw.conversions") == [["0"]])
        try await fixture.tearDown()
    }

    @Test func skipBadRowsLoadsTheOtherDates() async throws {
        let fixture = try await IngestFixture.make()
        let summary = try await fixture.load(.conversions, "conv.csv", Self.february31, skipBadRows: true)
        #expect(summary.inserted == 2)
        #expect(summary.rejected == 1)
        let rejects = try String(contentsOfFile: try #require(summary.rejectsFile), encoding: .utf8)
        #expect(rejects.contains("\n4,\"occurred_at: '2026-02-31T10:00:00Z' is not a real date"))
        #expect(try await fixture.rows("select conversion_id from raw.conversions order by 1") == [["cv1"], ["cv3"]])
        try await fixture.tearDown()
    }

    @Test func nulBytesAndOverlongValuesAreRefused() async throws {
        let fixture = try await IngestFixture.make()
        let csv = await #expect(throws: BadInputError.self) {
            try await fixture.load(
                .partners, "nul.csv",
                "partner_id,name\np1,A\u{0}B\np2,\(String(repeating: "x", count: (1 << 20) + 1))\n")
        }
        #expect(csv?.problems.map(\.0) == [2, 3])
        #expect(csv?.problems.first?.1 == "name: contains a NUL byte, which PostgreSQL text cannot hold")
        #expect(csv?.problems.last?.1 == "name: longer than 1 MiB (1048577 bytes)")
        let ndjson = await #expect(throws: BadInputError.self) {
            try await fixture.load(
                .conversions, "nul.ndjson",
                #"{"conversion_id": "c1", "occurred_at": "2025-01-01", "note": "a\u0000b", "big": 1e131072}"#)
        }
        #expect(
            ndjson?.problems.first?.1
                == "note: contains a NUL byte, which PostgreSQL text cannot hold; big: '1e131072' is out of range for numeric (at most 131072 digits before the point)"
        )
        try await fixture.tearDown()
    }

    static let overCap = """
        conversion_id,occurred_at,revenue,note
        cv1,2025-01-01T00:00:00Z,5,"multi
        line"
        cv2,2025-01-02T00:00:00Z,5000,
        cv3,not a date,5,
        cv4,2025-01-03T00:00:00Z,7000,
        cv5,2025-01-04T00:00:00Z,6,
        """

    /// A CHECK constraint clv does not know about refuses rows during COPY.
    func capRevenue(_ fixture: IngestFixture) async throws {
        try await fixture.connection.executeScript(
            "alter table raw.conversions add constraint revenue_cap check (revenue < 1000)")
    }

    @Test func aRowPostgresRefusesAtCopyNamesItsFileLine() async throws {
        let fixture = try await IngestFixture.make()
        try await capRevenue(fixture)
        let error = await #expect(throws: BadInputError.self) {
            try await fixture.load(
                .conversions, "cap.csv", Self.overCap.replacingOccurrences(of: "not a date", with: "2025-01-01"))
        }
        #expect(error?.problems.map(\.0) == [4])
        #expect(
            error?.problems.first?.1
                == "new row for relation \"conversions\" violates check constraint \"revenue_cap\" (from PostgreSQL)")
        #expect(try await fixture.rows("select count(*)::text from raw.conversions") == [["0"]])
        try await fixture.tearDown()
    }

    @Test func skipBadRowsLeavesOutRowsPostgresRefusesAtCopy() async throws {
        let fixture = try await IngestFixture.make()
        try await capRevenue(fixture)
        let summary = try await fixture.load(.conversions, "cap.csv", Self.overCap, skipBadRows: true)
        #expect(summary.inserted == 2)
        #expect(summary.rejected == 3)
        let rejects = try String(contentsOfFile: try #require(summary.rejectsFile), encoding: .utf8)
        #expect(rejects.split(separator: "\n").dropFirst().map { $0.prefix(2) } == ["4,", "5,", "6,"])
        #expect(try await fixture.rows("select conversion_id from raw.conversions order by 1") == [["cv1"], ["cv5"]])

        // The merge path (keys already present) stages rows under the same constraints.
        let again = try await fixture.load(
            .conversions, "cap-again.csv",
            "conversion_id,occurred_at,revenue\ncv1,2025-01-01T00:00:00Z,6\ncv9,2025-01-05T00:00:00Z,9000\n",
            skipBadRows: true)
        #expect(again.updated == 1)
        #expect(again.rejected == 1)
        let error = await #expect(throws: BadInputError.self) {
            try await fixture.load(
                .conversions, "cap-merge.csv",
                "conversion_id,occurred_at,revenue\ncv1,2025-01-01T00:00:00Z,7\ncv9,2025-01-05T00:00:00Z,9000\n")
        }
        #expect(error?.problems.map(\.0) == [3])
        try await fixture.tearDown()
    }
}
