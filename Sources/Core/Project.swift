import Foundation

/// Where a clv project's files are; every project path is named here, once.
public struct Project: Sendable {
    /// The project folder (`--project`, default the current folder).
    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    public var schemaDirectory: URL { root.appendingPathComponent("sql/schema") }
    public var transformsDirectory: URL { root.appendingPathComponent("sql/transforms") }
    public var testsDirectory: URL { root.appendingPathComponent("sql/tests") }
    /// One audience query per file.
    public var audiencesDirectory: URL { root.appendingPathComponent("sql/audiences") }
    /// The audiences' export destinations.
    public var destinationsFile: URL { root.appendingPathComponent("audiences.yaml") }
    /// Payout rules and data points (YAML).
    public var rulesDirectory: URL { root.appendingPathComponent("rules") }
    /// Refresh jobs (YAML).
    public var schedulesDirectory: URL { root.appendingPathComponent("schedules") }
    /// Dashboards (YAML with SQL).
    public var dashboardsDirectory: URL { root.appendingPathComponent("dashboards") }
    /// Where `clv dashboards publish` writes and `clv serve` serves the published dashboards.
    public var publishedDashboardsDirectory: URL { root.appendingPathComponent(".clv/dashboards") }

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
