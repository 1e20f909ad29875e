import Core
import Foundation
import PostgresClient

/// Builds one plan step inside one transaction: readers see the old version until it commits,
/// and any failure (SQL error, unique key, audit) rolls everything back.
struct StepBuilder {
    var step: PlanStep
    var catalog: TransformCatalog
    var tests: [DataTest]
    /// Relations that exist now (`relkind` by name).
    var relations: [String: String]
    var plan: Plan
    var runID: Int64

    /// Returns the rows built (all rows for a full build, changed rows for a merge).
    func build(on connection: PostgresConnection) async throws -> Int {
        let transform = step.transform
        let (rows, afterCommit) = try await connection.transaction { connection in
            let since: Int64 = if case .incremental(let since) = step.mode { since } else { 0 }
            let incremental = if case .incremental = step.mode { true } else { false }
            let columns = incremental ? try await publishedColumns(of: transform, on: connection) : []
            if incremental && transform.strategy == .add && columns.count <= transform.uniqueKey.count {
                throw WarehouseError("strategy: add needs number columns besides the unique key", at: transform.file)
            }
            let sourceColumns = try await SignedSources.columns(of: transform, on: connection)
            try SignedSources.checkPresent(sourceColumns, for: transform)
            let script = BuildScript.make(
                for: step, existingKind: relations[transform.name], columns: columns, sourceColumns: sourceColumns)
            let readsAllFacts = step.mode == .full && transform.materialization == .incremental
            let buildSeq = try await connection.query("select nextval('clv_meta.build_seq') as seq")[0]
                .decode(Int64.self, "seq")
            try await configure(
                connection, buildSeq: buildSeq, since: since, incremental: incremental, readsAllFacts: readsAllFacts)
            var rows = 0
            if step.mode == .view {
                try await replaceView(transform, on: connection)
            } else {
                // The first statement creates the rows; any after it (statistics) report none.
                for (index, statement) in script.build.enumerated() {
                    let affected = try await connection.run(statement).affectedRows
                    if index == 0 { rows = affected }
                }
            }
            let marksDeletions =
                step.mode == .view ? false : try await hasDeletedMarker(script.keyCheckTarget, on: connection)
            if step.mode == .full && marksDeletions {
                // The first statement deletes the marked rows: what it removed is what was not built.
                for (index, statement) in script.stripDeletions.enumerated() {
                    let affected = try await connection.run(statement).affectedRows
                    if index == 0 { rows -= affected }
                }
            }
            if let failure = try await checkUniqueKey(transform, script: script, on: connection) { throw failure }
            if incremental {
                // The merge names the marker when the rows carry it. A `replace` merge's rows are the
                // keys it removed plus the rows it inserted (a rebuilt row equal to the published one
                // is neither); an `add` merge's are the delta's.
                let merge = BuildScript.make(
                    for: step, existingKind: relations[transform.name], columns: columns,
                    marksDeletions: marksDeletions)
                let replaces = transform.strategy == .replace
                if replaces { rows = 0 }
                for statement in merge.merge {
                    let result = try await connection.run(statement)
                    if replaces { rows += Int(try result.first?.decode(Int64.self, "removed") ?? 0) }
                }
                if marksDeletions {
                    for statement in merge.stripDeletions { try await connection.run(statement) }
                }
                for statement in merge.insert { rows += try await connection.run(statement).affectedRows }
            }
            // Audits read the whole relation; an incremental merge stays proportional to what changed
            // (its delta's key was checked above), and `clv test` runs every test after it.
            if step.mode == .full || step.mode == .view {
                try await audit(transform, target: script.auditTarget, on: connection)
            }
            for statement in script.publish { try await connection.run(statement) }
            if step.mode == .full, relations[transform.name] != nil {
                try await replaceDependentViews(of: transform.name, on: connection)
            }
            for statement in script.cleanup { try await connection.run(statement) }
            try await recordState(on: connection, rows: rows, buildSeq: buildSeq)
            return (rows, script.afterCommit)
        }
        for statement in afterCommit { try await connection.run(statement) }
        return rows
    }

