/// A problem in a configuration file: `FILE: field: reason`.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Relative to the project folder, e.g. `schedules/nightly.yaml`.
    public var file: String
    /// The field path, e.g. `cron`, `retries.backoff`, `steps[2]`.
    public var field: String
    public var reason: String

    public init(file: String, field: String, reason: String) {
        self.file = file
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(file): \(field): \(reason)" }
}

/// Every problem found in a configuration folder, printed one per line.
public struct ConfigErrors: Error, CustomStringConvertible, Sendable {
    public var errors: [ConfigError]

    public init(errors: [ConfigError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
