import Core
import PostgresClient

/// The statements that build one plan step, in the order the runner sends them inside one
/// transaction: build, key check, merge, audits, publish.
public struct BuildScript: Sendable {
    /// Creates the new rows (a staging table, a delta, or the view).
    public var build: [Statement]
    /// The relation whose rows the `unique_key` check reads.
    public var keyCheckTarget: String
    /// For full builds: the staged table's unique index, which also proves the key unique (so no
    /// separate duplicate scan is needed unless it fails).
    public var uniqueIndex: Statement? = nil
    /// For incremental merges: removes (or, with `strategy: add`, adds into) the published rows with the delta's keys.
    public var merge: [Statement]
    /// When the built rows carry the `_deleted` marker: drops the marked rows and the column
    /// (after `merge` removed their keys, for an incremental build).
    public var stripDeletions: [Statement] = []
    /// For incremental merges: inserts the delta's rows and records the changes.
    public var insert: [Statement] = []
    /// The relation audits read in place of the transform's name (nil: the name itself).
    public var auditTarget: String?
    /// Puts the new version in place (swap); still inside the transaction.
    public var publish: [Statement]
    /// Runs after dependent views point at the new version: drops the old one.
    public var cleanup: [Statement] = []
    /// Runs after the step's transaction commits, outside any transaction: a full build's
    /// `vacuum`, which marks the new table's pages all-visible so readers scan its indexes in
    /// order without visiting the table (what autovacuum would do, minutes later).
    public var afterCommit: [Statement] = []

    static let deltaTable = "clv_delta"

    /// The column named by a transform's row to remove its key instead of storing it.
    public static let deletedMarker = "_deleted"
    /// The step's build sequence number, set in the step's transaction.
    static let buildSeq = "current_setting('clv.build_seq')::bigint"

