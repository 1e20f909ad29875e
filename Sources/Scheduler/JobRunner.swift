import Audiences
import Core
import Dashboards
import Foundation
import Ingest
import Logging
import Modeling
import Pipeline
import PostgresClient
import Rules
import Transforms

/// Runs one schedule's steps in order on a connection, within the schedule's timeout.
public struct JobRunner: Sendable {
    public let project: Project
    public let logger: Logger
    /// The reference time every step computes for (transforms' `as_of`, the prediction's
    /// observation end); nil for the time each step runs.
    public let referenceTime: Date?

    public init(project: Project, logger: Logger, referenceTime: Date? = nil) {
        self.project = project
        self.logger = logger
        self.referenceTime = referenceTime
    }

    /// What one step did.
    public struct StepResult: Codable, Sendable, Equatable {
        public var step: String
        public var status: String
        public var seconds: Double
        public var detail: String
    }

    /// Why a job did not succeed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            /// Worth retrying: a lost connection, a serialization failure, a lock timeout.
            case transient
            /// The job ran past its timeout; its statement was cancelled.
            case timedOut
            /// Anything else, e.g. a SQL error in a transform: retrying would fail the same way.
            case permanent
        }
        public var kind: Kind
        public var message: String
        public var steps: [StepResult]
        public var description: String { message }
    }

    /// Runs every step; throws a ``Failure`` with the steps done so far.
    public func run(_ schedule: Schedule, on connection: PostgresConnection) async throws -> [StepResult] {
        let timeout = Duration.seconds(schedule.timeoutSeconds)
        let collected = StepLog()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await runSteps(schedule, on: connection, log: collected) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw Failure(kind: .timedOut, message: "timed out after \(schedule.timeoutSeconds) s", steps: [])
                }
                try await group.next()
                group.cancelAll()
            }
        } catch var failure as Failure {
            failure.steps = collected.steps
            throw failure
        } catch let error as PostgresError {
            throw Failure(
                kind: error.isTransient ? .transient : .permanent, message: "\(error)", steps: collected.steps)
        } catch let error as WarehouseError {
            let kind: Failure.Kind = PostgresError.isTransient(sqlState: error.sqlState) ? .transient : .permanent
            throw Failure(kind: kind, message: "\(error)", steps: collected.steps)
        } catch {
            throw Failure(kind: .permanent, message: "\(error)", steps: collected.steps)
        }
        return collected.steps
    }

    private func runSteps(_ schedule: Schedule, on connection: PostgresConnection, log: StepLog) async throws {
        for step in schedule.steps {
            try Task.checkCancellation()
            let started = ContinuousClock.now
            do {
                let detail = try await run(step, schedule: schedule, on: connection)
                log.append(
                    StepResult(
                        step: step.name, status: "success", seconds: (ContinuousClock.now - started).inSeconds,
                        detail: detail))
            } catch {
                log.append(
                    StepResult(
                        step: step.name, status: "failed", seconds: (ContinuousClock.now - started).inSeconds,
                        detail: "\(error)"))
                throw error
            }
        }
    }

    private func run(_ step: Schedule.Step, schedule: Schedule, on connection: PostgresConnection) async throws
        -> String
    {
        switch step {
        case .migrate:
            let applied = try await Pipeline(project: project, logger: logger).migrate(
                on: connection, including: [.scheduler])
            return "\(applied.count) migration(s) applied"
        case .transforms(let select):
            var options = TransformRunner.Options()
            options.select = select
            options.asOf = referenceTime
            options.command = "schedule \(schedule.name)"
            let refresh = try await Pipeline(project: project, logger: logger).refresh(options: options, on: connection)
            let report = refresh.transforms
            let rules = refresh.rules.map { "; rules: \($0.matched) match(es), \($0.reversed) reversal(s)" } ?? ""
            let followed = refresh.followUp.map { "; revenue outcomes built into the ledger (run \($0.runID))" } ?? ""
            return
                "\(report.built.count) built, \(report.upToDate.count) up to date (run \(report.runID))\(rules)\(followed)"
        case .tests:
            let failures = try await DataTestRunner.checkAll(project, on: connection).compactMap(\.failure)
            guard failures.isEmpty else {
                throw Failure(kind: .permanent, message: failures.map(\.description).joined(separator: "\n"), steps: [])
            }
            return "all tests passed"
        case .ingest(let kind, let path):
            return try await IngestStep(project: project, logger: logger).run(kind: kind, path: path, on: connection)
        case .predict(let months, let discount, let unit, let purchases):
            var options = PredictionOptions(
                observationEnd: referenceTime.map { String(PostgresTimestamp.format($0).prefix(10)) }
                    ?? PredictionOptions.today())
            options.horizonMonths = months
            options.monthlyDiscount = discount
            options.unit = unit
            options.purchases = purchases
            let predicted = try await Pipeline(project: project, logger: logger).predict(
                options, asOf: referenceTime, on: connection, command: "schedule \(schedule.name)")
            let report = predicted.prediction
            let paid =
                predicted.rules.rules > 0 ? "; rules on model outputs: \(predicted.rules.matched) new outcome(s)" : ""
            return
                "predicted CLV for \(report.customers) customers as of \(report.observationEnd) (purchases \(report.purchases), \(report.distinctSummaries) distinct summaries)\(paid)"
        case .dashboards(let names):
            let loader = DashboardLoader(project: project)
            let published = try await DashboardPublisher(logger: logger).publish(
                try loader.load(named: names), all: try loader.loadAll(), overrides: [:],
                to: project.publishedDashboardsDirectory, on: connection)
            let failures = published.flatMap { dashboard in dashboard.failures.map { "\(dashboard.dashboard)/\($0)" } }
            guard failures.isEmpty else {
                throw Failure(
                    kind: .permanent, message: "widgets failed: \(failures.joined(separator: "; "))", steps: [])
            }
            return "published \(published.map(\.dashboard).joined(separator: ", "))"
        case .audiences(let names, let destinations):
            let exporter = AudienceExporter(project: project, logger: logger)
            let audiences = names.isEmpty ? try AudienceCatalog.load(project).audiences.map(\.name) : names
            var done: [String] = []
            for audience in audiences {
                for destination in destinations {
                    let report = try await exporter.export(
                        audience, to: destination, options: AudienceExporter.Options(), on: connection)
                    done.append("\(audience)→\(destination) +\(report.added) ~\(report.changed) -\(report.removed)")
                }
            }
            return done.joined(separator: ", ")
        case .rules:
            // The rules in rules/ as they are now (an unchanged rule keeps its evaluation), then
            // an evaluation: incremental, or full for new and changed rules.
            let loader = RuleFileLoader(project: project)
            let files = loader.defaultFiles()
            if !files.isEmpty {
                let definitions = try loader.load(files, known: try await RuleStore().dataPoints(on: connection))
                try await RuleStore().apply(definitions, on: connection)
            }
            let refresh = try await Pipeline(project: project, logger: logger).evaluateRules(
                on: connection, asOf: referenceTime, command: "schedule \(schedule.name)")
            let report = refresh.evaluation
            let followed = refresh.transforms.map { "; revenue outcomes built into the ledger (run \($0.runID))" } ?? ""
            return
                "\(report.rules) rule(s), \(report.full ? "full" : "incremental") evaluation of \(report.customers) customer(s): \(report.matched) match(es), \(report.reversed) reversal(s)\(followed)"

        }
    }
}

/// Step results collected while a job runs (appended on one task at a time).
final class StepLog: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [JobRunner.StepResult] = []
    func append(_ result: JobRunner.StepResult) { lock.withLock { results.append(result) } }
    var steps: [JobRunner.StepResult] { lock.withLock { results } }
}
