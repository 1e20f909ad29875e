/// What one file load did.
public struct LoadSummary: Sendable, Codable {
    public var file: String
    public var kind: String
    public var loadID: Int64?
    /// Records read (good and bad).
    public var rowsRead: Int
    /// New rows.
    public var inserted: Int
    /// Existing rows whose values changed (corrections, newly known dimensions).
    public var updated: Int
    /// Rows already present with the same values, or repeated within the file.
    public var duplicates: Int
    /// Bad rows written to the rejects file (with --skip-bad-rows).
    public var rejected: Int
    /// Manual revenue rows for clicks whose postback already delivered revenue (kept, not counted twice).
    public var supersededByPostback: Int
    public var seconds: Double
    /// Set when an identical file was loaded before: nothing was done.
    public var alreadyLoadedAs: Int64?
    public var rejectsFile: String?
    /// Things the file should change, though it loaded (e.g. a column under its former name).
    public var warnings: [String] = []

    public var rowsPerSecond: Double { seconds > 0 ? Double(rowsRead) / seconds : 0 }
}
