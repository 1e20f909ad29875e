import Core
import PostgresClient

/// Signed change sources (`-- signed: raw.X, schema.transform, …`): the transform's SQL reads each
/// listed relation as rows with a `_sign integer` column, and `strategy: add` adds its result into
/// the published totals. A full build reads every row once with `_sign` 1; an incremental build
/// reads only what changed since the transform's last build: for a raw table, the versions loaded
/// in the window and visible at its end (+1) and the versions visible at its start that were
/// replaced or deleted in it (−1, from `raw_history`); for a transform that keeps changes, the rows
/// it removed (−1) and added (+1) since. So `select k, sum(_sign), sum(_sign * amount) … group by k`
/// is both the full aggregate and the change to add to it.
public enum SignedSources {
    /// One reference the expansion replaced: where it sits in the expanded text and in the original
    /// (Unicode-scalar offsets), so a server error position maps back to the file.
    struct Replacement: Sendable {
        var output: Range<Int>
        var input: Range<Int>
    }

    /// A transform's SQL with every reference to a signed source replaced by its rows.
    struct Expanded: Sendable {
        var text: String
        var replacements: [Replacement]

        /// The offset in the original text of `offset` in ``text`` (inside a replacement: the reference).
        func originalOffset(of offset: Int) -> Int {
            var shift = 0
            for replacement in replacements where replacement.output.lowerBound <= offset {
                if replacement.output.contains(offset) { return replacement.input.lowerBound }
                shift = replacement.input.upperBound - replacement.output.upperBound
            }
            return offset + shift
        }
    }

    /// The `-- signed:` relations of a transform file, checked: each is `schema.relation` in
    /// `depends_on`, read by the SQL, always through an alias (the reference becomes a subquery),
    /// and the transform is incremental with `strategy: add` (its rows are sums to add).
    static func declared(
        by header: SQLFileHeader, file: String, text: String, incremental: Bool, strategy: MergeStrategy,
        dependsOn: [String]
    ) throws -> [String] {
        guard let field = header.fields["signed"] else { return [] }
        let at = "\(file):\(field.line)"
        let relations = header.list("signed").map { $0.lowercased() }
        guard !relations.isEmpty, relations.allSatisfy(TransformCatalog.isRelationName) else {
            throw WarehouseError("signed must be a list of schema.relation; got '\(field.value)'", at: at)
        }
        guard incremental, strategy == .add else {
            throw WarehouseError(
                "signed needs '-- materialized: incremental' and '-- strategy: add': an incremental build's rows are the changes, added into the published totals",
                at: at)
        }
        let references = SQLLexer.qualifiedNames(in: text)
        let scalars = Array(text.unicodeScalars)
        for relation in relations {
            guard dependsOn.contains(relation) else {
                throw WarehouseError("signed reads \(relation) but depends_on does not list it", at: at)
            }
            let reads = references.filter { $0.name == relation }
            guard !reads.isEmpty else {
                throw WarehouseError("signed lists \(relation) but the SQL never reads it", at: at)
            }
            for read in reads where !isAliased(scalars[read.range.upperBound...]) {
                throw WarehouseError(
                    "read the signed source \(relation) as '\(relation) as alias': clv puts its rows there as a subquery",
                    at: SourceLocation.at(characterOffset: read.range.lowerBound, in: text, file: file))
            }
        }
        return relations
    }

