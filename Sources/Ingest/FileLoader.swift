import Core
import Foundation
import Logging
import PostgresClient

/// Loads files of tracking facts into `raw` through COPY, idempotently and all-or-nothing.
public struct FileLoader: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case csv, ndjson

        /// From the extension: `.csv`, `.ndjson`/`.jsonl`/`.json`.
        public static func infer(from url: URL) -> Format? {
            switch url.pathExtension.lowercased() {
            case "csv": .csv
            case "ndjson", "jsonl", "json": .ndjson
            default: nil
            }
        }
    }

    public struct Options: Sendable {
        public var kind: IngestKind
        public var format: Format?
        /// Recorded with the load, e.g. the partner or platform the file came from.
        public var source: String?
        public var skipBadRows = false

        public init(kind: IngestKind) {
            self.kind = kind
        }
    }

    public let logger: Logger
    static let listedProblems = 50

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Loads one file. A file with bad rows loads nothing (unless `skipBadRows`); an identical
    /// file loaded before is recognised by checksum and skipped; all rows of a file commit together.
    /// An empty file is refused; a CSV file with only its header loads no rows (and is recorded).
    public func load(_ url: URL, options: Options, on connection: PostgresConnection) async throws -> LoadSummary {
        let started = ContinuousClock.now
        let name = url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw IngestFileError(file: name, message: "cannot read the file")
        }
        guard let format = options.format ?? Format.infer(from: url) else {
            throw IngestFileError(
                file: name, message: "cannot tell the format from the extension: pass --format csv|ndjson")
        }
        let bytes = [UInt8](data)
        let content = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        if content.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }) {
            throw IngestFileError(
                file: name, message: "the file is empty (a CSV file needs at least its header row)")
        }
        var hasher = SHA256()
        hasher.update(bytes)
        let checksum = hasher.finalizeHex()
        let kind = options.kind
        var summary = LoadSummary(
            file: name, kind: kind.rawValue, rowsRead: 0, inserted: 0, updated: 0, duplicates: 0, rejected: 0,
            supersededByPostback: 0, seconds: 0)

        try await ModuleSchema.ingest.ensure(on: connection)
        let previous = try await connection.query(
            "select load_id from clv_meta.loads where kind = \(kind.rawValue) and checksum = \(checksum) order by load_id limit 1"
        )
        if let row = previous.first {
            summary.alreadyLoadedAs = try row.decode(Int64.self, "load_id")
            summary.seconds = (ContinuousClock.now - started).inSeconds
            return summary
        }
        if format == .csv { try checkHeader(CSVReader(bytes: bytes).headerNames(), kind: kind, file: name) }

        let encoder = RowEncoder(kind: kind)
        let load = FileLoad(
            bytes: bytes, format: format, encoder: encoder, file: name, skipBadRows: options.skipBadRows, logger: logger
        )
        // The ledger row commits in the same transaction as the rows it describes: a process killed
        // at any moment leaves both or neither, so a retried file is never loaded twice unrecorded.
        let (counts, state):
            ((loadID: Int64, inserted: Int, updated: Int, duplicates: Int, superseded: Int), ParseState) =
                try await connection.transaction { connection in
                    // Staging lives in temp buffers; the default 8MB spills a large file to disk. Only
                    // settable before the session first touches a temp table, so a failure is fine.
                    try? await connection.executeScript("set temp_buffers = '512MB'")
                    // Taking a load id enters the ingest barrier (shared) until this transaction ends.
                    let loadID = try await connection.query("select clv_meta.next_load_id() as id")[0].decode(
                        Int64.self, "id")
                    let (inserted, updated, state) =
                        if let direct = try await load.copyDirect(loadID: loadID, on: connection) {
                            (direct.rows, 0, direct.state)
                        } else {
                            try await load.copyAndMerge(loadID: loadID, on: connection)
                        }
                    var superseded = 0
                    if kind == .revenue {
                        superseded = try await connection.query(
                            IngestSQL.statement("revenue_superseded_by_postbacks", binding: [loadID]))[0].decode(
                                Int.self, "n")
                    }
                    let duplicates = state.read - state.problemCount - inserted - updated
                    try await connection.execute(
                        IngestSQL.statement(
                            "record_load",
                            binding: [
                                loadID, kind.rawValue, options.source, name, format.rawValue, checksum, state.read,
                                inserted, updated, duplicates, state.problemCount,
                                (ContinuousClock.now - started).inSeconds,
                            ]))
                    return ((loadID, inserted, updated, duplicates, superseded), state)
                }
        summary.loadID = counts.loadID
        summary.rowsRead = state.read
        summary.warnings = state.formerNames.sorted().map { name in
            "\(name) is now called \(encoder.renamed[name] ?? name): rename the column; the old name will be refused in a later release"
        }
        summary.rejected = state.problemCount
        summary.inserted = counts.inserted
        summary.updated = counts.updated
        summary.duplicates = counts.duplicates
        summary.supersededByPostback = counts.superseded
        if state.problemCount > 0 {
            let rejects = url.path + ".rejects.csv"
            try state.rejectsCSV(source: bytes, format: format).write(
                toFile: rejects, atomically: true, encoding: .utf8)
            summary.rejectsFile = rejects
        }
        summary.seconds = (ContinuousClock.now - started).inSeconds
        logger.info(
            "loaded file",
            metadata: ["file": "\(name)", "load.id": "\(counts.loadID)", "inserted": "\(summary.inserted)"])
        return summary
    }

    /// Refuses a CSV whose header lacks a required column, (except for conversions) has an unknown
    /// one, or names a column twice.
    func checkHeader(_ names: [String], kind: IngestKind, file: String) throws {
        let known = Set(kind.columns.map(\.input) + kind.columns.compactMap(\.formerly))
        for column in kind.columns where column.required && !names.contains(column.input) {
            throw IngestFileError(
                file: file, line: 1, message: "the header has no \(column.input) column (required for \(kind.rawValue))"
            )
        }
        if !kind.acceptsCustomParameters, let unknown = names.first(where: { !known.contains($0) }) {
            throw IngestFileError(
                file: file, line: 1,
                message:
                    "unknown column \(unknown) for \(kind.rawValue) (expected \(kind.columns.map(\.input).joined(separator: ", ")))"
            )
        }
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if let first = seen[name] {
                throw IngestFileError(
                    file: file, line: 1,
                    message:
                        "columns \(first + 1) and \(index + 1) are both named \(name): which one to load is unclear")
            }
            seen[name] = index
        }
    }
}

