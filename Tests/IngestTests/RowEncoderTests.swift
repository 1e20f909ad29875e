import Testing

@testable import Ingest

/// The COPY text the row encoder writes, without a database: escaping of backslashes, tabs,
/// newlines and carriage returns, `\N` for absent values, the columns' defaults, the data points
/// of conversions as JSON, and the reasons a record is refused.
@Suite struct RowEncoderTests {
    /// The COPY line for `fields` of `kind` at `line`, or the refusal's reasons.
    static func encode(
        _ kind: IngestKind, _ fields: [(String, FieldValue)], line: Int = 7,
        trailer: RowEncoder.Trailer = .line
    ) -> Result<String, RowEncoder.Refusal> {
        var output = ""
        var keys: Set<String>? = nil
        var repeated = false
        if let refusal = RowEncoder(kind: kind).encode(
            InputRecord(line: line, fields: fields), into: &output, trailer: trailer, keys: &keys,
            repeatedKey: &repeated)
        {
            return .failure(refusal)
        }
        return .success(output)
    }

    static func line(_ result: Result<String, RowEncoder.Refusal>) -> String? {
        guard case .success(let line) = result else { return nil }
        return line
    }

    static func reasons(_ result: Result<String, RowEncoder.Refusal>) -> [String]? {
        guard case .failure(let refusal) = result else { return nil }
        return refusal.reasons
    }

    @Test func backslashTabNewlineAndCarriageReturnAreEscaped() {
        // partners: partner_id, name, then the trailer (the record's line).
        let result = Self.encode(.partners, [("partner_id", .text("p1")), ("name", .text("a\tb\nc\\d\re"))])
        #expect(Self.line(result) == "p1\ta\\tb\\nc\\\\d\\re\t7\n")
    }

