import Foundation
import Testing

@testable import Core
@testable import Transforms

/// The planner without a database: given a catalog and a warehouse snapshot built here, what is
/// built, in which mode, and why.
@Suite struct PlannerTests {
    static let monday = Date(timeIntervalSince1970: 1_735_516_800)  // 2024-12-30T00:00:00Z
    static let tuesday = Date(timeIntervalSince1970: 1_735_603_200)  // 2024-12-31T00:00:00Z

    /// A transform file with the given header lines and body.
    static func file(_ name: String, _ materialized: String, header: [String] = [], _ body: String) -> String {
        (["-- name: \(name)", "-- materialized: \(materialized)"] + header.map { "-- " + $0 } + [body])
            .joined(separator: "\n")
    }

    /// `raw.conversions` → view `analytics.staged` → incremental `analytics.ledger` → table
    /// `analytics.summary`; and the table `analytics.cohorts` reads `raw.customers` and the reference time.
    static func catalog() throws -> TransformCatalog {
        try TransformCatalog([
            try TransformCatalog.parse(
                file: "staged.sql",
                text: file(
                    "analytics.staged", "view", header: ["depends_on: raw.conversions"],
                    "select id, amount from raw.conversions")),
            try TransformCatalog.parse(
                file: "ledger.sql",
                text: file(
                    "analytics.ledger", "incremental", header: ["unique_key: id", "depends_on: analytics.staged"],
                    "select id, amount from analytics.staged")),
            try TransformCatalog.parse(
                file: "summary.sql",
                text: file(
                    "analytics.summary", "table", header: ["depends_on: analytics.ledger"],
                    "select sum(amount) as amount from analytics.ledger")),
            try TransformCatalog.parse(
                file: "cohorts.sql",
                text: file(
                    "analytics.cohorts", "table", header: ["depends_on: raw.customers"],
                    "select count(*) as customers from raw.customers where signup_at < clv_meta.as_of()")),
        ])
    }

    /// A build of `name` at its current version: build sequence `seq`, load watermark 10, at `monday`.
    static func built(
        _ catalog: TransformCatalog, _ name: String, seq: Int64, resetSeq: Int64? = nil, version: String? = nil
    ) -> WarehouseSnapshot.BuildState {
        let transform = catalog[name]!
        return WarehouseSnapshot.BuildState(
            version: version ?? transform.version, materialization: transform.materialization, buildSeq: seq,
            resetSeq: resetSeq ?? seq, loadWatermark: 10, asOf: monday)
    }

    /// Everything built once, in order, after loads up to 10; `rawLoads` says how far loads reach now.
    static func current(_ catalog: TransformCatalog, rawLoads: [String: Int64] = [:]) -> WarehouseSnapshot {
        WarehouseSnapshot(
            relations: [
                "raw.conversions": "r", "raw.customers": "r", "analytics.staged": "v", "analytics.ledger": "r",
                "analytics.summary": "r", "analytics.cohorts": "r",
            ],
            states: [
                "analytics.staged": built(catalog, "analytics.staged", seq: 1),
                "analytics.ledger": built(catalog, "analytics.ledger", seq: 2),
                "analytics.summary": built(catalog, "analytics.summary", seq: 3),
                "analytics.cohorts": built(catalog, "analytics.cohorts", seq: 4),
            ],
            rawLoads: ["raw.conversions": 10, "raw.customers": 10].merging(rawLoads) { $1 }, watermark: 12)
    }

    static func plan(
        _ catalog: TransformCatalog, _ snapshot: WarehouseSnapshot, selected: Set<String>? = nil,
        fullRefresh: Bool = false, asOf: Date = monday
    ) throws -> Plan {
        try Planner(
            catalog: catalog, selected: selected ?? Set(catalog.ordered.map(\.name)), fullRefresh: fullRefresh,
            asOf: asOf
        ).plan(snapshot)
    }

    /// `name [mode] reason; reason` per step.
    static func summary(_ plan: Plan) -> [String] {
        plan.steps.map { step in
            "\(step.transform.name) [\(step.mode)] \(step.reasons.map(\.description).joined(separator: "; "))"
        }
    }

