import Foundation
import Testing

/// The built binary refuses bad options as usage errors (exit 64) before it connects to anything:
/// the database URL given points nowhere, so a command that got as far as connecting would fail
/// with a connection error (exit 1) instead.
@Suite struct OptionValidationProcessTests {
    static let nowhere = ["--database-url", "postgresql:///clv?host=/nonexistent-clv-socket-folder"]

    @Test(arguments: [
        (["serve", "--port", "70000"], "Error: --port must be from 0 to 65535"),
        (["runs", "--limit=-1"], "Error: --limit must not be negative"),
        (["predict", "--horizon", "12"], "Error: horizon \"12\": expected months or years such as 12mo or 1y"),
        (["dashboards", "publish", "--param", "partner"], "Error: --param partner: expected k=v"),
    ])
    func aBadOptionIsAUsageErrorBeforeAnyConnection(_ arguments: [String], _ message: String) throws {
        let output = try CLVBinary.run(arguments + Self.nowhere + ["--project", "/nonexistent-clv-project"])
        #expect(output.status == 64, "\(output.stderr)")
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stdout.isEmpty)
    }
}
