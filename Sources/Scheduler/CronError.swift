/// A cron expression that cannot be parsed: which field and why.
public struct CronError: Error, CustomStringConvertible, Sendable, Equatable {
    /// `minute`, `hour`, `day-of-month`, `month`, `day-of-week`, or `expression`.
    public var field: String
    public var reason: String

    public var description: String { "\(field): \(reason)" }
}