    /// The statements for `step`. `existingKind` is the relation's current `relkind`, if any;
    /// `columns` the published table's columns in order (an incremental merge names them);
    /// `marksDeletions` whether the built rows carry the `_deleted` marker; `sourceColumns` the
    /// columns of the signed sources (``SignedSources/columns(of:on:)``), which the SQL reads by name.
    public static func make(
        for step: PlanStep, existingKind: String?, columns: [String] = [], marksDeletions: Bool = false,
        sourceColumns: [String: [String]] = [:]
    ) -> BuildScript {
        let transform = step.transform
        let target = Identifier.quoteQualified(transform.name)
        switch step.mode {
        case .view:
            var build: [Statement] = []
            if let existingKind, existingKind != "v" {
                build.append(Statement("drop table \(target) cascade"))
            }
            build.append(
                Statement(
                    prefix: "create or replace view \(target) as\n", body: transform.body, file: transform.file,
                    fileText: transform.text))
            return BuildScript(build: build, keyCheckTarget: transform.name, merge: [], auditTarget: nil, publish: [])
        case .full:
            let staging = Identifier.quoteQualified(transform.stagingName)
            let stagingIndex = Identifier.quote("\(transform.schema)__\(transform.relation)__key")
            let schema = Identifier.quote(transform.schema)
            let build = [
                select(
                    transform, prefix: "create table \(staging) as\n", sourceColumns: sourceColumns, incremental: false)
            ]
            // Index and statistics on the staged table first, so the swap holds its lock briefly.
            let uniqueIndex =
                transform.uniqueKey.isEmpty
                ? nil
                : Statement(
                    "create unique index \(stagingIndex) on \(staging) (\(transform.uniqueKey.map(Identifier.quote).joined(separator: ", ")))"
                )
            // Secondary indexes get build-independent names only after the old table is dropped.
            let indexNames = transform.indexes.indices.map { "\(transform.relation)_index_\($0 + 1)" }
            var publish: [Statement] = zip(transform.indexes, indexNames).map { columns, name in
                Statement(
                    "create index \(Identifier.quote("\(transform.schema)__\(name)")) on \(staging) (\(columns.map(Identifier.quote).joined(separator: ", ")))"
                )
            }
            publish.append(Statement("analyze \(staging)"))
            publish.append(Statement("create schema if not exists \(schema)"))
            let old = Identifier.quote("\(transform.relation)__clv_old")
            switch existingKind {
            case "r": publish.append(Statement("alter table \(target) rename to \(old)"))
            case .some: publish.append(Statement("drop view \(target) cascade"))
            case nil: break
            }
            publish.append(Statement("alter table \(staging) set schema \(schema)"))
            publish.append(
                Statement(
                    "alter table \(schema).\(Identifier.quote("\(transform.schema)__\(transform.relation)")) rename to \(Identifier.quote(transform.relation))"
                ))
            var cleanup: [Statement] = []
            if existingKind == "r" {
                cleanup.append(Statement("drop table \(schema).\(old)"))
            }
            if !transform.uniqueKey.isEmpty {
                cleanup.append(
                    Statement(
                        "alter index \(schema).\(stagingIndex) rename to \(Identifier.quote("\(transform.relation)_unique_key"))"
                    ))
            }
            for name in indexNames {
                cleanup.append(
                    Statement(
                        "alter index \(schema).\(Identifier.quote("\(transform.schema)__\(name)")) rename to \(Identifier.quote(name))"
                    ))
            }
            if transform.keepsChanges {
                let changes = Identifier.quoteQualified(transform.changesName)
                cleanup.append(Statement("drop table if exists \(changes)"))
                cleanup.append(
                    Statement(
                        "create table \(changes) as select 0::bigint as _build_seq, 0::smallint as _sign, t.* from \(target) as t with no data"
                    ))
                cleanup.append(Statement("create index on \(changes) (_build_seq)"))
            }
            return BuildScript(
                build: build, keyCheckTarget: transform.stagingName, uniqueIndex: uniqueIndex, merge: [],
                stripDeletions: stripDeletions(from: staging), auditTarget: transform.stagingName, publish: publish,
                cleanup: cleanup, afterCommit: [Statement("vacuum \(target)")])
        case .incremental:
            var build: [Statement] = []
            var merge: [Statement] = []
            var prefix = "create temp table \(deltaTable) on commit drop as\n"
            var suffix = ""
            if let recompute = transform.recompute {
                // The changed keys first; the plain SQL is then filtered on them.
                let key = Identifier.quote(recompute.key)
                build = [
                    ChangedKeys.statement(recompute, marks: transform.changesBy),
                    Statement("analyze \(ChangedKeys.table)"),
                ]
                prefix += "select * from (\n"
                suffix =
                    "\n) as clv_recomputed where clv_recomputed.\(key) = any(array(select \(key) from \(ChangedKeys.table)))"
                merge =
                    transform.strategy == .replace && !marksDeletions
                    ? [replacement(of: transform, key: recompute.key, columns: columns)]
                    : [vanished(from: transform, key: recompute.key, columns: columns)]
                        + removal(of: transform, columns: columns, marksDeletions: marksDeletions)
            } else {
                merge = removal(of: transform, columns: columns, marksDeletions: marksDeletions)
            }
            build.append(
                select(transform, prefix: prefix, suffix: suffix, sourceColumns: sourceColumns, incremental: true))
            // Statistics, so the merge looks its keys up by index instead of scanning the table.
            build.append(Statement("analyze \(deltaTable)"))
            return BuildScript(
                build: build,
                keyCheckTarget: deltaTable,
                merge: merge,
                stripDeletions: stripDeletions(from: deltaTable),
                insert: transform.strategy == .add ? [] : [insertion(of: transform)],
                auditTarget: nil,
                publish: [])
        }
    }

    /// The transform's statement between `prefix` and `suffix`, its signed sources expanded.
    private static func select(
        _ transform: Transform, prefix: String, suffix: String = "", sourceColumns: [String: [String]],
        incremental: Bool
    ) -> Statement {
        let expanded = SignedSources.expand(
            transform.body, of: transform, columns: sourceColumns, incremental: incremental)
        return Statement(
            prefix: prefix, expanded: expanded, file: transform.file, fileText: transform.text, suffix: suffix)
    }

