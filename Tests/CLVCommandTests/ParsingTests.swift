import ArgumentParser
import Testing

@testable import clv

/// Every leaf command parses its valid arguments to the values given, and refuses bad ones with a
/// usage error (exit 64) saying why, before `run()`.
@Suite struct ParsingTests {
    @Test(arguments: ParsingCase.all) func acceptsValidArguments(_ testCase: ParsingCase) throws {
        let parsed = try CLV.parseAsRoot(testCase.arguments)
        #expect(ObjectIdentifier(type(of: parsed)) == testCase.command, "parsed as \(type(of: parsed))")
        testCase.check(parsed)
    }

    @Test(arguments: ParsingCase.all) func refusesInvalidArguments(_ testCase: ParsingCase) {
        #expect(!testCase.refusals.isEmpty, "every command needs at least one refused argument list")
        for refusal in testCase.refusals {
            do {
                let parsed = try CLV.parseAsRoot(refusal.arguments)
                Issue.record("\(refusal.arguments) was accepted as \(type(of: parsed))")
            } catch {
                let message = CLV.message(for: error)
                #expect(message.contains(refusal.reason), "\(refusal.arguments): \(message)")
                #expect(CLV.exitCode(for: error) == .validationFailure, "\(refusal.arguments): \(message)")
            }
        }
    }
}
