import Foundation

/// Runs a program to completion and captures what it printed (stdout and stderr together).
///
/// Uses `posix_spawn` and `waitpid` directly: Foundation's `Process.waitUntilExit` can hang on
/// Linux when several processes are awaited from concurrent tasks.
struct ExternalCommand {
    var executable: String
    var arguments: [String]
    /// Run as this system user through `runuser` (only when clv itself runs as root).
    var user: String?

    struct Output {
        var status: Int32
        var text: String
    }

    func run() throws -> Output {
        let argv: [String] =
            if let user { [ExternalCommand.runuserPath, "-u", user, "--", executable] + arguments } else {
                [executable] + arguments
            }
        var pipeDescriptors: [Int32] = [0, 0]
        guard pipe(&pipeDescriptors) == 0 else { throw LocalPostgresError("pipe failed: errno \(errno)") }
        let (readEnd, writeEnd) = (pipeDescriptors[0], pipeDescriptors[1])

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        // The server outlives us: it must inherit no other descriptor of ours (locks, pipes, sockets).
        Self.markDescriptorsCloseOnExec()

        var pid: pid_t = 0
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            throw LocalPostgresError("cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(readEnd, &chunk, chunk.count)
            if count > 0 {
                output.append(contentsOf: chunk[0..<count])
            } else if count == 0 || errno != EINTR {
                break
            }
        }
        close(readEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitCode: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Output(status: exitCode, text: String(decoding: output, as: UTF8.self))
    }

    /// Sets `FD_CLOEXEC` on every open descriptor above standard error.
    static func markDescriptorsCloseOnExec() {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in descriptors.compactMap({ Int32($0) }) where descriptor > 2 {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    static var runuserPath: String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        } ?? "/usr/sbin/runuser"
    }
}