/// Bad rows seen while streaming a file (touched only on the connection's queue).
final class ParseState: @unchecked Sendable {
    var read = 0
    /// Natural keys seen so far (only on the merge path, to know whether a file repeats a key).
    var keys: Set<String>?
    var repeatedKey = false
    var problemCount = 0
    var problems: [(Int, String)] = []
    var rejected: [(Int, String)] = []
    /// Source lines PostgreSQL refused in an earlier COPY attempt, with the reason.
    var refusedByServer: [Int: String] = [:]
    /// The source line of each row written to COPY, in order (COPY names rows by their position).
    var copiedLines: [Int32] = []
    /// Earlier column names the file used.
    var formerNames: Set<String> = []

    /// The source line of the `row`th COPY row (1-based).
    func sourceLine(ofCopyRow row: Int) -> Int? {
        row >= 1 && row <= copiedLines.count ? Int(copiedLines[row - 1]) : nil
    }

    func refuse(line: Int, reasons: [String]) {
        problemCount += 1
        let reason = reasons.joined(separator: "; ")
        if problems.count < FileLoader.listedProblems { problems.append((line, reason)) }
        rejected.append((line, reason))
    }

    /// `line,reason,record`: each refused record with its original text.
    func rejectsCSV(source: [UInt8], format: FileLoader.Format) -> String {
        var lineStarts = [0]
        for (index, byte) in source.enumerated() where byte == 10 { lineStarts.append(index + 1) }
        func text(of line: Int) -> String {
            guard line >= 1, line <= lineStarts.count else { return "" }
            let start = lineStarts[line - 1]
            var end = line < lineStarts.count ? lineStarts[line] - 1 : source.count
            if end > start, source[end - 1] == 13 { end -= 1 }
            return String(decoding: source[start..<max(start, end)], as: UTF8.self)
        }
        func quote(_ value: String) -> String { "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var output = "line,reason,record\n"
        for (line, reason) in rejected {
            output += "\(line),\(quote(reason)),\(quote(text(of: line)))\n"
        }
        return output
    }
}
