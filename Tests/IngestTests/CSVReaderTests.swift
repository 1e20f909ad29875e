import Testing

@testable import Ingest

/// The CSV reader on bytes, without a database: quoting, embedded newlines, byte order marks,
/// CRLF, ragged rows, bad UTF-8, and the line each record or problem is reported on.
@Suite struct CSVReaderTests {
    /// One record or problem as the reader reported it: `line: name=value, …` or `line! reason`.
    static func read(_ bytes: [UInt8]) throws -> [String] {
        var seen: [String] = []
        try CSVReader(bytes: bytes).forEachRecord { result in
            switch result {
            case .success(let record):
                let fields = record.fields.map { name, value in "\(name)=\(value.scalarText ?? "?")" }
                seen.append("\(record.line): " + fields.joined(separator: ", "))
            case .failure(let problem):
                seen.append("\(problem.line)! \(problem.reason)")
            }
        }
        return seen
    }

    static func read(_ text: String) throws -> [String] { try read(Array(text.utf8)) }

    @Test func quotedCellsHoldCommasAndDoubledQuotes() throws {
        #expect(
            try Self.read("id,name\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"\"\n") == [
                "2: id=1, name=a, b",
                "3: id=2, name=say \"hi\"",
                // An empty quoted cell is as absent as an empty unquoted one.
                "4: id=3",
            ])
    }

    @Test func anEmbeddedNewlineKeepsTheRecordWholeAndLaterLinesCountIt() throws {
        // The first record spans lines 2-3, so the next one starts on line 4.
        #expect(
            try Self.read("id,note\n1,\"two\nlines\"\n2,x\n") == [
                "2: id=1, note=two\nlines",
                "4: id=2, note=x",
            ])
    }

    @Test func aByteOrderMarkIsNotPartOfTheFirstColumnName() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id,name\n1,a\n".utf8)
        #expect(try Self.read(bytes) == ["2: id=1, name=a"])
        #expect(CSVReader(bytes: bytes).headerNames() == ["id", "name"])
    }

    @Test func crlfLineEndingsLeaveNoCarriageReturnInValues() throws {
        #expect(
            try Self.read("id,name\r\n1,a\r\n2,\"b\"\r\n3,\r\n") == [
                "2: id=1, name=a",
                "3: id=2, name=b",
                "4: id=3",
            ])
    }

    @Test func headerNamesAreTrimmedOfSpacesAndTabs() throws {
        #expect(CSVReader(bytes: Array(" id ,\tname\t\n".utf8)).headerNames() == ["id", "name"])
        #expect(try Self.read(" id ,\tname\t\n1,a\n") == ["2: id=1, name=a"])
    }

    @Test func raggedRowsAreReportedOnTheirLineAndReadingGoesOn() throws {
        #expect(
            try Self.read("a,b\n1\n1,2,3\n4,5\n") == [
                "2! expected 2 columns, found 1",
                "3! expected 2 columns, found 3",
                "4: a=4, b=5",
            ])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        #expect(try Self.read("a\n1\n\n2\n") == ["2: a=1", "4: a=2"])
    }

    @Test func aFinalRecordWithoutNewlineIsRead() throws {
        #expect(try Self.read("a,b\n1,2") == ["2: a=1, b=2"])
    }

    @Test func invalidUTF8InACellNamesTheColumn() throws {
        let bytes = Array("id,name\n1,".utf8) + [0xFF, 0xFE] + Array("\n2,ok\n".utf8)
        #expect(try Self.read(bytes) == ["2! name: not valid UTF-8", "3: id=2, name=ok"])
    }

    @Test func invalidUTF8InTheHeaderRefusesTheFile() throws {
        let bytes = Array("id,".utf8) + [0xC3] + Array("\n1,2\n".utf8)
        let problem = #expect(throws: CSVReader.Problem.self) { try Self.read(bytes) }
        #expect(problem?.line == 1)
        #expect(problem?.reason == "the header is not valid UTF-8")
    }

    @Test func anEmptyFileHasNoHeader() throws {
        let problem = #expect(throws: CSVReader.Problem.self) { try Self.read("") }
        #expect(problem?.line == 1)
        #expect(problem?.reason == "the file is empty: expected a header row")
    }

    @Test func malformedQuotingIsReportedOnTheRecordsFirstLine() throws {
        #expect(
            try Self.read("a,b\n1,x\"y\n2,\"x\"y\n3,ok\n") == [
                "2! a quote inside an unquoted cell",
                "3! unexpected character after a closing quote",
                "4: a=3, b=ok",
            ])
        // An unclosed quote swallows the rest of the file into one cell: one problem, on line 2.
        #expect(try Self.read("a,b\n1,\"open\n2,x\n") == ["2! a quoted cell is never closed"])
    }
}
