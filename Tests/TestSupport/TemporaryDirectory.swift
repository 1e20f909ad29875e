import Foundation

/// A fresh folder under the system's temporary folder, readable by other users so that a
/// PostgreSQL server running as `postgres` can reach a cluster inside it.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public static func make(prefix: String = "clv-test") throws -> TemporaryDirectory {
        let url = URL(fileURLWithPath: "/tmp").appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        return TemporaryDirectory(url: url)
    }

    /// Writes `text` to `relativePath`, creating folders on the way.
    @discardableResult
    public func write(_ relativePath: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
