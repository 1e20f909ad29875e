import Foundation

/// Runs the built `clv` executable and captures its output.
struct CLVBinary {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `clv` built next to the test bundle.
    static var path: String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return executable.deletingLastPathComponent().appendingPathComponent("clv").path
    }

    /// Runs `clv` (or a copy of it at `executable`) with `arguments`, optionally through
    /// `runuser -u user`.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], as user: String? = nil, executable: String = path
    ) throws -> Output {
        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
            process.arguments = ["-u", user, "--", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        }
        var env = ProcessInfo.processInfo.environment
        env["DATABASE_URL"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes fully before waiting, so a chatty child never blocks on a full pipe.
        let errData = LockedData()
        let errReader = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        while !errData.done { usleep(1000) }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// `run` on a thread of its own: blocking one of the few cooperative threads while `clv` works
    /// starves the watchers of the other process tests running alongside (their kill windows close).
    static func runOnThread(
        _ arguments: [String], environment: [String: String] = [:], as user: String? = nil, executable: String = path
    ) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(
                    with: Result { try run(arguments, environment: environment, as: user, executable: executable) })
            }.start()
        }
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var finished = false
    func set(_ value: Data) {
        lock.withLock {
            data = value
            finished = true
        }
    }
    var done: Bool { lock.withLock { finished } }
    var value: Data { lock.withLock { data } }
}
