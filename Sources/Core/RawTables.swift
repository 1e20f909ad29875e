/// How raw tables and their history are named: the loader writes the history (the row versions
/// its merges replace) and the engine reads it, under one rule.
public enum RawTables {
    /// The schema of the tables clv loads.
    public static let schema = "raw"
    /// The schema of their replaced row versions.
    public static let historySchema = "raw_history"

    /// `raw_history.X`, which keeps the versions of `raw.X`'s rows that changes replaced.
    public static func historyName(of rawTable: String) -> String {
        historySchema + "." + rawTable.dropFirst(schema.count + 1)
    }
}
