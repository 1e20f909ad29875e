import Core
import Foundation

/// Decides what to build and why, from the catalog and a snapshot. Pure: no I/O.
public struct Planner: Sendable {
    public var catalog: TransformCatalog
    public var selected: Set<String>
    public var fullRefresh: Bool
    public var asOf: Date

    public init(catalog: TransformCatalog, selected: Set<String>, fullRefresh: Bool, asOf: Date) {
        self.catalog = catalog
        self.selected = selected
        self.fullRefresh = fullRefresh
        self.asOf = asOf
    }

    public func plan(_ snapshot: WarehouseSnapshot) throws -> Plan {
        var steps: [String: PlanStep] = [:]
        var ordered: [PlanStep] = []
        var upToDate: [Transform] = []
        let selected = selected.union(missingViews(upstreamOf: selected, in: snapshot))
        for transform in catalog.ordered where selected.contains(transform.name) {
            for dependency in transform.dependsOn
            where catalog[dependency] == nil && snapshot.relations[dependency] == nil {
                throw WarehouseError(
                    "depends on \(dependency), which does not exist in the database (run clv migrate?)",
                    at: transform.file)
            }
            let state = snapshot.states[transform.name]
            var reasons: [BuildReason] = []
            if state == nil || snapshot.relations[transform.name] == nil {
                reasons.append(.new)
            } else if state!.version != transform.version || state!.materialization != transform.materialization {
                reasons.append(.changed)
            }
            if fullRefresh && transform.materialization != .view && reasons.isEmpty {
                reasons.append(.fullRefreshRequested)
            }
            let upstream = upstreamTransforms(of: transform).filter { dependency in
                if steps[dependency] != nil { return true }
                guard let mine = state, let theirs = snapshot.states[dependency] else { return false }
                return theirs.buildSeq > mine.buildSeq
            }
            let sources = sources(of: transform)
            let marks = snapshot.sourceMarks.filter { transform.changesBy[$0.key] != nil }
            // Sources without load ids or a change column: nothing says what changed, so rebuild.
            let untracked = sources.filter { snapshot.untracked.contains($0) && transform.changesBy[$0] == nil }
            if transform.materialization != .view {
                if !upstream.isEmpty { reasons.append(.upstreamChanged(upstream)) }
                if let state {
                    let fresh = sources.filter {
                        (snapshot.rawLoads[$0] ?? 0) > state.loadWatermark
                            || (transform.changesBy[$0] != nil && marks[$0] != state.sourceMarks[$0])
                    }
                    if !fresh.isEmpty { reasons.append(.newInputData(fresh)) }
                    if transform.usesReferenceTime && state.asOf != asOf { reasons.append(.referenceTimeChanged) }
                    if !untracked.isEmpty { reasons.append(.untrackedSource(untracked)) }
                }
            }
            guard !reasons.isEmpty else {
                upToDate.append(transform)
                continue
            }
            // An incremental transform follows a moved reference time itself (clv_meta.previous_as_of()).
            // So does one whose untracked sources say nothing of what changed.
            let definitionReset =
                !untracked.isEmpty
                || reasons.contains {
                    [.new, .changed, .fullRefreshRequested].contains($0)
                        || ($0 == .referenceTimeChanged && transform.materialization != .incremental)
                }
            // Upstream rebuilt in full in this run, or in an earlier run after this transform's last build.
            let upstreamReset = upstream.contains { dependency in
                if let step = steps[dependency] { return step.resetsDependents }
                guard let mine = state, let theirs = snapshot.states[dependency] else { return false }
                return theirs.resetSeq > mine.buildSeq
            }
            let mode: BuildMode
            switch transform.materialization {
            case .view: mode = .view
            case .table: mode = .full
            case .incremental:
                mode = definitionReset || upstreamReset ? .full : .incremental(since: state!.loadWatermark)
            }
            let step = PlanStep(
                transform: transform, reasons: reasons, mode: mode,
                resetsDependents: definitionReset || upstreamReset || transform.materialization == .table,
                previous: state, sourceMarks: marks)
            steps[transform.name] = step
            ordered.append(step)
        }
        return Plan(steps: ordered, upToDate: upToDate, watermark: snapshot.watermark, asOf: asOf)
    }

    /// Views the selection reads (directly or through other views) that do not exist yet: creating
    /// one costs nothing, so selecting a transform does not require naming them too.
    func missingViews(upstreamOf selected: Set<String>, in snapshot: WarehouseSnapshot) -> Set<String> {
        var missing: Set<String> = []
        var pending = Array(selected)
        while let name = pending.popLast() {
            for dependency in catalog[name]?.dependsOn ?? [] {
                guard let upstream = catalog[dependency], upstream.materialization == .view,
                    snapshot.relations[dependency] == nil, !selected.contains(dependency),
                    missing.insert(dependency).inserted
                else { continue }
                pending.append(dependency)
            }
        }
        return missing
    }

    /// The transforms a transform reads, directly or through the views it reads (the views too):
    /// a table under a view changes what the view returns.
    func upstreamTransforms(of transform: Transform) -> [String] {
        var names: [String] = []
        for dependency in transform.dependsOn {
            guard let upstream = catalog[dependency] else { continue }
            names.append(dependency)
            if upstream.materialization == .view { names += upstreamTransforms(of: upstream) }
        }
        return Array(Set(names)).sorted()
    }

    /// The sources (raw tables and other relations no transform builds) a transform reads,
    /// directly or through the views it reads.
    func sources(of transform: Transform) -> [String] {
        var inputs: [String] = []
        for dependency in transform.dependsOn {
            if let upstream = catalog[dependency] {
                if upstream.materialization == .view { inputs += sources(of: upstream) }
            } else {
                inputs.append(dependency)
            }
        }
        return Array(Set(inputs)).sorted()
    }
}
