import Core
import Foundation
import Yams

/// Reads and checks `dashboards/*.yaml`; every problem is reported as `FILE: field: reason`.
public struct DashboardLoader: Sendable {
    public let project: Project

    public init(project: Project) {
        self.project = project
    }

    public var directory: URL { project.dashboardsDirectory }

    /// Every dashboard, by name; throws ``ConfigErrors`` listing every problem in every file.
    public func loadAll() throws -> [Dashboard] {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        var dashboards: [Dashboard] = []
        var problems: [ConfigError] = []
        for url in files.filter({ $0.pathExtension == "yaml" || $0.pathExtension == "yml" }).sorted(by: {
            $0.path < $1.path
        }) {
            do {
                dashboards.append(try load(url))
            } catch let error as ConfigErrors {
                problems += error.errors
            }
        }
        guard problems.isEmpty else { throw ConfigErrors(errors: problems) }
        return dashboards
    }

    /// The dashboards named (all when `names` is empty); an unknown name is an error.
    public func load(named names: [String]) throws -> [Dashboard] {
        let all = try loadAll()
        if names.isEmpty { return all }
        return try names.map { name in
            guard let dashboard = all.first(where: { $0.name == name }) else {
                throw ConfigErrors(errors: [
                    ConfigError(
                        file: "dashboards/\(name).yaml", field: "(file)",
                        reason: "no such dashboard (have: \(all.map(\.name).joined(separator: ", ")))")
                ])
            }
            return dashboard
        }
    }

    func load(_ url: URL) throws -> Dashboard {
        let file = project.relativePath(url)
        let name = url.deletingPathExtension().lastPathComponent
        var problems: [ConfigError] = []
        func problem(_ field: String, _ reason: String) {
            problems.append(ConfigError(file: file, field: field, reason: reason))
        }
        let root = try ConfigFile.mappingReportingErrors(url, in: project)
        let known = ["title", "description", "timezone", "params", "widgets"]
        for key in root.mapping!.keys.compactMap(\.string) where !known.contains(key) {
            problem(key, "unknown field (expected \(known.joined(separator: ", ")))")
        }
        let title = root["title"]?.string ?? ""
        if title.isEmpty { problem("title", "missing") }
        let timeZone = root["timezone"]?.string ?? "UTC"
        if TimeZone(identifier: timeZone) == nil { problem("timezone", "unknown time zone '\(timeZone)'") }
        let shared = parameters(root["params"], field: "params", problem: problem)
        var widgets: [Widget] = []
        guard let list = root["widgets"]?.sequence, !list.isEmpty else {
            problem("widgets", "missing: a dashboard needs at least one widget")
            throw ConfigErrors(errors: problems)
        }
        for (index, node) in list.enumerated() {
            let label = node["id"]?.string.map { "widgets[\($0)]" } ?? "widgets[\(index)]"
            if let widget = self.widget(node, label: label, shared: shared, problem: problem) {
                if widgets.contains(where: { $0.id == widget.id }) {
                    problem("\(label).id", "duplicate widget id")
                }
                widgets.append(widget)
            }
        }
        guard problems.isEmpty else { throw ConfigErrors(errors: problems) }
        return Dashboard(
            name: name, file: file, title: title, description: root["description"]?.string ?? "",
            timeZone: timeZone, widgets: widgets)
    }

    private func widget(_ node: Node, label: String, shared: [String: String], problem: (String, String) -> Void)
        -> Widget?
    {
        guard let mapping = node.mapping else {
            problem(label, "expected a mapping with id, title, type and sql")
            return nil
        }
        let known = ["id", "title", "description", "type", "sql", "params", "compare", "limit", "search", "filters"]
        for key in mapping.keys.compactMap(\.string) where !known.contains(key) {
            problem("\(label).\(key)", "unknown field (expected \(known.joined(separator: ", ")))")
        }
        guard let id = node["id"]?.string, id.range(of: "^[a-z0-9_-]+$", options: .regularExpression) != nil else {
            problem("\(label).id", "missing or not made of a-z, 0-9, _ and -")
            return nil
        }
        let kindText = node["type"]?.string ?? ""
        guard let kind = Widget.Kind(rawValue: kindText) else {
            problem(
                "\(label).type",
                "'\(kindText)' is not one of \(Widget.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        guard let sqlNode = node["sql"], let sql = sqlNode.string, !sql.trimmingCharacters(in: .whitespaces).isEmpty
        else {
            problem("\(label).sql", "missing")
            return nil
        }
        // A block scalar (`sql: |`) starts on the line after its indicator.
        let isBlock = sqlNode.scalar?.style == .literal || sqlNode.scalar?.style == .folded
        let sqlLine = (sqlNode.mark?.line ?? 0) + (isBlock ? 1 : 0)
        var params = shared
        for (key, value) in parameters(node["params"], field: "\(label).params", problem: problem) {
            params[key] = value
        }
        let numbered = SQLLexer.numberingNamedParameters(in: sql)
        for name in numbered.names where params[name] == nil {
            problem("\(label).sql", "parameter :\(name) has no default in params")
        }
        var compare = false
        switch node["compare"]?.string {
        case nil, "none": break
        case "previous_period":
            compare = true
            if params["from"] == nil || params["to"] == nil {
                problem("\(label).compare", "previous_period needs from and to params")
            }
        case let other?: problem("\(label).compare", "'\(other)' is not none or previous_period")
        }
        var limit = 5000
        if let text = node["limit"]?.string {
            if let value = Int(text), value > 0 {
                limit = value
            } else {
                problem("\(label).limit", "'\(text)' is not a positive whole number")
            }
        }
        return Widget(
            id: id, title: node["title"]?.string ?? id, description: node["description"]?.string ?? "", kind: kind,
            sql: sql, sqlLine: sqlLine, params: params, comparePreviousPeriod: compare, rowLimit: limit,
            search: strings(node["search"]), filters: strings(node["filters"]))
    }

    private func parameters(_ node: Node?, field: String, problem: (String, String) -> Void) -> [String: String] {
        guard let node else { return [:] }
        guard let mapping = node.mapping else {
            problem(field, "expected a mapping of parameter defaults")
            return [:]
        }
        var values: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = key.string, let text = value.string else {
                problem(field, "every parameter needs a name and a scalar default")
                continue
            }
            do {
                _ = try ParameterValue.resolve(text, today: Day(year: 2000, month: 1, day: 1))
            } catch {
                problem("\(field).\(name)", "\(error)")
            }
            values[name] = text
        }
        return values
    }

    private func strings(_ node: Node?) -> [String] {
        if let list = node?.sequence { return list.compactMap(\.string) }
        return node?.string.map { [$0] } ?? []
    }
}