    @Test func absentValuesAreNullAndEmptyTextIsAbsent() {
        #expect(Self.line(Self.encode(.partners, [("partner_id", .text("p1"))])) == "p1\t\\N\t7\n")
        #expect(
            Self.line(Self.encode(.partners, [("partner_id", .text("p1")), ("name", .text(""))])) == "p1\t\\N\t7\n")
        #expect(Self.line(Self.encode(.partners, [("partner_id", .text("p1")), ("name", .null)])) == "p1\t\\N\t7\n")
    }

    @Test func absentValuesTakeTheColumnsDefaultsAndTheTrailerCanBeAConstant() {
        // offers: offer_id, name, advertiser_id, attribution_window (30 days), payout_type (cpa), payout (0).
        let result = Self.encode(.offers, [("offer_id", .text("o1"))], trailer: .constant("42"))
        #expect(Self.line(result) == "o1\t\\N\t\\N\t30 days\tcpa\t0\t42\n")
    }

    @Test func valuesAreWrittenAsTheirColumnTypesRead() {
        // customers: customer_id, email, name, phone, source, partner_id, signup_at, geo, email_opt_in.
        let result = Self.encode(
            .customers,
            [
                ("user_id", .text("u1")), ("source", .text("affiliate")), ("email_opt_in", .text("yes")),
                ("signup_at", .text(" 2025-01-02T03:04:05Z ")),
            ])
        #expect(Self.line(result) == "u1\t\\N\t\\N\t\\N\taffiliate\t\\N\t2025-01-02T03:04:05Z\t\\N\tt\t7\n")
    }

    @Test func aTextListIsAnArrayLiteralEscapedOnceMoreForCopy() {
        // sends: message_id, sent_at, campaign_id, creative_id, list_id, contact, audience_segments,
        // segments_used (1), cost, cost_per_segment. The item a\b is "a\\b" in the array literal,
        // and each of those backslashes is doubled again for COPY.
        let result = Self.encode(
            .sends,
            [("message_id", .text("m1")), ("sent_at", .text("2025-01-01")), ("audience_segments", .text("vip|a\\b"))])
        #expect(Self.line(result) == "m1\t2025-01-01\t\\N\t\\N\t\\N\t\\N\t{\"vip\",\"a\\\\\\\\b\"}\t1\t\\N\t\\N\t7\n")
    }

    @Test func aFormerColumnNameIsStillAccepted() {
        let result = Self.encode(
            .sends, [("message_id", .text("m1")), ("sent_at", .text("2025-01-01")), ("segments", .text("vip"))])
        #expect(Self.line(result) == "m1\t2025-01-01\t\\N\t\\N\t\\N\t\\N\t{\"vip\"}\t1\t\\N\t\\N\t7\n")
        #expect(RowEncoder(kind: .sends).renamed == ["segments": "audience_segments"])
    }

    @Test func conversionsKeepOtherColumnsAsDataPointsInJSON() {
        // conversions: conversion_id, customer_id, occurred_at, event (base), offer_id, partner_id,
        // click_id, revenue (0), payout, then params. A plain decimal becomes a number; "007" (a
        // leading zero) and text stay strings; nested params are flattened; empty values are left out.
        let result = Self.encode(
            .conversions,
            [
                ("conversion_id", .text("c1")), ("occurred_at", .text("2025-01-02T03:04:05Z")),
                ("deposit", .text("150.5")), ("code", .text("007")), ("note", .text("tab\there \"q\"")),
                ("empty", .text("")), ("params", .object([("geo", .text("EU1")), ("vip", .bool(true))])),
            ])
        #expect(
            Self.line(result)
                == "c1\t\\N\t2025-01-02T03:04:05Z\tbase\t\\N\t\\N\t\\N\t0\t\\N\t"
                + "{\"deposit\":150.5,\"code\":\"007\",\"note\":\"tab\\\\there \\\\\"q\\\\\"\",\"geo\":\"EU1\",\"vip\":true}"
                + "\t7\n")
        #expect(RowEncoder(kind: .conversions).targetColumns.last == "params")
        #expect(RowEncoder(kind: .partners).targetColumns == ["partner_id", "name"])
    }

    @Test func everyProblemOfARecordIsNamed() {
        #expect(Self.reasons(Self.encode(.partners, [("name", .text("A"))])) == ["partner_id: missing"])
        #expect(
            Self.reasons(Self.encode(.partners, [("partner_id", .text("p1")), ("region", .text("EU"))]))
                == ["region: unknown column (expected partner_id, name)"])
        #expect(
            Self.reasons(
                Self.encode(
                    .clicks,
                    [("click_id", .text("k1")), ("occurred_at", .text("2025-02-30")), ("offer_id", .text("o\u{0}"))]))
                == [
                    "occurred_at: '2025-02-30' is not a real date: February 2025 has 28 days",
                    "offer_id: contains a NUL byte, which PostgreSQL text cannot hold",
                ])
        // A refused required value is reported once, for its value, not again as missing.
        #expect(
            Self.reasons(
                Self.encode(
                    .revenue, [("click_id", .text("k1")), ("amount", .text("x")), ("date", .text("2025-01-01"))]))
                == ["amount: 'x' is not a number"])
    }

    @Test func repeatedNaturalKeysAreNoticed() {
        let encoder = RowEncoder(kind: .revenue)
        var output = ""
        var keys: Set<String>? = []
        var repeated = false
        for (line, date) in [(2, "2025-01-01"), (3, "2025-01-02")] {
            let record = InputRecord(
                line: line, fields: [("click_id", .text("k1")), ("amount", .text("5")), ("date", .text(date))])
            #expect(encoder.encode(record, into: &output, trailer: .line, keys: &keys, repeatedKey: &repeated) == nil)
        }
        #expect(repeated == false)
        let again = InputRecord(
            line: 4, fields: [("click_id", .text("k1")), ("amount", .text("6")), ("date", .text("2025-01-01"))])
        #expect(encoder.encode(again, into: &output, trailer: .line, keys: &keys, repeatedKey: &repeated) == nil)
        #expect(repeated == true)
        #expect(output == "k1\t5\t2025-01-01\t2\nk1\t5\t2025-01-02\t3\nk1\t6\t2025-01-01\t4\n")
    }
}
