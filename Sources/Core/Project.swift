import Foundation

/// Where a clv project's files are: `sql/schema`, `sql/transforms`, `sql/tests`, `schedules`,
/// `dashboards`, `rules`.
public struct Project: Sendable {
    /// The project folder (`--project`, default the current folder).
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public var schemaDirectory: URL { root.appendingPathComponent("sql/schema") }
    public var transformsDirectory: URL { root.appendingPathComponent("sql/transforms") }
    public var testsDirectory: URL { root.appendingPathComponent("sql/tests") }

    /// A path relative to the project folder, for messages.
    public func relativePath(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Every `.sql` file under `directory`, recursively, in path order.
    public func sqlFiles(in directory: URL) throws -> [URL] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return []
        }
        var files: [URL] = []
        for case let url as URL in enumerator where url.pathExtension == "sql" {
            files.append(url.standardizedFileURL)
        }
        return files.sorted { $0.path < $1.path }
    }

    /// Reads a project file as UTF-8, or fails naming it.
    public func read(_ url: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw WarehouseError("cannot read file", at: relativePath(url))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw WarehouseError("file is not valid UTF-8", at: relativePath(url))
        }
        return text
    }
}
