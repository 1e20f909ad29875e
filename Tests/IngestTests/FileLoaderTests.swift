import Foundation
import Ingest
import Logging
import PostgresClient
import TestSupport
import Testing

@Suite struct FileLoaderTests {
    static let conversionsCSV = """
        conversion_id,user_id,occurred_at,event,offer_id,partner_id,click_id,revenue,payout,geo,deposit,usm_num
        cv1,cust_778,2025-01-03T10:00:00Z,base,trading,p1,k1,0,40,EU1,,
        cv2,cust_778,2025-01-04 11:00:00+01,deposit,trading,p1,k1,150,,,150,
        cv3,cust_778,1736074800,deposit,trading,p1,k1,75,,,75,
        "cv4",cust_778,2025-01-06T12:00:00.5Z,trade,trading,p1,k1,20,,,,120

        """

    @Test func conversionsLoadWithTypedDataPoints() async throws {
        let fixture = try await IngestFixture.make()
        let summary = try await fixture.load(.conversions, "conv.csv", Self.conversionsCSV)
        #expect(summary.rowsRead == 4)
        #expect(summary.inserted == 4)
        #expect(summary.rejected == 0)
        let rows = try await fixture.rows(
            "select conversion_id, customer_id, occurred_at::text, event, revenue::text, coalesce(payout::text, '-'), params::text from raw.conversions order by 1"
        )
        #expect(
            rows == [
                ["cv1", "cust_778", "2025-01-03 10:00:00+00", "base", "0", "40", "{\"geo\": \"EU1\"}"],
                // 11:00 at +01 is 10:00 UTC.
                ["cv2", "cust_778", "2025-01-04 10:00:00+00", "deposit", "150", "-", "{\"deposit\": 150}"],
                // Epoch 1736074800 = 2025-01-05 11:00:00 UTC.
                ["cv3", "cust_778", "2025-01-05 11:00:00+00", "deposit", "75", "-", "{\"deposit\": 75}"],
                ["cv4", "cust_778", "2025-01-06 12:00:00.5+00", "trade", "20", "-", "{\"usm_num\": 120}"],
            ])
        try await fixture.tearDown()
    }

    @Test func reingestIsANoOpAndOverlapAddsOnlyNewRows() async throws {
        let fixture = try await IngestFixture.make()
        try await fixture.load(.conversions, "conv.csv", Self.conversionsCSV)
        let again = try await fixture.load(.conversions, "conv.csv", Self.conversionsCSV)
        #expect(again.alreadyLoadedAs != nil)
        #expect(again.inserted == 0)
        let overlap = try await fixture.load(
            .conversions, "overlap.csv",
            """
            conversion_id,user_id,occurred_at,revenue
            cv2,cust_778,2025-01-04 11:00:00+01,150
            cv5,cust_9,2025-02-01T00:00:00Z,10
            """)
        // cv2 comes again without its data point: a change of params is a correction (updated).
        #expect(overlap.inserted == 1)
        #expect(overlap.updated == 1)
        let same = try await fixture.load(
            .conversions, "same-values.csv",
            """
            conversion_id,user_id,occurred_at,revenue
            cv5,cust_9,2025-02-01T00:00:00Z,10
            cv5,cust_9,2025-02-01T00:00:00Z,10
            """)
        #expect(same.inserted == 0)
        #expect(same.updated == 0)
        #expect(same.duplicates == 2)
        #expect(try await fixture.rows("select count(*)::text from raw.conversions") == [["5"]])
        try await fixture.tearDown()
    }

    @Test func badRowsRefuseTheWholeFileWithLineAndColumn() async throws {
        let fixture = try await IngestFixture.make()
        let error = await #expect(throws: BadInputError.self) {
            try await fixture.load(
                .clicks, "clicks.csv",
                """
                click_id,occurred_at,partner_id,offer_id,message_id,contact
                k1,2025-01-01T00:00:00Z,p1,o1,,a@x.com
                k2,yesterday,p1,o1,,b@x.com
                ,2025-01-01T00:00:00Z,p1,o1,,c@x.com
                k4,2025-01-01T00:00:00Z,p1
                "k5,2025-01-01T00:00:00Z,p1,o1,,d@x.com
                """)
        }
        #expect(error?.total == 4)
        #expect(error?.problems.map(\.0) == [3, 4, 5, 6])
        #expect(error?.problems[0].1 == "occurred_at: 'yesterday' is not a timestamp (ISO 8601 or epoch seconds)")
        #expect(error?.problems[1].1 == "click_id: missing")
        #expect(error?.problems[2].1 == "expected 6 columns, found 3")
        #expect(error?.problems[3].1 == "a quoted cell is never closed")
        #expect(error?.description.contains("clicks.csv:3: occurred_at:") == true)
        #expect(try await fixture.rows("select count(*)::text from raw.clicks") == [["0"]])
        try await fixture.tearDown()
    }

    @Test func skipBadRowsLoadsTheRestAndWritesRejects() async throws {
        let fixture = try await IngestFixture.make()
        let summary = try await fixture.load(
            .customers, "customers.csv",
            """
            user_id,email,name,phone,source,partner_id,signup_at,geo,email_opt_in
            u1,a@x.com,Ann,,affiliate,p1,2025-01-01,EU1,true
            u2,b@x.com,Bob,,partner,p1,2025-01-01,EU1,true
            u3,c@x.com,"Cy, Jr.",,direct,,2025-01-02,US,no
            """, skipBadRows: true)
        #expect(summary.inserted == 2)
        #expect(summary.rejected == 1)
        let rejects = try String(contentsOfFile: try #require(summary.rejectsFile), encoding: .utf8)
        #expect(
            rejects
                == "line,reason,record\n3,\"source: 'partner' is not one of affiliate, direct, other\",\"u2,b@x.com,Bob,,partner,p1,2025-01-01,EU1,true\"\n"
        )
        #expect(
            try await fixture.rows("select customer_id, name, source, email_opt_in::text from raw.customers order by 1")
                == [
                    ["u1", "Ann", "affiliate", "true"], ["u3", "Cy, Jr.", "direct", "false"],
                ])
        try await fixture.tearDown()
    }

    @Test func invalidUTF8IsRefused() async throws {
        let fixture = try await IngestFixture.make()
        var bytes = Array("partner_id,name\np1,ok\np2,".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\n".utf8)
        let url = fixture.folder.url.appendingPathComponent("partners.csv")
        try Data(bytes).write(to: url)
        let error = await #expect(throws: BadInputError.self) {
            try await FileLoader(logger: .init(label: "t")).load(
                url, options: .init(kind: .partners), on: fixture.connection)
        }
        #expect(error?.problems.first?.0 == 3)
        #expect(error?.problems.first?.1 == "name: not valid UTF-8")
        try await fixture.tearDown()
    }

    @Test func ndjsonWithNestedParams() async throws {
        let fixture = try await IngestFixture.make()
        let summary = try await fixture.load(
            .conversions, "conv.ndjson",
            """
            {"conversion_id": "n1", "user_id": "u1", "occurred_at": "2025-03-01T00:00:00Z", "revenue": 12.50, "params": {"level": 10, "vip": true}, "geo": "EU1"}
            {"conversion_id": "n2", "user_id": "u1", "occurred_at": "2025-03-02T00:00:00Z", "event": "deposit", "deposit": "007"}

            """)
        #expect(summary.inserted == 2)
        #expect(
            try await fixture.rows("select conversion_id, revenue::text, params::text from raw.conversions order by 1")
                == [
                    ["n1", "12.50", "{\"geo\": \"EU1\", \"vip\": true, \"level\": 10}"],
                    ["n2", "0", "{\"deposit\": \"007\"}"],
                ])
        let bad = await #expect(throws: BadInputError.self) {
            try await fixture.load(
                .partners, "p.ndjson", "{\"partner_id\": \"p1\", \"tier\": 2}\n{\"partner_id\": \"p2\"")
        }
        #expect(bad?.problems.map(\.1) == ["tier: unknown column (expected partner_id, name)", "expected ',' or '}'"])
        try await fixture.tearDown()
    }

    @Test func everyKindLoadsFromCSVAndNDJSON() async throws {
        let fixture = try await IngestFixture.make()
        let csv: [(IngestKind, String)] = [
            (.partners, "partner_id,name\np1,Alpha"),
            (.offers, "offer_id,name,advertiser_id,attribution_window,payout_type,payout\no1,Trade,a1,7d,revshare,10"),
            (.customers, "user_id,email,source\nu1,a@x.com,direct"),
            (
                .clicks,
                "click_id,occurred_at,partner_id,offer_id,message_id,contact\nk1,2025-01-01T00:00:00Z,p1,o1,m1,a@x.com"
            ),
            (
                .sends,
                "message_id,sent_at,campaign_id,creative_id,list_id,contact,audience_segments,cost\nm1,2025-01-01T00:00:00Z,c1,cr1,l1,a@x.com,vip|eu,0.002"
            ),
            (
                .emailEvents,
                "occurred_at,campaign_id,audience,contact,type\n2025-01-02T00:00:00Z,c1,high_value,a@x.com,open"
            ),
            (.conversions, "conversion_id,user_id,occurred_at,revenue\ncv1,u1,2025-01-01T01:00:00Z,5"),
            (.revenue, "click_id,amount,date\nk1,3.5,2025-01-01"),
        ]
        for (kind, text) in csv {
            #expect(try await fixture.load(kind, "\(kind.rawValue).csv", text).inserted == 1, "\(kind.rawValue)")
        }
        let ndjson: [(IngestKind, String)] = [
            (.partners, #"{"partner_id": "p2", "name": "Beta"}"#),
            (.offers, #"{"offer_id": "o2", "attribution_window": "24h", "payout": 25}"#),
            (.customers, #"{"user_id": "u2", "email_opt_in": true}"#),
            (.clicks, #"{"click_id": "k2", "occurred_at": 1735689600}"#),
            (
                .sends,
                #"{"message_id": "m2", "sent_at": "2025-01-01T00:00:00Z", "audience_segments": ["a", "b"], "segments_used": 3, "cost_per_segment": 0.01}"#
            ),
            (
                .emailEvents,
                #"{"occurred_at": "2025-01-02T00:00:00Z", "campaign_id": "c1", "contact": "b@x.com", "type": "click"}"#
            ),
            (.conversions, #"{"conversion_id": "cv2", "occurred_at": "2025-01-01T02:00:00Z"}"#),
            (.revenue, #"{"click_id": "k2", "amount": 1, "date": "2025-01-01"}"#),
        ]
        for (kind, text) in ndjson {
            #expect(try await fixture.load(kind, "\(kind.rawValue).ndjson", text).inserted == 1, "\(kind.rawValue)")
        }
        #expect(
            try await fixture.rows(
                "select offer_id, attribution_window::text, payout_type, payout::text from raw.offers order by 1") == [
                    ["o1", "7 days", "revshare", "10"], ["o2", "24:00:00", "cpa", "25"],
                ])
        #expect(
            try await fixture.rows(
                "select audience_segments::text, segments_used::text, coalesce(cost::text, '-'), coalesce(cost_per_segment::text, '-') from raw.message_sends order by message_id"
            ) == [["{vip,eu}", "1", "0.002", "-"], ["{a,b}", "3", "-", "0.01"]])
        try await fixture.tearDown()
    }

    /// `segments` held audience-segment names and is now `audience_segments`: for one release the
    /// old name still loads, with a warning; a segment count must be a whole number.
    @Test func sendsTakeTheFormerSegmentsColumnWithAWarning() async throws {
        let fixture = try await IngestFixture.make()
        let summary = try await fixture.load(
            .sends, "sends.csv", "message_id,sent_at,segments,segments_used\nm1,2025-01-01T00:00:00Z,vip|eu,2")
        #expect(summary.inserted == 1)
        #expect(
            summary.warnings == [
                "segments is now called audience_segments: rename the column; the old name will be refused in a later release"
            ])
        #expect(
            try await fixture.rows("select audience_segments::text, segments_used::text from raw.message_sends")
                == [["{vip,eu}", "2"]])
        let error = await #expect(throws: BadInputError.self) {
            try await fixture.load(
                .sends, "bad.csv",
                "message_id,sent_at,segments_used\nm2,2025-01-01T00:00:00Z,1.5\nm3,2025-01-01T00:00:00Z,2147483648")
        }
        #expect(
            error?.description.contains("bad.csv:2: segments_used: '1.5' is not a whole number from 0 to 2147483647")
                == true, "\(String(describing: error))")
        #expect(error?.description.contains("bad.csv:3: segments_used: '2147483648' is not a whole number") == true)
        try await fixture.tearDown()
    }

    @Test func manualRevenueForAPostbackClickIsReported() async throws {
        let fixture = try await IngestFixture.make()
        try await fixture.load(
            .conversions, "c.csv", "conversion_id,occurred_at,click_id,revenue\ncv1,2025-01-01T00:00:00Z,k1,20")
        let summary = try await fixture.load(
            .revenue, "r.csv", "click_id,amount,date\nk1,20,2025-01-01\nk2,5,2025-01-01")
        #expect(summary.inserted == 2)
        #expect(summary.supersededByPostback == 1)
        try await fixture.tearDown()
    }
}
