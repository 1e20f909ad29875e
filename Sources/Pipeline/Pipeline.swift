import Core
import Foundation
import Logging
import Modeling
import PostgresClient
import Rules
import Transforms

/// What "refresh" means for the warehouse, in one place: the transforms, then the payout rules
/// (which judge the conversions the transforms attributed), then — when revenue outcomes changed
/// what the network books — the transforms again, so the revenue ledger
/// (`analytics_internal.rule_revenue`) and everything built on it agree with the rules in the same
/// command. A fit published by `clv predict` is followed by the rules on model outputs, the same way.
///
/// `clv run`, `clv rules evaluate`, `clv predict`, the scheduler's steps and the demo all go
/// through here.
public struct Pipeline: Sendable {
    public let project: Project
    public let logger: Logger

    public init(project: Project, logger: Logger) {
        self.project = project
        self.logger = logger
    }

    /// A refresh: the transforms' run, the rules' evaluation (nil when no rule is active or only
    /// some transforms were selected) and the run that followed it when booked revenue changed.
    public struct RefreshReport: Sendable, Codable {
        public var transforms: TransformRunner.Report
        public var rules: RuleEvaluator.Report?
        public var followUp: TransformRunner.Report?

        /// Every step built, the follow-up's included.
        public var built: [TransformRunner.StepResult] { transforms.built + (followUp?.built ?? []) }
    }

    /// Runs the transforms with `options`; when the whole graph was selected and rules are active,
    /// evaluates them (incrementally) for the same reference time and builds what they changed.
    public func refresh(options: TransformRunner.Options, on connection: PostgresConnection) async throws
        -> RefreshReport
    {
        let transforms = try await TransformRunner(project: project, logger: logger).run(connection, options: options)
        guard options.select.isEmpty, try await RuleEvaluator.hasActiveRules(on: connection) else {
            return RefreshReport(transforms: transforms)
        }
        let rules = try await evaluateRules(on: connection, asOf: options.asOf, command: options.command)
        return RefreshReport(transforms: transforms, rules: rules.evaluation, followUp: rules.transforms)
    }

    /// An evaluation of the rules and the run that followed it when one was needed.
    public struct RulesReport: Sendable, Codable {
        public var evaluation: RuleEvaluator.Report
        public var transforms: TransformRunner.Report?
    }

    /// Evaluates the active rules (incrementally unless `full`), then, if booked revenue changed,
    /// runs the transforms for `asOf` (nil: the reference time the last run used, so no window moves).
    public func evaluateRules(
        on connection: PostgresConnection, full: Bool = false, asOf: Date? = nil, command: String
    ) async throws -> RulesReport {
        let evaluation = try await RuleEvaluator(logger: logger).evaluate(on: connection, full: full)
        guard evaluation.revenueEntries > 0 else { return RulesReport(evaluation: evaluation) }
        return RulesReport(
            evaluation: evaluation, transforms: try await followUp(asOf: asOf, command: command, on: connection))
    }

    /// A published fit and the rules on model outputs evaluated on it.
    public struct PredictionReport: Sendable {
        public var prediction: PredictionRunner.Report
        public var rules: ModelRuleEvaluator.Report
        public var transforms: TransformRunner.Report?
    }

    /// Fits and publishes predicted CLV, then evaluates the rules on model outputs for the new fit
    /// and, if booked revenue changed, runs the transforms as `evaluateRules` does.
    public func predict(
        _ options: PredictionOptions, asOf: Date? = nil, on connection: PostgresConnection, command: String
    ) async throws -> PredictionReport {
        let prediction = try await PredictionRunner(logger: logger).run(connection, options: options)
        let rules = try await ModelRuleEvaluator(logger: logger).evaluate(
            fitID: prediction.fitID, observationEnd: prediction.observationEnd, on: connection)
        guard rules.revenueEntries > 0 else { return PredictionReport(prediction: prediction, rules: rules) }
        return PredictionReport(
            prediction: prediction, rules: rules,
            transforms: try await followUp(asOf: asOf, command: command, on: connection))
    }

    /// The incremental run after booked revenue changed.
    private func followUp(asOf: Date?, command: String, on connection: PostgresConnection) async throws
        -> TransformRunner.Report
    {
        var options = TransformRunner.Options()
        if let asOf {
            options.asOf = asOf
        } else {
            options.asOf = try await lastReferenceTime(on: connection)
        }
        options.command = command
        return try await TransformRunner(project: project, logger: logger).run(connection, options: options)
    }

    /// The reference time the transforms were last built for, if any.
    private func lastReferenceTime(on connection: PostgresConnection) async throws -> Date? {
        let rows = try await connection.query(
            """
            select to_regclass('clv_meta.transform_state') is not null as present
            """)
        guard try rows[0].decode(Bool.self, "present") else { return nil }
        let latest = try await connection.query(
            "select as_of from clv_meta.transform_state order by built_at desc limit 1")
        return try latest.first.map { try $0.decode(Date.self, "as_of") }
    }
}