    @Test func anEmptyWarehouseBuildsEverythingInFull() throws {
        let catalog = try Self.catalog()
        let snapshot = WarehouseSnapshot(
            relations: ["raw.conversions": "r", "raw.customers": "r"], states: [:],
            rawLoads: ["raw.conversions": 3, "raw.customers": 2], watermark: 3)
        let plan = try Self.plan(catalog, snapshot)
        #expect(
            Self.summary(plan) == [
                "analytics.cohorts [full] new",
                "analytics.staged [view] new",
                "analytics.ledger [full] new; upstream changed (analytics.staged)",
                "analytics.summary [full] new; upstream changed (analytics.ledger)",
            ])
        #expect(plan.steps.map(\.resetsDependents) == [true, true, true, true])
        #expect(plan.upToDate.isEmpty)
        #expect(plan.watermark == 3)
    }

    @Test func aCurrentWarehouseHasNothingToDo() throws {
        let catalog = try Self.catalog()
        let plan = try Self.plan(catalog, Self.current(catalog))
        #expect(plan.steps.isEmpty)
        #expect(
            plan.upToDate.map(\.name) == [
                "analytics.cohorts", "analytics.staged", "analytics.ledger", "analytics.summary",
            ])
    }

    @Test func newLoadsUnderAViewMakeTheIncrementalReaderMergeAndTheTableRebuild() throws {
        let catalog = try Self.catalog()
        let plan = try Self.plan(catalog, Self.current(catalog, rawLoads: ["raw.conversions": 12]))
        // The view itself needs nothing; the ledger reads raw.conversions through it.
        #expect(
            Self.summary(plan) == [
                "analytics.ledger [incremental since load 10] new input data (raw.conversions)",
                "analytics.summary [full] upstream changed (analytics.ledger)",
            ])
        #expect(plan.steps.map(\.resetsDependents) == [false, true])
        #expect(plan.steps[0].previous?.buildSeq == 2)
        #expect(plan.upToDate.map(\.name) == ["analytics.cohorts", "analytics.staged"])
    }

    @Test func aChangedFileRebuildsItInFullAndItsReadersToo() throws {
        let catalog = try Self.catalog()
        var snapshot = Self.current(catalog)
        snapshot.states["analytics.ledger"] = Self.built(catalog, "analytics.ledger", seq: 2, version: "an older file")
        #expect(
            Self.summary(try Self.plan(catalog, snapshot)) == [
                "analytics.ledger [full] changed",
                "analytics.summary [full] upstream changed (analytics.ledger)",
            ])
        // A view's changed file replaces the view; the incremental reader under it starts over.
        snapshot = Self.current(catalog)
        snapshot.states["analytics.staged"] = Self.built(catalog, "analytics.staged", seq: 1, version: "an older file")
        #expect(
            Self.summary(try Self.plan(catalog, snapshot)) == [
                "analytics.staged [view] changed",
                "analytics.ledger [full] upstream changed (analytics.staged)",
                "analytics.summary [full] upstream changed (analytics.ledger)",
            ])
    }

    @Test func aFullRefreshRebuildsTablesButNotViews() throws {
        let catalog = try Self.catalog()
        #expect(
            Self.summary(try Self.plan(catalog, Self.current(catalog), fullRefresh: true)) == [
                "analytics.cohorts [full] full refresh requested",
                "analytics.ledger [full] full refresh requested",
                "analytics.summary [full] full refresh requested; upstream changed (analytics.ledger)",
            ])
    }

    @Test func aNewReferenceTimeRebuildsOnlyWhatReadsIt() throws {
        let catalog = try Self.catalog()
        #expect(
            Self.summary(try Self.plan(catalog, Self.current(catalog), asOf: Self.tuesday)) == [
                "analytics.cohorts [full] reference time changed"
            ])
    }

    @Test func anIncrementalTransformFollowsANewReferenceTimeItself() throws {
        let catalog = try TransformCatalog([
            try TransformCatalog.parse(
                file: "open.sql",
                text: Self.file(
                    "analytics.open", "incremental", header: ["unique_key: id", "depends_on: raw.conversions"],
                    "select id from raw.conversions where occurred_at < clv_meta.as_of()"))
        ])
        let snapshot = WarehouseSnapshot(
            relations: ["raw.conversions": "r", "analytics.open": "r"],
            states: ["analytics.open": Self.built(catalog, "analytics.open", seq: 1)],
            rawLoads: ["raw.conversions": 10], watermark: 10)
        #expect(
            Self.summary(try Self.plan(catalog, snapshot, asOf: Self.tuesday)) == [
                "analytics.open [incremental since load 10] reference time changed"
            ])
    }

    @Test func anUpstreamRebuiltInAnEarlierRunIsFollowed() throws {
        let catalog = try Self.catalog()
        // The ledger was merged after the summary's last build: the summary (a table) rebuilds.
        var snapshot = Self.current(catalog)
        snapshot.states["analytics.ledger"] = Self.built(catalog, "analytics.ledger", seq: 5, resetSeq: 2)
        #expect(
            Self.summary(try Self.plan(catalog, snapshot)) == [
                "analytics.summary [full] upstream changed (analytics.ledger)"
            ])
        // The view under the ledger was replaced after the ledger's last build: the ledger starts over.
        snapshot = Self.current(catalog)
        snapshot.states["analytics.staged"] = Self.built(catalog, "analytics.staged", seq: 7)
        #expect(
            Self.summary(try Self.plan(catalog, snapshot)) == [
                "analytics.ledger [full] upstream changed (analytics.staged)",
                "analytics.summary [full] upstream changed (analytics.ledger)",
            ])
    }

    @Test func anIncrementalReaderMergesAfterAnUpstreamMergeAndStartsOverAfterAReset() throws {
        let catalog = try TransformCatalog([
            try TransformCatalog.parse(
                file: "a.sql",
                text: Self.file(
                    "analytics.a", "incremental", header: ["unique_key: id", "depends_on: raw.conversions"],
                    "select id from raw.conversions")),
            try TransformCatalog.parse(
                file: "b.sql",
                text: Self.file(
                    "analytics.b", "incremental", header: ["unique_key: id", "depends_on: analytics.a"],
                    "select id from analytics.a")),
        ])
        func snapshot(aReset: Int64) -> WarehouseSnapshot {
            WarehouseSnapshot(
                relations: ["raw.conversions": "r", "analytics.a": "r", "analytics.b": "r"],
                states: [
                    "analytics.a": Self.built(catalog, "analytics.a", seq: 5, resetSeq: aReset),
                    "analytics.b": Self.built(catalog, "analytics.b", seq: 3),
                ],
                rawLoads: ["raw.conversions": 10], watermark: 10)
        }
        #expect(
            Self.summary(try Self.plan(catalog, snapshot(aReset: 1))) == [
                "analytics.b [incremental since load 10] upstream changed (analytics.a)"
            ])
        #expect(
            Self.summary(try Self.plan(catalog, snapshot(aReset: 4))) == [
                "analytics.b [full] upstream changed (analytics.a)"
            ])
    }

    @Test func aSelectionPlansOnlyItAndTheMissingViewsItReads() throws {
        let catalog = try Self.catalog()
        var snapshot = Self.current(catalog, rawLoads: ["raw.conversions": 12, "raw.customers": 12])
        // The summary reads the ledger (a table), not raw.conversions: selected alone it is current.
        #expect(try Self.plan(catalog, snapshot, selected: ["analytics.summary"]).steps.isEmpty)
        #expect(
            Self.summary(try Self.plan(catalog, snapshot, selected: ["analytics.cohorts"])) == [
                "analytics.cohorts [full] new input data (raw.customers)"
            ])
        // A dropped view under the selection is created with it.
        snapshot.relations["analytics.staged"] = nil
        #expect(
            Self.summary(try Self.plan(catalog, snapshot, selected: ["analytics.ledger"])) == [
                "analytics.staged [view] new",
                "analytics.ledger [full] upstream changed (analytics.staged); new input data (raw.conversions)",
            ])
    }

    @Test func aSourceMissingFromTheDatabaseNamesTheTransformsFile() throws {
        let catalog = try Self.catalog()
        var snapshot = Self.current(catalog)
        snapshot.relations["raw.customers"] = nil
        let error = #expect(throws: WarehouseError.self) { try Self.plan(catalog, snapshot) }
        #expect(error?.location == "cohorts.sql")
        #expect(error?.message == "depends on raw.customers, which does not exist in the database (run clv migrate?)")
    }

    @Test func anUntrackedSourceRebuildsUnlessItsChangeColumnSaysWhatChanged() throws {
        let untracked = try TransformCatalog([
            try TransformCatalog.parse(
                file: "orders.sql",
                text: Self.file(
                    "analytics.orders", "incremental", header: ["unique_key: id", "depends_on: crm.orders"],
                    "select id from crm.orders"))
        ])
        let tracked = try TransformCatalog([
            try TransformCatalog.parse(
                file: "orders.sql",
                text: Self.file(
                    "analytics.orders", "incremental",
                    header: ["unique_key: id", "depends_on: crm.orders", "changes_by: crm.orders.updated_at"],
                    "select id from crm.orders"))
        ])
        func snapshot(_ catalog: TransformCatalog, mark: String) -> WarehouseSnapshot {
            var state = Self.built(catalog, "analytics.orders", seq: 1)
            state.sourceMarks = catalog["analytics.orders"]!.changesBy.isEmpty ? [:] : ["crm.orders": "2025-01-01"]
            return WarehouseSnapshot(
                relations: ["crm.orders": "r", "analytics.orders": "r"], states: ["analytics.orders": state],
                rawLoads: [:], untracked: ["crm.orders"],
                sourceMarks: catalog["analytics.orders"]!.changesBy.isEmpty ? [:] : ["crm.orders": mark],
                watermark: 10)
        }
        #expect(
            Self.summary(try Self.plan(untracked, snapshot(untracked, mark: "2025-01-01"))) == [
                "analytics.orders [full] untracked source (crm.orders)"
            ])
        #expect(try Self.plan(tracked, snapshot(tracked, mark: "2025-01-01")).steps.isEmpty)
        let moved = try Self.plan(tracked, snapshot(tracked, mark: "2025-01-02"))
        #expect(Self.summary(moved) == ["analytics.orders [incremental since load 10] new input data (crm.orders)"])
        #expect(moved.steps[0].sourceMarks == ["crm.orders": "2025-01-02"])
    }
}