    /// The step's settings, transaction-local: what the `clv_meta` functions return, and planner
    /// settings for a full build of facts or for lookups of a few keys.
    ///
    /// The `clv.*` values are `set local` commands rather than `set_config` calls: Citus passes
    /// `set local` on to the workers it opens in the transaction (with
    /// `citus.propagate_set_commands = 'local'`, a harmless placeholder on plain PostgreSQL), and a
    /// query it plans in pieces evaluates `clv_meta.since_load()` and its siblings there. Values
    /// set with `set_config` stay on the coordinator, and the workers would build as if in full
    /// mode, silently.
    private func configure(
        _ connection: PostgresConnection, buildSeq: Int64, since: Int64, incremental: Bool, readsAllFacts: Bool
    ) async throws {
        // An incremental build reads its changes_by sources past the marks its last build saw.
        let marks = incremental ? step.previous?.sourceMarks ?? [:] : [:]
        let marksJSON = String(decoding: try JSONEncoder().encode(marks), as: UTF8.self)
        let values: [(String, String)] = [
            ("clv.build_seq", String(buildSeq)),
            ("clv.since_build", String(step.previous?.buildSeq ?? 0)),
            ("clv.previous_as_of", PostgresTimestamp.format(step.previous?.asOf ?? plan.asOf)),
            ("clv.since_load", String(since)),
            ("clv.until_load", String(plan.watermark)),
            ("clv.as_of", PostgresTimestamp.format(plan.asOf)),
            ("clv.is_incremental", incremental ? "on" : "off"),
            ("clv.source_marks", marksJSON),
        ]
        try await connection.executeScript(
            (["set local citus.propagate_set_commands = 'local'"]
                + values.map { "set local \($0.0) = \(Identifier.literal($0.1))" }).joined(separator: ";\n"))
        // Per-customer aggregates of millions of facts hash in memory instead of spilling. An
        // incremental step looks up a few keys' rows by index; the pages are cached, and with the
        // default 4.0 the planner would rather scan whole fact tables.
        try await connection.query(
            """
            select set_config('work_mem', '256MB', true),
                   set_config(
                       'random_page_cost',
                       case when \(incremental) then '1.1' else current_setting('random_page_cost') end, true),
                   -- Parallel workers and JIT pay for themselves only when a full build of a
                   -- fact-sized relation reads millions of rows. Elsewhere (lookups of a few keys,
                   -- small tables) starting workers costs 0.2–0.4 s and compiling a plan 0.3–0.8 s,
                   -- more than the query: plans are costed with their full-build branches.
                   set_config(
                       'max_parallel_workers_per_gather',
                       case when \(readsAllFacts) then current_setting('max_parallel_workers_per_gather') else '0' end,
                       true),
                   set_config('jit', case when \(readsAllFacts) then current_setting('jit') else 'off' end, true)
            """)
    }

    /// Proves `unique_key` unique and not NULL on the new rows. A full build lets its unique index
    /// prove uniqueness (one sort instead of two) and lists the duplicates only when it fails.
    private func checkUniqueKey(_ transform: Transform, script: BuildScript, on connection: PostgresConnection)
        async throws
        -> DataTestRunner.Failure?
    {
        guard !transform.uniqueKey.isEmpty else { return nil }
        guard let index = script.uniqueIndex else {
            return try await DataTestRunner.checkUniqueKey(of: transform, in: script.keyCheckTarget, on: connection)
        }
        if let nulls = try await DataTestRunner.checkUniqueKey(
            of: transform, in: script.keyCheckTarget, on: connection, nullsOnly: true)
        {
            return nulls
        }
        try await connection.executeScript("savepoint clv_unique_key")
        do {
            try await connection.run(index)
            try await connection.executeScript("release savepoint clv_unique_key")
            return nil
        } catch let error as PostgresError where error.sqlState == "23505" {
            try await connection.executeScript("rollback to savepoint clv_unique_key")
            return try await DataTestRunner.checkUniqueKey(of: transform, in: script.keyCheckTarget, on: connection)
        }
    }

    /// Runs every test that audits this transform against the staged rows.
    private func audit(_ transform: Transform, target: String?, on connection: PostgresConnection) async throws {
        for test in tests where test.audits.contains(transform.name) {
            let sql = target.map {
                SQLLexer.replacingReferences(to: transform.name, with: Identifier.quoteQualified($0), in: test.body)
            }
            let context = "audit of \(transform.name): the new version was not published, the previous one stays"
            if let failure = try await DataTestRunner.check(test, sql: sql, context: context, on: connection) {
                throw failure
            }
        }
    }

