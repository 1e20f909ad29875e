import Foundation

/// The resource SQL files already read, by path: the files never change while a process runs.
final class ModuleSQLCache: @unchecked Sendable {
    /// The process's one cache.
    static let shared = ModuleSQLCache()

    private let lock = NSLock()
    private var texts: [String: String] = [:]

    /// The text read earlier from `path`, if any.
    func text(at path: String) -> String? {
        lock.withLock { texts[path] }
    }

    /// Remembers the text of `path`.
    func keep(_ text: String, at path: String) {
        lock.withLock { texts[path] = text }
    }
}
