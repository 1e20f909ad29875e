import Core
import Logging
import PostgresClient

/// One file's rows on their way into a raw table, inside the load's transaction.
///
/// The fast path copies straight into the raw table; when a natural key is already there (an
/// overlapping file, a repeated key) it rolls back to a savepoint and copies into a staging table
/// that is then merged by key.
struct FileLoad: Sendable {
    let bytes: [UInt8]
    let format: FileLoader.Format
    let encoder: RowEncoder
    let file: String
    let skipBadRows: Bool
    let logger: Logger

    var kind: IngestKind { encoder.kind }

    /// Copies every good row into the raw table; nil (and nothing written) when a key already exists.
    func copyDirect(loadID: Int64, on connection: PostgresConnection) async throws -> (rows: Int, state: ParseState)? {
        do {
            return try await copy(
                SQL(
                    unsafeSQL:
                        "copy \(kind.table) (\(encoder.targetColumns.joined(separator: ", ")), _load_id) from stdin"),
                trailer: .constant(String(loadID)), on: connection)
        } catch let error as PostgresError where error.sqlState == "23505" {
            logger.info("keys already present: merging by key", metadata: ["file": "\(file)"])
            return nil
        }
    }

    /// Copies into a staging table and upserts by key; returns inserted and updated counts.
    ///
    /// The staging table has the raw table's check and not-null constraints, so a row they refuse
    /// is refused during COPY, where its line is known.
    func copyAndMerge(loadID: Int64, on connection: PostgresConnection) async throws -> (Int, Int, ParseState) {
        let targets = encoder.targetColumns
        // Generated, as the merge below: the staging table is shaped like the raw table of the file's kind.
        try await connection.executeScript(
            """
            create temp table clv_ingest (like \(kind.table) including constraints) on commit drop;
            alter table clv_ingest alter column _load_id drop not null, alter column _loaded_at drop not null,
                add column _line bigint
            """)
        let (_, state) = try await copy(
            SQL(unsafeSQL: "copy clv_ingest (\(targets.joined(separator: ", ")), _line) from stdin"),
            trailer: .line, keys: true, on: connection)
        let history = RawTables.historyName(of: kind.table)
        let keepsHistory = try await connection.query(
            "select to_regclass(\(history)) is not null as present")[0].decode(Bool.self, "present")
        if keepsHistory {
            // The merge records what it replaces itself (below); the raw tables' triggers, where
            // the database has them, then leave its rows alone and catch corrections made by hand.
            try await connection.executeScript("set local clv.loader_keeps_history = 'on'")
        }
        let merged = try await connection.query(
            SQL(
                unsafeSQL: mergeSQL(
                    loadID: loadID, repeatedKeys: state.repeatedKey, history: keepsHistory ? history : nil)))[0]
        return (try merged.decode(Int.self, "inserted"), try merged.decode(Int.self, "updated"), state)
    }

    /// Runs the COPY inside a savepoint. When PostgreSQL refuses a row anyway, its file line is
    /// reported: the load fails (nothing loaded) or, with `skipBadRows`, the row becomes a reject
    /// and the COPY is run again without it, for up to ``FileLoader/listedProblems`` such rows.
    private func copy(
        _ sql: SQL, trailer: RowEncoder.Trailer, keys: Bool = false, on connection: PostgresConnection
    ) async throws -> (Int, ParseState) {
        var refusedByServer: [Int: String] = [:]
        while true {
            let state = ParseState()
            if keys { state.keys = [] }
            state.refusedByServer = refusedByServer
            try await connection.executeScript("savepoint clv_copy")
            do {
                let rows = try await connection.copyIn(sql, stream(into: state, trailer: trailer))
                try await connection.executeScript("release savepoint clv_copy")
                return (rows, state)
            } catch let error as PostgresError {
                try await connection.executeScript("rollback to savepoint clv_copy")
                guard let refusal = CopyRefusal(error), error.sqlState != "23505",
                    let line = state.sourceLine(ofCopyRow: refusal.copyLine)
                else { throw error }
                let column = refusal.column.map { name in kind.columns.first { $0.target == name }?.input ?? name }
                let reason = (column.map { "\($0): " } ?? "") + refusal.message + " (from PostgreSQL)"
                guard skipBadRows else { throw BadInputError(file: file, problems: [(line, reason)], total: 1) }
                refusedByServer[line] = reason
                guard refusedByServer.count <= FileLoader.listedProblems else {
                    throw IngestFileError(
                        file: file, line: line,
                        message:
                            "\(reason); PostgreSQL refused more than \(FileLoader.listedProblems) rows clv had accepted, so nothing was loaded"
                    )
                }
                logger.info("PostgreSQL refused a row: copying again without it", metadata: ["line": "\(line)"])
            }
        }
    }

