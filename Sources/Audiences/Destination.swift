import Foundation

/// Where an audience is exported: a drop folder of files, or an HTTP list API.
public struct Destination: Sendable {
    /// The transport and its settings.
    public enum Kind: Sendable {
        case file(FileSettings)
        case http(HTTPSettings)
    }

    /// File drops for ESP imports.
    public struct FileSettings: Sendable {
        public var format: FileLayout.Format
        /// The drop folder (absolute).
        public var folder: URL
        /// Rows per file; larger change sets are split into parts.
        public var maxRowsPerFile: Int
        /// Bytes per file, when set: a part is cut before it grows past this.
        public var maxFileBytes: Int?
    }

    /// A webhook or ESP-style list API receiving JSON batches.
    public struct HTTPSettings: Sendable {
        public var url: URL
        /// Extra request headers; `${VAR}` is read from the environment.
        public var headers: [String: String]
        /// Most requests started per second (nil: no limit).
        public var requestsPerSecond: Double?
        /// Most batches sent at once: while they travel, the next ones are read and confirmed ones recorded.
        public var maxInFlight: Int
        /// Attempts per batch on 5xx and transport errors before giving up.
        public var maxAttempts: Int
        /// First backoff; doubles each attempt (a `Retry-After` header wins).
        public var backoffSeconds: Double
        /// 429 answers are back-pressure: waited out (honouring `Retry-After`) up to this many times per batch.
        public var maxThrottledRetries: Int
        public var timeoutSeconds: Double
    }

    public var name: String
    public var kind: Kind
    /// Members per batch (one HTTP request, or one file part when smaller than maxRowsPerFile).
    public var batchSize: Int
    /// Send SHA-256 (lowercase hex) of the normalised email instead of the email.
    public var hashIdentity: Bool
    /// A sync that would remove more than this share of the destination's members stops first.
    public var maxRemovalShare: Double

    /// The SQL expression of the identity the destination receives from `column` (a normalised
    /// email): the email itself, or its SHA-256 in lowercase hex when it wants hashed identifiers.
    func identitySQL(_ column: String) -> String {
        hashIdentity ? "encode(sha256(convert_to(\(column), 'UTF8')), 'hex')" : column
    }

    /// Most batches in delivery at once: HTTP requests overlap; files are written one by one.
    var maxInFlight: Int {
        if case .http(let settings) = kind { return settings.maxInFlight }
        return 1
    }
}
