import Foundation
import Yams

/// Reading a project's YAML configuration files (schedules, dashboards, destinations, rules).
public enum ConfigFile {
    /// The file's top-level node, which must be a mapping; otherwise a ``ConfigError`` naming the
    /// file: unreadable, not UTF-8, not YAML, or not a mapping.
    public static func mapping(_ url: URL, in project: Project) throws -> Node {
        let file = project.relativePath(url)
        let text: String
        do {
            text = try project.read(url)
        } catch let error as WarehouseError {
            throw ConfigError(file: file, field: "(file)", reason: error.message)
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(file: file, field: "(file)", reason: "not valid YAML: \(error)")
        }
        guard let node, node.mapping != nil else {
            throw ConfigError(file: file, field: "(file)", reason: "expected a YAML mapping")
        }
        return node
    }

    /// ``mapping(_:in:)`` with its error as a one-entry ``ConfigErrors``, for loaders that report
    /// every problem of their files together.
    public static func mappingReportingErrors(_ url: URL, in project: Project) throws -> Node {
        do {
            return try mapping(url, in: project)
        } catch let error as ConfigError {
            throw ConfigErrors(errors: [error])
        }
    }
}
