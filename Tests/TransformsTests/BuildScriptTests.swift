import Testing

@testable import Core
@testable import Transforms

/// The statements a build step sends, without a database: a view, a full table build and swap, and
/// incremental merges by `replace` and `add`, with deletion markers and recorded changes.
@Suite struct BuildScriptTests {
    static func transform(
        _ materialized: String, header: [String] = [], body: String = "select id, amount from raw.facts"
    )
        throws -> Transform
    {
        let text =
            (["-- name: analytics.t", "-- materialized: \(materialized)", "-- depends_on: raw.facts"]
            + header.map { "-- " + $0 } + [body + ";\n"]).joined(separator: "\n")
        return try TransformCatalog.parse(file: "sql/transforms/t.sql", text: text)
    }

    static func script(
        _ transform: Transform, _ mode: BuildMode, existing: String?, columns: [String] = [],
        marksDeletions: Bool = false
    ) -> BuildScript {
        BuildScript.make(
            for: PlanStep(transform: transform, reasons: [.new], mode: mode, resetsDependents: true),
            existingKind: existing, columns: columns, marksDeletions: marksDeletions)
    }

    @Test func aViewIsCreatedOrReplacedFromTheFileWithoutItsTrailingSemicolon() throws {
        let view = try Self.transform("view")
        let script = Self.script(view, .view, existing: nil)
        #expect(script.build.map(\.sql) == ["create or replace view \"analytics\".\"t\" as\n" + view.body])
        #expect(view.body.hasSuffix("select id, amount from raw.facts"))
        #expect(script.publish.isEmpty && script.merge.isEmpty && script.cleanup.isEmpty)
        #expect(script.keyCheckTarget == "analytics.t")
        // A table of the same name goes first.
        #expect(
            Self.script(view, .view, existing: "r").build.first?.sql == "drop table \"analytics\".\"t\" cascade")
    }

    @Test func aFullBuildStagesIndexesAndSwapsTheTableIn() throws {
        let table = try Self.transform("table", header: ["unique_key: id", "indexes: (amount, id)"])
        let script = Self.script(table, .full, existing: "r")
        #expect(script.build.map(\.sql) == ["create table \"clv_staging\".\"analytics__t\" as\n" + table.body])
        #expect(
            script.uniqueIndex?.sql
                == "create unique index \"analytics__t__key\" on \"clv_staging\".\"analytics__t\" (\"id\")")
        #expect(
            script.publish.map(\.sql) == [
                "create index \"analytics__t_index_1\" on \"clv_staging\".\"analytics__t\" (\"amount\", \"id\")",
                "analyze \"clv_staging\".\"analytics__t\"",
                "create schema if not exists \"analytics\"",
                "alter table \"analytics\".\"t\" rename to \"t__clv_old\"",
                "alter table \"clv_staging\".\"analytics__t\" set schema \"analytics\"",
                "alter table \"analytics\".\"analytics__t\" rename to \"t\"",
            ])
        #expect(
            script.cleanup.map(\.sql) == [
                "drop table \"analytics\".\"t__clv_old\"",
                "alter index \"analytics\".\"analytics__t__key\" rename to \"t_unique_key\"",
                "alter index \"analytics\".\"analytics__t_index_1\" rename to \"t_index_1\"",
            ])
        #expect(script.keyCheckTarget == "clv_staging.analytics__t")
        #expect(script.auditTarget == "clv_staging.analytics__t")
        #expect(
            script.stripDeletions.map(\.sql) == [
                "delete from \"clv_staging\".\"analytics__t\" where _deleted",
                "alter table \"clv_staging\".\"analytics__t\" drop column _deleted",
            ])
    }

    @Test func aFullBuildReplacingAViewDropsItAndAFirstBuildHasNothingToMoveAside() throws {
        let table = try Self.transform("table")
        let overView = Self.script(table, .full, existing: "v")
        #expect(overView.uniqueIndex == nil)
        #expect(overView.publish.map(\.sql).contains("drop view \"analytics\".\"t\" cascade"))
        #expect(!overView.publish.map(\.sql).contains { $0.contains("__clv_old") })
        #expect(overView.cleanup.isEmpty)
        let first = Self.script(table, .full, existing: nil)
        #expect(!first.publish.map(\.sql).contains { $0.hasPrefix("drop") || $0.contains("__clv_old") })
    }

    @Test func aFullBuildOfATransformThatKeepsChangesStartsAnEmptyChangesTable() throws {
        let table = try Self.transform("incremental", header: ["unique_key: id", "keeps_changes: true"])
        #expect(
            Self.script(table, .full, existing: nil).cleanup.map(\.sql) == [
                "alter index \"analytics\".\"analytics__t__key\" rename to \"t_unique_key\"",
                "drop table if exists \"clv_changes\".\"analytics__t\"",
                "create table \"clv_changes\".\"analytics__t\" as select 0::bigint as _build_seq, 0::smallint as _sign, t.* from \"analytics\".\"t\" as t with no data",
                "create index on \"clv_changes\".\"analytics__t\" (_build_seq)",
            ])
    }

    @Test func anIncrementalReplaceBuildsADeltaRemovesChangedRowsAndInsertsNewOnes() throws {
        let incremental = try Self.transform("incremental", header: ["unique_key: id"])
        let script = Self.script(incremental, .incremental(since: 4), existing: "r", columns: ["id", "amount", "note"])
        #expect(
            script.build.map(\.sql) == [
                "create temp table clv_delta on commit drop as\n" + incremental.body, "analyze clv_delta",
            ])
        #expect(script.keyCheckTarget == "clv_delta")
        #expect(script.auditTarget == nil)
        #expect(script.publish.isEmpty)
        #expect(
            script.merge.map(\.sql) == [
                """
                with removed as (
                    delete from "analytics"."t" as t using clv_delta as d where t."id" = d."id" and row(t."amount", t."note")::text is distinct from row(d."amount", d."note")::text
                    returning t.*, false as _clv_gone
                )
                select count(*) filter (where _clv_gone) as removed from removed
                """
            ])
        #expect(
            script.insert.map(\.sql) == [
                "insert into \"analytics\".\"t\" select * from clv_delta on conflict (\"id\") do nothing"
            ])
    }

    @Test func deletionMarkersRemoveTheirKeysAndAreCounted() throws {
        let incremental = try Self.transform("incremental", header: ["unique_key: id"])
        let script = Self.script(
            incremental, .incremental(since: 4), existing: "r", columns: ["id", "amount"], marksDeletions: true)
        let merge = try #require(script.merge.first?.sql)
        #expect(
            merge.contains(
                "where t.\"id\" = d.\"id\" and (d._deleted or row(t.\"amount\")::text is distinct from row(d.\"amount\")::text)"
            ))
        #expect(merge.contains("returning t.*, d._deleted as _clv_gone"))
        #expect(
            script.stripDeletions.map(\.sql) == [
                "delete from clv_delta where _deleted", "alter table clv_delta drop column _deleted",
            ])
    }

    @Test func anIncrementalReplaceThatKeepsChangesRecordsRemovedAndAddedRows() throws {
        let incremental = try Self.transform("incremental", header: ["unique_key: id", "keeps_changes: true"])
        let script = Self.script(incremental, .incremental(since: 4), existing: "r", columns: ["id", "amount"])
        let merge = try #require(script.merge.first?.sql)
        #expect(
            merge.contains(
                """
                , recorded as (
                    insert into "clv_changes"."analytics__t"
                    select current_setting('clv.build_seq')::bigint, -1, r."id", r."amount" from removed as r
                )
                """))
        #expect(
            script.insert.map(\.sql) == [
                """
                with added as (insert into "analytics"."t" select * from clv_delta on conflict ("id") do nothing returning *)
                insert into "clv_changes"."analytics__t" select current_setting('clv.build_seq')::bigint, 1, a.* from added as a
                """
            ])
    }

    @Test func anIncrementalAddSumsIntoTheKeysRowsAndDropsRowsThatReachZero() throws {
        let incremental = try Self.transform("incremental", header: ["unique_key: day, offer", "strategy: add"])
        let script = Self.script(
            incremental, .incremental(since: 4), existing: "r", columns: ["day", "offer", "orders", "revenue"])
        #expect(
            script.merge.map(\.sql) == [
                """
                insert into "analytics"."t" as t select * from clv_delta
                on conflict ("day", "offer") do update set "orders" = t."orders" + excluded."orders", "revenue" = t."revenue" + excluded."revenue"
                """,
                """
                delete from "analytics"."t" as t using clv_delta as d
                where t."day" = d."day" and t."offer" = d."offer" and t."orders" = 0 and t."revenue" = 0
                """,
            ])
        #expect(script.insert.isEmpty)
    }

    @Test func planSQLListsEveryStatementWithTheChecksInPlace() throws {
        let incremental = try Self.transform("incremental", header: ["unique_key: id"])
        let statements = Self.script(incremental, .incremental(since: 4), existing: "r", columns: ["id", "amount"])
            .allStatements
        #expect(statements.count == 5)
        #expect(statements[0].hasPrefix("create temp table clv_delta on commit drop as\n"))
        #expect(statements[1] == "analyze clv_delta")
        #expect(statements[2] == "-- unique_key and audit checks on clv_delta")
        #expect(statements[3].hasPrefix("with removed as ("))
        #expect(statements[4].hasPrefix("insert into \"analytics\".\"t\" select * from clv_delta"))
        // Without the columns (as `clv plan --sql` shows it before the table exists), a placeholder.
        let pattern = Self.script(incremental, .incremental(since: 4), existing: nil).allStatements[3]
        #expect(pattern.contains("row(t.\"<column>\")::text is distinct from row(d.\"<column>\")::text"))
    }
}
