import Core
import Foundation
import Yams

/// Reads `rules/*.yaml`: data points and rules, checked as a whole; every problem is reported as
/// `FILE: rules[i].field: reason` and nothing is saved when there is one.
public struct RuleFileLoader: Sendable {
    public let project: Project

    public init(project: Project) {
        self.project = project
    }

    /// What a set of files defines.
    public struct Definitions: Sendable {
        public var files: [String] = []
        public var dataPoints: [DataPoint] = []
        public var rules: [PayoutRule] = []
    }

    public var directory: URL { project.rulesDirectory }

    /// Every `.yaml` file in `rules/`.
    public func defaultFiles() -> [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "yaml" || $0.pathExtension == "yml" }.sorted { $0.path < $1.path }
    }

    /// Loads `files`, resolving data points against `known` ones (already saved) and each other.
    public func load(_ files: [URL], known: [DataPoint] = []) throws -> Definitions {
        var definitions = Definitions()
        var problems: [ConfigError] = []
        var parsed: [(String, Node)] = []
        for url in files {
            let file = project.relativePath(url)
            definitions.files.append(file)
            do {
                parsed.append((file, try ConfigFile.mapping(url, in: project)))
            } catch let error as ConfigError {
                problems.append(error)
            }
        }
        // Data points first (from every file), so a rule may use one declared anywhere.
        var points = Dictionary(known.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        for (file, root) in parsed {
            for key in root.mapping!.keys.compactMap(\.string) where !["data_points", "rules"].contains(key) {
                problems.append(
                    ConfigError(file: file, field: key, reason: "unknown field (expected data_points, rules)"))
            }
            for (index, node) in (root["data_points"]?.sequence ?? []).enumerated() {
                let field = "data_points[\(index)]"
                guard let name = node["name"]?.string, !name.isEmpty else {
                    problems.append(ConfigError(file: file, field: "\(field).name", reason: "missing"))
                    continue
                }
                guard let typeText = node["type"]?.string, let type = DataPoint.Kind(rawValue: typeText) else {
                    problems.append(ConfigError(file: file, field: "\(field).type", reason: "expected text or number"))
                    continue
                }
                guard let parameter = node["parameter"]?.string, !parameter.isEmpty else {
                    problems.append(ConfigError(file: file, field: "\(field).parameter", reason: "missing"))
                    continue
                }
                if (Condition.builtInMetrics + Condition.builtInTextMetrics).contains(name) {
                    problems.append(
                        ConfigError(file: file, field: "\(field).name", reason: "'\(name)' is a built-in metric"))
                }
                if let other = points.values.first(where: { $0.parameter == parameter && $0.name != name }) {
                    problems.append(
                        ConfigError(
                            file: file, field: "\(field).parameter",
                            reason: "parameter '\(parameter)' is already used by data point '\(other.name)'"))
                    continue
                }
                let point = DataPoint(name: name, type: type, parameter: parameter)
                points[name] = point
                definitions.dataPoints.append(point)
            }
        }
        var names = Set<String>()
        for (file, root) in parsed {
            for (index, node) in (root["rules"]?.sequence ?? []).enumerated() {
                var parser = RuleParser(file: file, field: "rules[\(index)]", node: node, points: points)
                if let rule = parser.parse() {
                    if !names.insert(rule.name).inserted {
                        parser.problem("name", "rule '\(rule.name)' is defined twice")
                    } else {
                        definitions.rules.append(rule)
                    }
                }
                problems += parser.problems
            }
        }
        guard problems.isEmpty else { throw ConfigErrors(errors: problems) }
        return definitions
    }
}
