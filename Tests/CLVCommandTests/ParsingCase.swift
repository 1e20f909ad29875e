import ArgumentParser
import Testing

@testable import clv

/// One leaf command's parsing test: arguments it must accept and what they must parse to, and
/// arguments it must refuse (while parsing or in `validate()`, so before `run()` connects to
/// anything), each with a fragment of the message that says why.
struct ParsingCase: Sendable, CustomTestStringConvertible {
    /// Arguments the command must refuse, and a fragment of the message it must refuse them with.
    struct Refusal: Sendable {
        var arguments: [String]
        var reason: String
    }

    /// The command the arguments must parse to.
    let command: ObjectIdentifier
    let commandName: String
    let arguments: [String]
    /// Checks the parsed values (with `#expect`); records an issue when the parsed command is another.
    let check: @Sendable (any ParsableCommand) -> Void
    let refusals: [Refusal]

    var testDescription: String { "clv " + arguments.joined(separator: " ") }

    /// A case for `Command`: `arguments` parse to it and `check` holds; each of `refusals` is refused.
    static func command<Command: ParsableCommand>(
        _ type: Command.Type, _ arguments: [String], refuses refusals: [([String], String)],
        check: @escaping @Sendable (Command) -> Void = { _ in }
    ) -> ParsingCase {
        ParsingCase(
            command: ObjectIdentifier(type), commandName: String(reflecting: type), arguments: arguments,
            check: { parsed in
                guard let parsed = parsed as? Command else {
                    Issue.record("\(arguments) parsed as \(Swift.type(of: parsed)), not \(Command.self)")
                    return
                }
                check(parsed)
            },
            refusals: refusals.map { Refusal(arguments: $0.0, reason: $0.1) })
    }

    /// Every case, one list per command group.
    static let all: [ParsingCase] =
        warehouseCommands + dbCommands + ingestCommands + scheduleCommands + predictCommands + dashboardsCommands
        + audiencesCommands + rulesCommands + payoutsCommands
}