    /// Parses the file and writes good rows to COPY; bad rows are collected in `state`, and refuse
    /// the whole file (aborting the COPY) unless `skipBadRows`. Rows PostgreSQL refused in an
    /// earlier attempt are left out as rejects.
    private func stream(into state: ParseState, trailer: RowEncoder.Trailer) -> @Sendable (CopyInWriter) throws -> Void
    {
        { [self] writer in
            var buffer = ""
            buffer.reserveCapacity(1 << 20)
            func handle(_ result: Result<InputRecord, CSVReader.Problem>) throws {
                state.read += 1
                switch result {
                case .success(let record):
                    if !encoder.renamed.isEmpty {
                        for (name, _) in record.fields where encoder.renamed[name] != nil {
                            state.formerNames.insert(name)
                        }
                    }
                    if !state.refusedByServer.isEmpty, let reason = state.refusedByServer[record.line] {
                        state.refuse(line: record.line, reasons: [reason])
                    } else if let refusal = encoder.encode(
                        record, into: &buffer, trailer: trailer, keys: &state.keys, repeatedKey: &state.repeatedKey)
                    {
                        state.refuse(line: record.line, reasons: refusal.reasons)
                    } else {
                        state.copiedLines.append(Int32(truncatingIfNeeded: record.line))
                    }
                case .failure(let problem):
                    state.refuse(line: problem.line, reasons: [problem.reason])
                }
                if buffer.utf8.count >= 1 << 20 {
                    try writer.write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            do {
                switch format {
                case .csv: try CSVReader(bytes: bytes).forEachRecord(handle)
                case .ndjson: try NDJSONReader(bytes: bytes).forEachRecord(handle)
                }
            } catch let problem as CSVReader.Problem {
                throw IngestFileError(file: file, line: problem.line, message: problem.reason)
            }
            if state.problemCount > 0 && !skipBadRows {
                throw BadInputError(file: file, problems: state.problems, total: state.problemCount)
            }
            try writer.write(buffer)
        }
    }

    /// Upserts the staged rows by natural key; the last occurrence of a key repeated in the file wins,
    /// and a row whose values are unchanged is left alone (so re-loading changes nothing). With a
    /// `history` table, the versions the merge replaces are copied there first, with the load id as
    /// `_replaced_by` (what incremental transforms read to undo what a replaced row used to count):
    /// the loader, the raw tables' only writer, records its changes itself, so it needs no
    /// trigger, which distributed tables do not allow.
    func mergeSQL(loadID: Int64, repeatedKeys: Bool, history: String? = nil) -> String {
        let targets = encoder.targetColumns
        let keys = kind.key.joined(separator: ", ")
        let others = targets.filter { !kind.key.contains($0) }
        // Whether the published row `t` holds other values than the incoming row `alias`.
        let differs = { (alias: String) in
            "(\(others.map { "t.\($0)" }.joined(separator: ", "))) is distinct from (\(others.map { "\(alias).\($0)" }.joined(separator: ", ")))"
        }
        let update =
            others.isEmpty
            ? "do nothing"
            : """
            do update set (\(others.joined(separator: ", ")), _load_id, _loaded_at)
                = (\(others.map { "excluded.\($0)" }.joined(separator: ", ")), excluded._load_id, now())
            where \(differs("excluded"))
            """
        // Same snapshot as the upsert: the versions as they were before it.
        let replaced =
            if let history, !others.isEmpty {
                """
                replaced as (
                    insert into \(history)
                    select t.*, \(loadID)::bigint from \(kind.table) as t join source as s using (\(keys))
                    where \(differs("s"))
                ),

                """
            } else { "" }
        return """
            with source as (
                select \(repeatedKeys ? "distinct on (\(keys)) " : "")\(targets.joined(separator: ", "))
                from clv_ingest \(repeatedKeys ? "order by \(keys), _line desc" : "")
            ),
            \(replaced)merged as (
                insert into \(kind.table) as t (\(targets.joined(separator: ", ")), _load_id)
                select *, \(loadID)::bigint from source
                on conflict (\(keys)) \(update)
                returning (xmax = 0) as inserted
            )
            select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated
            from merged
            """
    }
}