    /// For `replace`: takes out the published rows the delta changes (a different row with their
    /// key, or a `_deleted` marker), recording them as removed when the transform keeps changes; a
    /// row the delta rebuilt exactly as published stays, so what did not change is neither rewritten
    /// nor recorded as changed. Rows compare as text (every type does, json too, and 1.0 is not
    /// 1.00), with `is distinct from`: an inequality is no join key, so each key is looked up once.
    /// Returns the number of keys the markers removed. For `strategy: add`: adds the delta into the
    /// published rows.
    private static func removal(of transform: Transform, columns: [String], marksDeletions: Bool) -> [Statement] {
        let target = Identifier.quoteQualified(transform.name)
        let keyMatch = keyMatch(of: transform)
        let all = mergedColumns(of: transform, columns)
        let values = valueColumns(of: transform, all)
        switch transform.strategy {
        case .replace:
            let differs = values.isEmpty ? "false" : "\(rowText("t", values)) is distinct from \(rowText("d", values))"
            let condition = marksDeletions ? "(d.\(deletedMarker) or \(differs))" : differs
            let gone = marksDeletions ? "d.\(deletedMarker)" : "false"
            let recorded = recordingRemoved(by: transform, columns: all)
            return [
                Statement(
                    """
                    with removed as (
                        delete from \(target) as t using \(deltaTable) as d where \(keyMatch) and \(condition)
                        returning t.*, \(gone) as _clv_gone
                    )\(recorded)
                    select count(*) filter (where _clv_gone) as removed from removed
                    """)
            ]
        case .add:
            let key = transform.uniqueKey.map(Identifier.quote).joined(separator: ", ")
            let sums = values.map { "\($0) = t.\($0) + excluded.\($0)" }
            let zero = values.map { "t.\($0) = 0" }
            return [
                Statement(
                    """
                    insert into \(target) as t select * from \(deltaTable)
                    on conflict (\(key)) do update set \(sums.joined(separator: ", "))
                    """),
                Statement(
                    """
                    delete from \(target) as t using \(deltaTable) as d
                    where \(keyMatch) and \(zero.joined(separator: " and "))
                    """),
            ]
        }
    }

    /// `t.k = d.k and …` over the unique key: a published row (`t`) and a delta row (`d`) with the same key.
    private static func keyMatch(of transform: Transform) -> String {
        transform.uniqueKey.map { "t.\(Identifier.quote($0)) = d.\(Identifier.quote($0))" }.joined(separator: " and ")
    }

    /// The merged columns besides the unique key, quoted: what a merge compares (or, with
    /// `strategy: add`, adds).
    private static func valueColumns(of transform: Transform, _ all: [String]) -> [String] {
        all.filter { !transform.uniqueKey.contains($0) }.map(Identifier.quote)
    }

    /// `row(alias.v1, …)::text`: a row's values as text, how merges compare rows (every type
    /// compares as text, json too, and 1.0 is not 1.00).
    private static func rowText(_ alias: String, _ values: [String]) -> String {
        "row(\(values.map { "\(alias).\($0)" }.joined(separator: ", ")))::text"
    }

    /// The published table's columns, which a merge names. They are read when the step runs;
    /// without them (`clv plan --sql`) the pattern shows a placeholder.
    private static func mergedColumns(of transform: Transform, _ columns: [String]) -> [String] {
        columns.isEmpty ? transform.uniqueKey + ["<column>"] : columns
    }

    /// When the transform keeps changes: a CTE (after one named `removed`) recording the removed
    /// rows (`_sign` −1) in its changes table; otherwise nothing.
    private static func recordingRemoved(by transform: Transform, columns: [String]) -> String {
        guard transform.keepsChanges else { return "" }
        return """
            , recorded as (
                insert into \(Identifier.quoteQualified(transform.changesName))
                select \(buildSeq), -1, \(columns.map { "r.\(Identifier.quote($0))" }.joined(separator: ", ")) from removed as r
            )
            """
    }

