import ArgumentParser
import Testing

@testable import clv

/// Every leaf command of `clv` has a parsing case, so a command cannot be added untested.
@Suite struct CommandCoverageTests {
    /// The leaf commands under `command`, each with its path (e.g. `db start`).
    static func leaves(of command: any ParsableCommand.Type, path: [String] = []) -> [(String, ObjectIdentifier)] {
        let subcommands = command.configuration.subcommands
        let here = ObjectIdentifier(command) == ObjectIdentifier(CLV.self) ? path : path + [command._commandName]
        guard !subcommands.isEmpty else { return [(here.joined(separator: " "), ObjectIdentifier(command))] }
        return subcommands.flatMap { leaves(of: $0, path: here) }
    }

    @Test func everyLeafCommandHasAParsingCase() {
        let covered = Set(ParsingCase.all.map(\.command))
        let leaves = Self.leaves(of: CLV.self)
        let untested = leaves.filter { !covered.contains($0.1) }.map(\.0)
        #expect(untested == [], "commands without a parsing case in Tests/CLVCommandTests")
        // The walk reaches into every group: a sanity check on the walk itself.
        for path in ["db reset", "schedule run", "dashboards publish", "report conversion-events", "runs"] {
            #expect(leaves.map(\.0).contains(path), "\(path)")
        }
    }
}
