/// A file refused because of bad rows: each as `FILE:LINE: column: reason`.
public struct BadInputError: Error, CustomStringConvertible, Sendable {
    public var file: String
    /// `(line, reason)`, the first 50.
    public var problems: [(Int, String)]
    public var total: Int

    public var description: String {
        let listed = problems.map { "\(file):\($0.0): \($0.1)" }.joined(separator: "\n")
        let more = total > problems.count ? "\n… and \(total - problems.count) more" : ""
        return
            "\(file): \(total) bad row\(total == 1 ? "" : "s"); nothing was loaded (use --skip-bad-rows to load the good rows)\n"
            + listed + more
    }
}

/// A file that cannot be read as its kind at all (bad header, wrong format).
public struct IngestFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
}
