import Testing

@testable import Ingest

/// The NDJSON reader on bytes, without a database: one object per line, scalar values kept as
/// written, one nested object, string arrays, escapes, byte order marks, CRLF, and each problem
/// on its line.
@Suite struct NDJSONReaderTests {
    /// Each line's record or problem, in order.
    static func read(_ bytes: [UInt8]) throws -> [Result<InputRecord, CSVReader.Problem>] {
        var results: [Result<InputRecord, CSVReader.Problem>] = []
        try NDJSONReader(bytes: bytes).forEachRecord { results.append($0) }
        return results
    }

    static func read(_ text: String) throws -> [Result<InputRecord, CSVReader.Problem>] {
        try read(Array(text.utf8))
    }

    /// `line! reason` for each problem (records are left out).
    static func problems(_ text: String) throws -> [String] {
        try read(text).compactMap { result in
            guard case .failure(let problem) = result else { return nil }
            return "\(problem.line)! \(problem.reason)"
        }
    }

    static func fields(_ result: Result<InputRecord, CSVReader.Problem>) -> [String]? {
        guard case .success(let record) = result else { return nil }
        return record.fields.map(\.0)
    }

    static func value(_ result: Result<InputRecord, CSVReader.Problem>, _ name: String) -> FieldValue? {
        guard case .success(let record) = result else { return nil }
        return record.fields.first { $0.0 == name }?.1
    }

    @Test func scalarsKeepTheirKindAndNumbersStayAsWritten() throws {
        let results = try Self.read(
            #"{"id": "c1", "revenue": 12.50, "big": 1e400, "ok": true, "no": false, "gone": null}"#)
        #expect(results.count == 1)
        #expect(Self.fields(results[0]) == ["id", "revenue", "big", "ok", "no", "gone"])
        #expect(Self.value(results[0], "id") == .text("c1"))
        #expect(Self.value(results[0], "revenue") == .number("12.50"))
        #expect(Self.value(results[0], "big") == .number("1e400"))
        #expect(Self.value(results[0], "ok") == .bool(true))
        #expect(Self.value(results[0], "no") == .bool(false))
        #expect(Self.value(results[0], "gone") == .null)
    }

    @Test func oneNestedObjectAndStringArrays() throws {
        let results = try Self.read(
            #"{"params": {"deposit": 100, "geo": "EU1"}, "segments": ["vip", "new"], "none": []}"#)
        #expect(Self.value(results[0], "params") == .object([("deposit", .number("100")), ("geo", .text("EU1"))]))
        #expect(Self.value(results[0], "segments") == .text("vip|new"))
        #expect(Self.value(results[0], "none") == .text(""))
    }

    @Test func escapesAreDecoded() throws {
        // \t, \", \\, \/, \u00e9 (é) and the surrogate pair \ud83d\ude00 (U+1F600).
        let results = try Self.read(#"{"note": "a\tb \"q\" \\ \/ \u00e9 \ud83d\ude00 \n"}"#)
        #expect(Self.value(results[0], "note") == .text("a\tb \"q\" \\ / é \u{1F600} \n"))
    }

    @Test func aByteOrderMarkCRLFAndBlankLinesAreSkippedButLinesCount() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("{\"a\": \"1\"}\r\n\r\n  \t\n{\"a\": \"2\"}\r\n".utf8)
        let results = try Self.read(bytes)
        let lines = results.map { result -> Int in
            guard case .success(let record) = result else { return -1 }
            return record.line
        }
        #expect(lines == [1, 4])
        #expect(Self.value(results[0], "a") == .text("1"))
        #expect(Self.value(results[1], "a") == .text("2"))
    }

    @Test func malformedLinesAreReportedOnTheirLineAndReadingGoesOn() throws {
        let text = [
            #"{"a": "ok"}"#,
            #"[1, 2]"#,
            #"{a: 1}"#,
            #"{"a" 1}"#,
            #"{"a": }"#,
            #"{"a": "1"} trailing"#,
            #"{"a": "1""#,
            #"{"a": "open"#,
            #"{"a": 01}"#,
            #"{"a": +1}"#,
            #"{"a": [1]}"#,
            #"{"p": {"q": {"r": 1}}}"#,
            #"{"a": "\x"}"#,
            #"{"a": "\u12"}"#,
            #"{"a": tru}"#,
            #"{"a": "fine"}"#,
        ].joined(separator: "\n")
        #expect(
            try Self.problems(text) == [
                "2! expected a JSON object",
                "3! expected a quoted key",
                #"4! expected ':' after "a""#,
                "5! a: not a JSON value",
                "6! unexpected text after the object",
                "7! expected ',' or '}'",
                "8! a: unterminated string",
                "9! a: not a JSON value",
                "10! a: not a JSON value",
                "11! a: arrays hold strings only",
                "12! p: q: objects nest one level at most",
                "13! a: bad escape",
                #"14! a: bad \u escape"#,
                "15! a: not a JSON value",
            ])
        #expect(try Self.read(text).count == 16)
    }

    @Test func invalidUTF8InAStringNamesTheKey() throws {
        let bytes = Array(#"{"a": ""#.utf8) + [0xFF] + Array("\"}\n{\"a\": \"b\"}\n".utf8)
        let results = try Self.read(bytes)
        guard case .failure(let problem) = results[0] else {
            Issue.record("the invalid line was accepted")
            return
        }
        #expect(problem.line == 1)
        #expect(problem.reason == "a: not valid UTF-8")
        #expect(Self.value(results[1], "a") == .text("b"))
    }
}
