import Core
import PostgresClient

/// The keys a declared change set (``Recompute``) finds for one incremental build: the values of
/// the key that its sources changed in the build's window, in a temporary table.
enum ChangedKeys {
    /// The temporary table holding them for the step's transaction.
    static let table = "clv_changed_keys"

    /// `create temp table clv_changed_keys … as` the distinct non-null keys of every source.
    /// `marks` are the transform's `changes_by` columns, by relation.
    static func statement(_ recompute: Recompute, marks: [String: String] = [:]) -> Statement {
        let key = Identifier.quote(recompute.key)
        let branches = recompute.sources.map { branch($0, key: recompute.key, mark: marks[$0.relation]) }
            .joined(separator: "\nunion all\n")
        return Statement(
            """
            create temp table \(table) on commit drop as
            select distinct \(recompute.keyExpression.map { "\($0) as \(key)" } ?? key) from (
            \(branches)
            ) as changed (\(key))
            where \(key) is not null
            """)
    }

    /// One source's changed values of its column, followed to the key through its lookup.
    static func branch(_ source: Recompute.Source, key: String, mark: String? = nil) -> String {
        let column = Identifier.quote(source.column)
        let changed: String
        if let window = source.window {
            // Rows in the slices of time the windows gained or lost when the reference time moved.
            let lengths = Identifier.quoteQualified(window.lengths)
            let length = Identifier.quote(window.lengthColumn)
            let time = Identifier.quote(window.time)
            let current = TransformCatalog.isRaw(source.relation) ? " and s._load_id <= clv_meta.until_load()" : ""
            return """
                select s.\(column) from \(Identifier.quoteQualified(source.relation)) as s
                join (
                    select least(clv_meta.as_of(), clv_meta.previous_as_of()) - days * interval '1 day' as after,
                        greatest(clv_meta.as_of(), clv_meta.previous_as_of()) - days * interval '1 day' as until
                    from (select \(length) from \(lengths) where \(length) is not null union select 0) as w (days)
                ) as w on s.\(time) > w.after and s.\(time) <= w.until
                where clv_meta.as_of() <> clv_meta.previous_as_of()\(current)
                """
        } else if let mark {
            // An append-only relation clv does not build: its rows past the mark the last build
            // saw (all of them when it saw none). The mark is read back in the column's own type.
            let relation = Identifier.quoteQualified(source.relation)
            let markColumn = Identifier.quote(mark)
            let since = """
                (select (jsonb_populate_record(null::\(relation), jsonb_build_object(\(Identifier.literal(mark)), clv_meta.since_mark(\(Identifier.literal(source.relation)))))).\(markColumn))
                """
            changed = """
                select \(column) from \(relation) where \(markColumn) > \(since)
                union all
                select \(column) from \(relation) where \(markColumn) is not null and \(since) is null
                """
        } else if TransformCatalog.isRaw(source.relation) {
            // Rows loaded, corrected or deleted in the window; the replaced versions from raw_history.
            let history = RawTables.historyName(of: source.relation)
            changed = """
                select \(column) from \(Identifier.quoteQualified(source.relation))
                where _load_id > clv_meta.since_load() and _load_id <= clv_meta.until_load()
                union all
                select \(column) from \(Identifier.quoteQualified(history))
                where _replaced_by > clv_meta.since_load() and _replaced_by <= clv_meta.until_load()
                """
        } else {
            // Rows the upstream transform removed or added since this transform's last build.
            let log = Transform.changesName(of: source.relation)
            changed = """
                select \(column) from \(Identifier.quoteQualified(log)) where _build_seq > clv_meta.since_build()
                """
        }
        guard !source.lookups.isEmpty else { return changed }
        // Each lookup joins on the column the previous one carried; the last gives the key.
        var joined = column
        let value = Identifier.quote(source.lookups.last?.carry ?? key)
        var lines = ["select l\(source.lookups.count).\(value) from (", changed, ") as c (\(column))"]
        var previous = "c"
        for (index, hop) in source.lookups.enumerated() {
            let alias = "l\(index + 1)"
            let current =
                TransformCatalog.isRaw(hop.relation)
                ? " and \(alias)._load_id <= clv_meta.until_load()" : ""
            lines.append(
                "join \(Identifier.quoteQualified(hop.relation)) as \(alias) on \(alias).\(joined) = \(previous).\(joined)\(current)"
            )
            if let carry = hop.carry { joined = Identifier.quote(carry) }
            previous = alias
        }
        return lines.joined(separator: "\n")
    }
}
