import Foundation
import TestSupport
import Testing

/// The crash soak of `bench/soak.sh`, short: 10 kills with -9 at seeded random moments across
/// `ingest`, `run`, `predict`, `rules evaluate`, `audiences export` and the scheduler daemon, each
/// followed by the invariant checks of `bench/soak.py` (loads whole or absent and in the ledger,
/// relations whole, the next run succeeds, incremental equals full, rule and audience state
/// consistent).
@Suite struct CrashSoakTests {
    @Test func killsLeaveEveryInvariantIntact() async throws {
        let database = try await TestDatabase.make()
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let arguments = [
            "python3", repository.appendingPathComponent("bench/soak.py").path, "--clv", CLVBinary.path,
            "--database-url", database.url, "--kills", "10", "--seed", "7", "--customers", "300",
        ]
        let soak = try await CLVBinary.runOnThread(arguments, executable: "/usr/bin/env")
        #expect(soak.status == 0, "\(soak.stdout)\n\(soak.stderr)")
        #expect(soak.stdout.contains("soak: 10 kills, 0 invariant violations"), "\(soak.stdout)\n\(soak.stderr)")
        try await database.drop()
    }
}