    /// `create or replace view`; when the columns changed shape, drop and create it instead and
    /// recreate the catalog views that depend on it.
    private func replaceView(_ transform: Transform, on connection: PostgresConnection) async throws {
        let target = Identifier.quoteQualified(transform.name)
        try await connection.executeScript("create schema if not exists \(Identifier.quote(transform.schema))")
        // Read the kind now: a view replaced earlier in this run as a dependent is no longer a table.
        let kind = try await connection.query(
            "select relkind::text as kind from pg_class where oid = to_regclass(\(transform.name))"
        ).first?.decode(String.self, "kind")
        if let kind, kind != "v" {
            try await connection.executeScript("drop table \(target) cascade")
        }
        let create = Statement(
            prefix: "create or replace view \(target) as\n", body: transform.body, file: transform.file,
            fileText: transform.text)
        try await connection.executeScript("savepoint clv_view")
        do {
            try await connection.run(create)
            try await connection.executeScript("release savepoint clv_view")
        } catch let error as WarehouseError where error.sqlState == "42P16" {
            try await connection.executeScript("rollback to savepoint clv_view; drop view \(target) cascade")
            try await connection.run(create)
            try await replaceDependentViews(of: transform.name, leavingLaterSteps: true, on: connection)
        }
    }

    /// Points the existing catalog views that read `name` (directly or through other views) at its
    /// new version. After a `drop … cascade` (`leavingLaterSteps`), a view this run builds later is
    /// left to its own step: its new definition may read relations not built yet.
    private func replaceDependentViews(
        of name: String, leavingLaterSteps: Bool = false, on connection: PostgresConnection
    ) async throws {
        let later =
            leavingLaterSteps
            ? Set(plan.steps.drop { $0.transform.name != step.transform.name }.dropFirst().map(\.transform.name))
            : []
        for dependent in catalog.ordered
        where dependent.materialization == .view && dependent.dependsOn.contains(name)
            && relations[dependent.name] == "v" && !later.contains(dependent.name)
        {
            try await replaceView(dependent, on: connection)
        }
    }

    /// Whether the built rows carry the `_deleted` marker column.
    private func hasDeletedMarker(_ relation: String, on connection: PostgresConnection) async throws -> Bool {
        let name = relation == BuildScript.deltaTable ? relation : Identifier.quoteQualified(relation)
        return try await !connection.query(
            """
            select 1 from pg_attribute
            where attrelid = \(name)::regclass and attname = \(BuildScript.deletedMarker) and not attisdropped
            """
        ).isEmpty
    }

    /// The published table's columns, in order (the delta's, too: both come from the same query).
    private func publishedColumns(of transform: Transform, on connection: PostgresConnection) async throws -> [String] {
        try await connection.query(
            """
            select attname::text as name from pg_attribute
            where attrelid = \(Identifier.quoteQualified(transform.name))::regclass and attnum > 0 and not attisdropped
            order by attnum
            """
        ).map { try $0.decode(String.self, "name") }
    }

    private func recordState(on connection: PostgresConnection, rows: Int, buildSeq: Int64) async throws {
        let transform = step.transform
        let marksJSON = String(decoding: try JSONEncoder().encode(step.sourceMarks), as: UTF8.self)
        try await connection.execute(
            """
            insert into clv_meta.transform_state
                (transform, version, materialized, build_seq, reset_seq, load_watermark, as_of, run_id, rows,
                 source_marks)
            values (\(transform.name), \(transform.version), \(transform.materialization.rawValue),
                    \(buildSeq), \(step.resetsDependents ? buildSeq : 0), \(plan.watermark), \(plan.asOf), \(runID), \(rows),
                    \(marksJSON)::jsonb)
            on conflict (transform) do update set
                version = excluded.version, materialized = excluded.materialized, build_seq = excluded.build_seq,
                reset_seq = greatest(clv_meta.transform_state.reset_seq, excluded.reset_seq),
                load_watermark = excluded.load_watermark, as_of = excluded.as_of, run_id = excluded.run_id,
                built_at = clock_timestamp(), rows = excluded.rows, source_marks = excluded.source_marks
            """)
    }
}
