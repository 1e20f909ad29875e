import Audiences
import Core
import Foundation
import Ingest
import Modeling
import Transforms
import Yams

/// Reads and validates `schedules/*.yaml`; every problem is a ``ConfigError`` naming file and field.
public struct ScheduleLoader: Sendable {
    public let project: Project

    public init(project: Project) {
        self.project = project
    }

    public var directory: URL { project.schedulesDirectory }

    static let keys: Set<String> = ["name", "cron", "timezone", "steps", "retries", "timeout", "catch_up", "enabled"]

    /// Every schedule, or all the problems found (each file is checked in full).
    public func loadAll() throws -> [Schedule] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        var schedules: [Schedule] = []
        var problems: [ConfigError] = []
        let catalog = CatalogOnce(project: project)
        for name in files {
            let url = directory.appendingPathComponent(name)
            do {
                schedules.append(try load(url, catalog: catalog))
            } catch let error as ConfigErrors {
                problems += error.errors
            }
        }
        var seen: [String: String] = [:]
        for schedule in schedules {
            if let other = seen[schedule.name] {
                problems.append(
                    ConfigError(
                        file: schedule.file, field: "name", reason: "'\(schedule.name)' is also used by \(other)"))
            }
            seen[schedule.name] = schedule.file
        }
        if !problems.isEmpty { throw ConfigErrors(errors: problems) }
        return schedules
    }

    /// One schedule file.
    public func load(_ url: URL) throws -> Schedule {
        try load(url, catalog: CatalogOnce(project: project))
    }

    private func load(_ url: URL, catalog: CatalogOnce) throws -> Schedule {
        let file = project.relativePath(url)
        var problems: [ConfigError] = []
        func problem(_ field: String, _ reason: String) {
            problems.append(ConfigError(file: file, field: field, reason: reason))
        }
        let root = try ConfigFile.mappingReportingErrors(url, in: project).mapping!
        for key in root.keys.compactMap(\.string) where !Self.keys.contains(key) {
            problem(key, "unknown field (expected \(Self.keys.sorted().joined(separator: ", ")))")
        }
        let name = root["name"]?.string ?? url.deletingPathExtension().lastPathComponent
        var cron: CronExpression?
        if let text = root["cron"]?.string {
            do { cron = try CronExpression(text) } catch let error as CronError {
                problem("cron", "\(error.field): \(error.reason)")
            } catch {}
        } else {
            problem("cron", "missing")
        }
        var zone = TimeZone(identifier: "UTC")!
        if let identifier = root["timezone"]?.string {
            if let found = TimeZone(identifier: identifier) {
                zone = found
            } else {
                problem("timezone", "unknown time zone '\(identifier)'")
            }
        }
        var steps: [Schedule.Step] = []
        if let sequence = root["steps"]?.sequence {
            for (index, node) in sequence.enumerated() {
                if let step = parseStep(node, field: "steps[\(index)]", catalog: catalog, problem: problem) {
                    steps.append(step)
                }
            }
            if sequence.isEmpty { problem("steps", "at least one step is needed") }
        } else {
            problem("steps", "missing (a list such as [migrate, transforms, tests])")
        }
        var attempts = 1
        var backoff = 60
        if let retries = root["retries"] {
            guard let mapping = retries.mapping else {
                problem("retries", "expected {attempts: N, backoff: 2m}")
                throw ConfigErrors(errors: problems)
            }
            if let value = mapping["attempts"]?.string {
                if let parsed = Int(value), parsed >= 1 {
                    attempts = parsed
                } else {
                    problem("retries.attempts", "'\(value)' is not a whole number ≥ 1")
                }
            }
            if let value = mapping["backoff"]?.string {
                switch DurationText.fixedSeconds(value) {
                case .success(let seconds): backoff = Int(seconds.rounded(.up))
                case .failure(let refusal): problem("retries.backoff", "'\(value)' \(refusal.reason)")
                }
            }
        }
        var timeout = 3600
        if let value = root["timeout"]?.string {
            switch DurationText.fixedSeconds(value) {
            case .success(let seconds) where seconds > 0: timeout = Int(seconds.rounded(.up))
            case .success: problem("timeout", "'\(value)' is not longer than 0")
            case .failure(let refusal): problem("timeout", "'\(value)' \(refusal.reason)")
            }
        }
        var catchUp = Schedule.CatchUp.once
        if let value = root["catch_up"]?.string {
            if let parsed = Schedule.CatchUp(rawValue: value) {
                catchUp = parsed
            } else {
                problem("catch_up", "'\(value)' is not skip or once")
            }
        }
        var enabled = true
        if let value = root["enabled"]?.string {
            switch value.lowercased() {
            case "true", "yes", "on": enabled = true
            case "false", "no", "off": enabled = false
            default: problem("enabled", "'\(value)' is not true or false")
            }
        }
        guard problems.isEmpty, let cron else { throw ConfigErrors(errors: problems) }
        return Schedule(
            name: name, file: file, cron: cron, timeZone: zone, steps: steps, retryAttempts: attempts,
            retryBackoffSeconds: backoff, timeoutSeconds: timeout, catchUp: catchUp, enabled: enabled)
    }

    /// A `predict` step's options: `horizon`, `discount`, `unit` and `purchases`, as `clv predict` takes them.
    private func parsePredict(_ settings: Node.Mapping?, field: String, problem: (String, String) -> Void)
        -> Schedule.Step
    {
        var months = 12
        var discount = 0.01
        var unit = PredictionOptions.Unit.week
        var purchases = PredictionOptions.Purchases.positiveRevenue
        if let text = settings?["horizon"]?.string {
            do { months = try PredictionOptions.months(fromHorizon: text) } catch {
                problem(field, "predict: \(error)")
            }
        }
        if let text = settings?["discount"]?.string {
            if let value = Double(text), value >= 0, value < 1 {
                discount = value
            } else {
                problem(field, "predict: discount '\(text)' is not a monthly rate in [0, 1)")
            }
        }
        if let text = settings?["unit"]?.string {
            if let value = PredictionOptions.Unit(rawValue: text) {
                unit = value
            } else {
                problem(field, "predict: unit '\(text)' is not day or week")
            }
        }
        if let text = settings?["purchases"]?.string {
            if let value = PredictionOptions.Purchases(rawValue: text) {
                purchases = value
            } else {
                problem(field, "predict: purchases '\(text)' is not \(PredictionOptions.Purchases.choices)")
            }
        }
        let known = ["horizon", "discount", "unit", "purchases"]
        for key in settings?.keys.compactMap(\.string) ?? [] where !known.contains(key) {
            problem(field, "predict: unknown option '\(key)' (expected \(known.joined(separator: ", ")))")
        }
        return .predict(horizonMonths: months, monthlyDiscount: discount, unit: unit, purchases: purchases)
    }

    private func parseStep(_ node: Node, field: String, catalog: CatalogOnce, problem: (String, String) -> Void)
        -> Schedule.Step?
    {
        let (name, options): (String, Node?) =
            if let scalar = node.string {
                (scalar, nil)
            } else if let mapping = node.mapping, mapping.count == 1,
                let key = mapping.keys.first?.string
            { (key, mapping.values.first) } else { ("", nil) }
        func strings(_ key: String) -> [String] {
            if let list = options?.mapping?[key]?.sequence { return list.compactMap(\.string) }
            if let one = options?.mapping?[key]?.string { return [one] }
            return []
        }
        switch name {
        case "migrate": return .migrate
        case "tests": return .tests
        case "rules": return .rules
        case "predict":
            return parsePredict(options?.mapping, field: field, problem: problem)
        case "transforms":
            let select = options?.sequence?.compactMap(\.string) ?? strings("select")
            do {
                _ = try Selection(select).resolve(in: try catalog.value())
            } catch let error as WarehouseError {
                problem(field, "transforms: \(error.message)")
            } catch {
                problem(field, "transforms: \(error)")
            }
            return .transforms(select: select)
        case "ingest":
            guard let kind = options?.mapping?["kind"]?.string, let path = options?.mapping?["path"]?.string else {
                problem(field, "ingest needs {kind: conversions, path: incoming/*.csv}")
                return nil
            }
            guard IngestKind(rawValue: kind) != nil else {
                problem(
                    field,
                    "ingest kind '\(kind)' is not one of \(IngestKind.allCases.map(\.rawValue).sorted().joined(separator: ", "))"
                )
                return nil
            }
            return .ingest(kind: kind, path: path)
        case "audiences":
            let names = options?.sequence?.compactMap(\.string) ?? strings("names")
            for audience in names
            where !FileManager.default.fileExists(
                atPath: project.audiencesDirectory.appendingPathComponent("\(audience).sql").path)
            {
                problem(field, "unknown audience '\(audience)' (no sql/audiences/\(audience).sql)")
            }
            let destinations = strings("destinations")
            if destinations.isEmpty {
                problem(field, "audiences needs {names: [...], destinations: [...]} (destinations from audiences.yaml)")
            }
            do {
                let known = try DestinationLoader(project: project).loadAll().map(\.name)
                for destination in destinations where !known.contains(destination) {
                    problem(
                        field,
                        "unknown destination '\(destination)' (audiences.yaml has: \(known.joined(separator: ", ")))")
                }
            } catch {
                problem(field, "audiences.yaml: \(error)")
            }
            return .audiences(names: names, destinations: destinations)
        case "dashboards":
            let names = options?.sequence?.compactMap(\.string) ?? strings("names")
            for dashboard in names
            where !FileManager.default.fileExists(
                atPath: project.dashboardsDirectory.appendingPathComponent("\(dashboard).yaml").path)
            {
                problem(field, "unknown dashboard '\(dashboard)' (no dashboards/\(dashboard).yaml)")
            }
            return .dashboards(names: names)
        default:
            problem(
                field,
                "unknown step '\(name)' (expected migrate, ingest, transforms, tests, rules, audiences, dashboards, predict)"
            )
            return nil
        }
    }
}

/// The transform catalog, read on first use and then kept: checking several schedules (every
/// daemon tick) reads and hashes `sql/transforms` once, not once per `transforms` step.
final class CatalogOnce {
    private let project: Project
    private var loaded: Result<TransformCatalog, any Error>?

    init(project: Project) {
        self.project = project
    }

    func value() throws -> TransformCatalog {
        if loaded == nil { loaded = Result { try TransformCatalog.load(project) } }
        return try loaded!.get()
    }
}
