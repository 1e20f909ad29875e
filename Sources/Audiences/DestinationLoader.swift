import Core
import Foundation
import Yams

/// Reads `destinations` from `audiences.yaml`; every problem as `audiences.yaml: field: reason`.
public struct DestinationLoader: Sendable {
    public let project: Project
    public let environment: [String: String]

    public init(project: Project, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.project = project
        self.environment = environment
    }

    public var file: URL { project.destinationsFile }

    /// Every destination (none when the file does not exist).
    public func loadAll() throws -> [Destination] {
        let name = project.relativePath(file)
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        var problems: [ConfigError] = []
        func problem(_ field: String, _ reason: String) {
            problems.append(ConfigError(file: name, field: field, reason: reason))
        }
        let root = try ConfigFile.mappingReportingErrors(file, in: project)
        for key in root.mapping!.keys.compactMap(\.string) where key != "destinations" {
            problem(key, "unknown field (expected destinations)")
        }
        var destinations: [Destination] = []
        for (index, node) in (root["destinations"]?.sequence ?? []).enumerated() {
            let label = node["name"]?.string.map { "destinations[\($0)]" } ?? "destinations[\(index)]"
            if let destination = destination(node, label: label, problem: problem) {
                if destinations.contains(where: { $0.name == destination.name }) {
                    problem("\(label).name", "duplicate destination name")
                }
                destinations.append(destination)
            }
        }
        guard problems.isEmpty else { throw ConfigErrors(errors: problems) }
        return destinations
    }

    /// The destination called `name`, or an error listing the known ones.
    public func destination(_ name: String) throws -> Destination {
        let all = try loadAll()
        guard let destination = all.first(where: { $0.name == name }) else {
            throw ConfigErrors(errors: [
                ConfigError(
                    file: project.relativePath(file), field: "destinations",
                    reason: "no destination named '\(name)' (have: \(all.map(\.name).joined(separator: ", ")))")
            ])
        }
        return destination
    }

    private func destination(_ node: Node, label: String, problem: (String, String) -> Void) -> Destination? {
        let known = [
            "name", "type", "format", "path", "max_rows_per_file", "max_file_bytes", "url", "headers", "batch_size",
            "requests_per_second", "max_in_flight", "max_attempts", "backoff", "max_throttled_retries", "timeout",
            "hash_identity", "max_removal_share",
        ]
        for key in node.mapping?.keys.compactMap(\.string) ?? [] where !known.contains(key) {
            problem("\(label).\(key)", "unknown field")
        }
        guard let name = node["name"]?.string, name.range(of: "^[a-z0-9_-]+$", options: .regularExpression) != nil
        else {
            problem("\(label).name", "missing or not made of a-z, 0-9, _ and -")
            return nil
        }
        func number(_ key: String, _ fallback: Double, _ valid: (Double) -> Bool, _ expected: String) -> Double {
            guard let text = node[key]?.string else { return fallback }
            guard let value = Double(text), valid(value) else {
                problem("\(label).\(key)", "'\(text)' is not \(expected)")
                return fallback
            }
            return value
        }
        let batchSize = Int(number("batch_size", 1000, { $0 >= 1 && $0 == $0.rounded() }, "a whole number ≥ 1"))
        let share = number("max_removal_share", 0.2, { $0 >= 0 && $0 <= 1 }, "a share between 0 and 1")
        let hash: Bool
        switch node["hash_identity"]?.string?.lowercased() {
        case nil, "false", "no": hash = false
        case "true", "yes": hash = true
        case let other?:
            problem("\(label).hash_identity", "'\(other)' is not true or false")
            hash = false
        }
        let kind: Destination.Kind
        switch node["type"]?.string {
        case "file":
            guard let formatText = node["format"]?.string, let format = FileLayout.Format(rawValue: formatText) else {
                problem(
                    "\(label).format",
                    "expected one of \(FileLayout.Format.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            guard let path = node["path"]?.string, !path.isEmpty else {
                problem("\(label).path", "missing: the drop folder")
                return nil
            }
            let rows = Int(
                number("max_rows_per_file", 100_000, { $0 >= 1 && $0 == $0.rounded() }, "a whole number ≥ 1"))
            let bytes =
                node["max_file_bytes"] == nil
                ? nil : Int(number("max_file_bytes", 0, { $0 >= 1024 && $0 == $0.rounded() }, "a whole number ≥ 1024"))
            kind = .file(
                .init(
                    format: format,
                    folder: path.hasPrefix("/")
                        ? URL(fileURLWithPath: path) : project.root.appendingPathComponent(path).standardizedFileURL,
                    maxRowsPerFile: rows, maxFileBytes: bytes))
        case "http":
            guard let text = node["url"]?.string, let url = URL(string: expand(text)),
                url.scheme == "http" || url.scheme == "https"
            else {
                problem("\(label).url", "missing or not an http(s) URL")
                return nil
            }
            var headers: [String: String] = [:]
            for (key, value) in node["headers"]?.mapping ?? [:] {
                if let key = key.string, let value = value.string { headers[key] = expand(value) }
            }
            func seconds(_ key: String, default value: Double) -> Double? {
                guard let text = node[key]?.string else { return value }
                switch DurationText.fixedSeconds(text) {
                case .success(let seconds): return seconds
                case .failure(let refusal):
                    problem("\(label).\(key)", "'\(text)' \(refusal.reason)")
                    return nil
                }
            }
            let backoff = seconds("backoff", default: 1)
            let timeout = seconds("timeout", default: 30)
            let rate =
                node["requests_per_second"] == nil ? nil : number("requests_per_second", 0, { $0 > 0 }, "a rate > 0")
            kind = .http(
                .init(
                    url: url, headers: headers, requestsPerSecond: rate,
                    maxInFlight: Int(
                        number("max_in_flight", 4, { $0 >= 1 && $0 == $0.rounded() }, "a whole number ≥ 1")),
                    maxAttempts: Int(
                        number("max_attempts", 5, { $0 >= 1 && $0 == $0.rounded() }, "a whole number ≥ 1")),
                    backoffSeconds: backoff ?? 1,
                    maxThrottledRetries: Int(
                        number("max_throttled_retries", 50, { $0 >= 0 && $0 == $0.rounded() }, "a whole number ≥ 0")),
                    timeoutSeconds: timeout ?? 30))
        default:
            problem("\(label).type", "expected file or http")
            return nil
        }
        return Destination(name: name, kind: kind, batchSize: batchSize, hashIdentity: hash, maxRemovalShare: share)
    }

    /// `${VAR}` from the environment (empty when unset), so secrets stay out of the file.
    private func expand(_ text: String) -> String {
        var result = text
        while let start = result.range(of: "${"),
            let end = result.range(of: "}", range: start.upperBound..<result.endIndex)
        {
            let name = String(result[start.upperBound..<end.lowerBound])
            result.replaceSubrange(start.lowerBound..<end.upperBound, with: environment[name] ?? "")
        }
        return result
    }
}