    /// Whether the text after a reference starts with `as` and a blank.
    private static func isAliased(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
        let word = rest.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }.prefix(3)
        return word.count == 3 && String(String.UnicodeScalarView(word.prefix(2))).lowercased() == "as"
            && [" ", "\t", "\n", "\r"].contains(word.last!)
    }

    /// `text` with each reference to a relation of `transform.signed` replaced by
    /// ``rows(of:columns:incremental:)``; `columns` holds each source's columns (and, for a raw
    /// table, its history's), read from the database (missing: a placeholder, for `clv plan --sql`).
    static func expand(_ text: String, of transform: Transform, columns: [String: [String]], incremental: Bool)
        -> Expanded
    {
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var replacements: [Replacement] = []
        var cursor = 0
        var written = 0
        for reference in SQLLexer.qualifiedNames(in: text) where transform.signed.contains(reference.name) {
            output.append(contentsOf: scalars[cursor..<reference.range.lowerBound])
            written += reference.range.lowerBound - cursor
            let rows = rows(of: reference.name, columns: columns[reference.name] ?? [], incremental: incremental)
            output.append(contentsOf: rows.unicodeScalars)
            replacements.append(
                Replacement(output: written..<written + rows.unicodeScalars.count, input: reference.range))
            written += rows.unicodeScalars.count
            cursor = reference.range.upperBound
        }
        output.append(contentsOf: scalars[cursor...])
        return Expanded(text: String(output), replacements: replacements)
    }

    /// The subquery that stands for signed source `relation`: `_sign`, then `columns` (the
    /// relation's, in order; empty: a placeholder).
    static func rows(of relation: String, columns: [String], incremental: Bool) -> String {
        let list = { (alias: String) in
            columns.isEmpty
                ? "\(alias).<columns of \(relation)>"
                : columns.map { "\(alias).\(Identifier.quote($0))" }.joined(separator: ", ")
        }
        let table = Identifier.quoteQualified(relation)
        guard TransformCatalog.isRaw(relation) else {
            guard incremental else { return "(select 1 as _sign, \(list("t")) from \(table) as t)" }
            return """
                (select c._sign::integer as _sign, \(list("c")) from \(Identifier.quoteQualified(Transform.changesName(of: relation))) as c
                    where c._build_seq > clv_meta.since_build())
                """
        }
        // raw_history holds the replaced versions, with the raw table's columns (read by name).
        let history = Identifier.quoteQualified(RawTables.historyName(of: relation))
        guard incremental else {
            return """
                (select 1 as _sign, \(list("r")) from \(table) as r where r._load_id <= clv_meta.until_load()
                    union all
                    select 1, \(list("h")) from \(history) as h
                    where h._load_id <= clv_meta.until_load() and h._replaced_by > clv_meta.until_load())
                """
        }
        return """
            (select 1 as _sign, \(list("r")) from \(table) as r
                where r._load_id > clv_meta.since_load() and r._load_id <= clv_meta.until_load()
                union all
                select 1, \(list("h")) from \(history) as h
                where h._load_id > clv_meta.since_load() and h._load_id <= clv_meta.until_load()
                    and h._replaced_by > clv_meta.until_load()
                union all
                select -1, \(list("h")) from \(history) as h
                where h._load_id <= clv_meta.since_load()
                    and h._replaced_by > clv_meta.since_load() and h._replaced_by <= clv_meta.until_load())
            """
    }

    /// The columns of each of `transform`'s signed sources (and of each raw one's history), in
    /// order, as the database has them now; a missing relation has none.
    public static func columns(of transform: Transform, on connection: PostgresConnection) async throws
        -> [String: [String]]
    {
        let names = transform.signed.flatMap {
            TransformCatalog.isRaw($0) ? [$0, RawTables.historyName(of: $0)] : [$0]
        }
        guard !names.isEmpty else { return [:] }
        var columns: [String: [String]] = [:]
        for row in try await connection.query(
            """
            select s.name, a.attname::text as column_name
            from unnest(\(array: names)::text[]) with ordinality as s (name, position)
            join pg_attribute as a on a.attrelid = to_regclass(s.name) and a.attnum > 0 and not a.attisdropped
            order by s.position, a.attnum
            """)
        {
            columns[try row.decode(String.self, "name"), default: []].append(try row.decode(String.self, "column_name"))
        }
        return columns
    }

    /// Refuses to build when a signed source is missing, or a raw one keeps no history of every
    /// column (its replaced and deleted rows could not be subtracted).
    static func checkPresent(_ columns: [String: [String]], for transform: Transform) throws {
        for relation in transform.signed {
            guard let own = columns[relation] else {
                throw WarehouseError("signed reads \(relation), which the database does not have", at: transform.file)
            }
            guard TransformCatalog.isRaw(relation) else { continue }
            let history = RawTables.historyName(of: relation)
            guard let kept = columns[history] else {
                throw WarehouseError(
                    "signed reads \(relation), but the database has no \(history) keeping its replaced and deleted rows, so changes could not be subtracted",
                    at: transform.file)
            }
            let missing = own.filter { !kept.contains($0) }
            guard missing.isEmpty else {
                throw WarehouseError(
                    "signed reads \(relation), but \(history) lacks its columns \(missing.joined(separator: ", "))",
                    at: transform.file)
            }
        }
    }
}