    /// For a declared change set: takes out the published rows of the changed keys that the
    /// recomputation no longer returns, recording them as removed when the transform keeps changes.
    /// Returns the number of rows removed. The keys are read through `any(array(…))`, so the plan
    /// expects a handful and looks each up by the table's key index instead of scanning it.
    private static func vanished(from transform: Transform, key: String, columns: [String]) -> Statement {
        let target = Identifier.quoteQualified(transform.name)
        let recorded = recordingRemoved(by: transform, columns: mergedColumns(of: transform, columns))
        return Statement(
            """
            with removed as (
                delete from \(target) as t
                where t.\(Identifier.quote(key)) = any(array(select \(Identifier.quote(key)) from \(ChangedKeys.table)))
                and not exists (select from \(deltaTable) as d where \(keyMatch(of: transform)))
                returning t.*
            )\(recorded)
            select count(*) as removed from removed
            """)
    }

    /// For a declared change set, `replace`, no `_deleted` markers: takes out, in one pass over the
    /// changed keys' published rows, each row the recomputation no longer returns or returns
    /// different (what ``vanished(from:key:columns:)`` and ``removal(of:columns:marksDeletions:)``
    /// do in two), recording them as removed when the transform keeps changes. Returns the number
    /// of rows whose unique key is gone (the changed ones come back with the insertion).
    private static func replacement(of transform: Transform, key: String, columns: [String]) -> Statement {
        let target = Identifier.quoteQualified(transform.name)
        let all = mergedColumns(of: transform, columns)
        let values = valueColumns(of: transform, all)
        let same = values.isEmpty ? "" : " and \(rowText("t", values)) = \(rowText("d", values))"
        let keyMatch = keyMatch(of: transform)
        let recorded = recordingRemoved(by: transform, columns: all)
        return Statement(
            """
            with removed as (
                delete from \(target) as t
                where t.\(Identifier.quote(key)) = any(array(select \(Identifier.quote(key)) from \(ChangedKeys.table)))
                and not exists (select from \(deltaTable) as d where \(keyMatch)\(same))
                returning t.*, not exists (select from \(deltaTable) as d where \(keyMatch)) as _clv_gone
            )\(recorded)
            select count(*) filter (where _clv_gone) as removed from removed
            """)
    }

    /// For `replace`: inserts the delta's rows whose key is not published any more (the unchanged
    /// rows kept theirs: the unique index, probed by every insert anyway, skips them), recording
    /// them as added when the transform keeps changes. Returns the rows inserted.
    private static func insertion(of transform: Transform) -> Statement {
        let target = Identifier.quoteQualified(transform.name)
        let key = transform.uniqueKey.map(Identifier.quote).joined(separator: ", ")
        let insert = "insert into \(target) select * from \(deltaTable) on conflict (\(key)) do nothing"
        guard transform.keepsChanges else { return Statement(insert) }
        return Statement(
            """
            with added as (\(insert) returning *)
            insert into \(Identifier.quoteQualified(transform.changesName)) select \(buildSeq), 1, a.* from added as a
            """)
    }

    /// Drops the rows marked `_deleted` and the marker column from `table`.
    private static func stripDeletions(from table: String) -> [Statement] {
        [
            Statement("delete from \(table) where \(deletedMarker)"),
            Statement("alter table \(table) drop column \(deletedMarker)"),
        ]
    }

    /// Every statement, in order, for `clv plan --sql`.
    public var allStatements: [String] {
        build.map(\.sql) + (uniqueIndex.map { [$0.sql] } ?? []) + [
            "-- unique_key and audit checks on \(keyCheckTarget)"
        ]
            + merge.map(\.sql)
            + insert.map(\.sql)
            + publish.map(\.sql)
            + cleanup.map(\.sql)
            + (afterCommit.isEmpty ? [] : ["-- after commit"] + afterCommit.map(\.sql))
    }
}
