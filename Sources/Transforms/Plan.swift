import Core
import Foundation

/// Why a transform is (re)built.
public enum BuildReason: Sendable, Equatable, CustomStringConvertible {
    case new
    case changed
    case upstreamChanged([String])
    case newInputData([String])
    case referenceTimeChanged
    case fullRefreshRequested
    /// Reads a source whose changes cannot be found (no `_load_id`, no `changes_by` column).
    case untrackedSource([String])

    public var description: String {
        switch self {
        case .new: "new"
        case .changed: "changed"
        case .upstreamChanged(let names): "upstream changed (\(names.joined(separator: ", ")))"
        case .newInputData(let tables): "new input data (\(tables.joined(separator: ", ")))"
        case .referenceTimeChanged: "reference time changed"
        case .fullRefreshRequested: "full refresh requested"
        case .untrackedSource(let names): "untracked source (\(names.joined(separator: ", ")))"
        }
    }

    /// A short code for JSON output.
    public var code: String {
        switch self {
        case .new: "new"
        case .changed: "changed"
        case .upstreamChanged: "upstream_changed"
        case .newInputData: "new_input_data"
        case .referenceTimeChanged: "reference_time_changed"
        case .fullRefreshRequested: "full_refresh"
        case .untrackedSource: "untracked_source"
        }
    }
}

/// How a step builds its relation.
public enum BuildMode: Sendable, Equatable, CustomStringConvertible {
    /// `create or replace view`.
    case view
    /// Build all rows into a staging table and swap it in.
    case full
    /// Recompute the keys touched by load ids in `since+1 ... watermark` and merge them in.
    case incremental(since: Int64)

    public var description: String {
        switch self {
        case .view: "view"
        case .full: "full"
        case .incremental(let since): "incremental since load \(since)"
        }
    }
}

/// One transform to build.
public struct PlanStep: Sendable {
    public var transform: Transform
    public var reasons: [BuildReason]
    public var mode: BuildMode
    /// True when dependents cannot trust their previous incremental state (new definition or a
    /// wholesale rebuild), so incremental dependents must rebuild in full too.
    public var resetsDependents: Bool
    /// The transform's last successful build, if any: an incremental build reads changes past it.
    public var previous: WarehouseSnapshot.BuildState? = nil
    /// Its `changes_by` sources' marks now (the highest value of each change column), recorded
    /// with the build so the next one reads past them.
    public var sourceMarks: [String: String] = [:]
}

/// What `clv run` would do: steps in build order, and the selected transforms already current.
public struct Plan: Sendable {
    public var steps: [PlanStep]
    public var upToDate: [Transform]
    public var watermark: Int64
    public var asOf: Date
}
