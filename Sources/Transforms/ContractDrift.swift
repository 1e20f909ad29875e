import Core

/// Where the documented contract and the built relations disagree: every problem found, each with
/// its file (and line, for a column line) and what to do.
public struct ContractDrift: Error, Sendable, CustomStringConvertible {
    public var problems: [WarehouseError]

    public init(_ problems: [WarehouseError]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return (["the contract cannot be generated (\(count)):"] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}
