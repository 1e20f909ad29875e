import Foundation
import Ingest
import TestSupport
import Testing

/// Whole-file shapes: byte order marks, CRLF line endings, headers naming a column twice, empty files.
@Suite struct FileShapeTests {
    @Test func aByteOrderMarkAndCRLFLineEndingsLoad() async throws {
        let fixture = try await IngestFixture.make()
        let csv = try await fixture.load(
            .conversions, "bom.csv",
            "\u{FEFF}conversion_id,occurred_at,revenue\r\ncv1,2025-01-01T00:00:00Z,1\r\ncv2,1735689600,2\r\n")
        #expect(csv.inserted == 2)
        let ndjson = try await fixture.load(
            .partners, "bom.ndjson", "\u{FEFF}{\"partner_id\": \"p1\"}\r\n{\"partner_id\": \"p2\", \"name\": \"B\"}\r\n"
        )
        #expect(ndjson.inserted == 2)
        #expect(
            try await fixture.rows(
                "select conversion_id, occurred_at::text, revenue::text from raw.conversions order by 1")
                == [["cv1", "2025-01-01 00:00:00+00", "1"], ["cv2", "2025-01-01 00:00:00+00", "2"]])
        #expect(
            try await fixture.rows("select partner_id, coalesce(name, '-') from raw.partners order by 1") == [
                ["p1", "-"], ["p2", "B"],
            ])
        try await fixture.tearDown()
    }

    @Test func aColumnNamedTwiceIsRefused() async throws {
        let fixture = try await IngestFixture.make()
        let error = await #expect(throws: IngestFileError.self) {
            try await fixture.load(
                .conversions, "twice.csv", "conversion_id,occurred_at,geo,revenue,geo\ncv1,2025-01-01,EU,1,US\n")
        }
        #expect(
            error?.description
                == "\(fixture.folder.url.path)/twice.csv:1: columns 3 and 5 are both named geo: which one to load is unclear"
        )
        try await fixture.tearDown()
    }

    @Test func anEmptyFileIsRefusedAndAHeaderAloneLoadsNothing() async throws {
        let fixture = try await IngestFixture.make()
        for (name, text) in [("empty.csv", ""), ("bom.csv", "\u{FEFF}\r\n"), ("empty.ndjson", "\n")] {
            let error = await #expect(throws: IngestFileError.self) { try await fixture.load(.conversions, name, text) }
            #expect(error?.message == "the file is empty (a CSV file needs at least its header row)")
        }
        let summary = try await fixture.load(.conversions, "header.csv", "conversion_id,occurred_at\r\n")
        #expect(summary.rowsRead == 0)
        #expect(summary.inserted == 0)
        #expect(summary.loadID != nil)
        try await fixture.tearDown()
    }
}
