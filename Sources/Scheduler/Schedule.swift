import Foundation
import Modeling

/// A refresh job from `schedules/*.yaml`.
public struct Schedule: Sendable {
    /// One step of a job, run in order.
    public enum Step: Sendable, Equatable {
        case migrate
        /// Load files matching `path` (a folder or a glob) as `kind`; loaded files move to `done/`.
        case ingest(kind: String, path: String)
        /// Build transforms (all, or a `--select` list).
        case transforms(select: [String])
        case tests
        case rules
        case audiences(names: [String], destinations: [String])
        case dashboards(names: [String])
        /// Fit and score predicted CLV as of the run's UTC date.
        case predict(
            horizonMonths: Int, monthlyDiscount: Double, unit: PredictionOptions.Unit,
            purchases: PredictionOptions.Purchases)

        public var name: String {
            switch self {
            case .migrate: "migrate"
            case .ingest: "ingest"
            case .transforms: "transforms"
            case .tests: "tests"
            case .rules: "rules"
            case .audiences: "audiences"
            case .dashboards: "dashboards"
            case .predict: "predict"
            }
        }
    }

    /// What to do about slots missed while no daemon ran.
    public enum CatchUp: String, Sendable {
        /// Forget them; wait for the next slot.
        case skip
        /// Run once for all of them.
        case once
    }

    public var name: String
    public var file: String
    public var cron: CronExpression
    public var timeZone: TimeZone
    public var steps: [Step]
    public var retryAttempts: Int
    public var retryBackoffSeconds: Int
    public var timeoutSeconds: Int
    public var catchUp: CatchUp
    public var enabled: Bool

    /// The next `count` runs after `instant`.
    public func upcoming(after instant: Date, count: Int) -> [Date] {
        cron.upcoming(after: instant, in: timeZone, count: count)
    }
}
