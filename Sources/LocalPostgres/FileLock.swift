import Foundation

/// An exclusive `flock` on a file, held until `unlock()`; serialises cluster start-up between processes.
final class FileLock {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LocalPostgresError("cannot open lock file \(path): errno \(errno)") }
        guard flock(descriptor, LOCK_EX) == 0 else {
            close(descriptor)
            throw LocalPostgresError("cannot lock \(path): errno \(errno)")
        }
    }

    func unlock() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
