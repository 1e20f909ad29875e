import Foundation
import Logging
import PostgresClient
import Warehouse

/// What evaluating the payout rules means for the warehouse: an evaluation, and — when revenue
/// outcomes changed what the network books — an incremental run of the transforms, so the revenue
/// ledger (`analytics_internal.rule_revenue`) and everything built on it (customer facts, deciles,
/// performance) agree with the rules in the same command. `clv run`, `clv rules evaluate`, the
/// scheduler's `rules` step and the demo all go through here.
public struct RuleRefresh: Sendable {
    public let project: Project
    public let logger: Logger

    public init(project: Project, logger: Logger) {
        self.project = project
        self.logger = logger
    }

    /// The evaluation, and the run that followed it when one was needed.
    public struct Report: Sendable, Codable {
        public var evaluation: RuleEvaluator.Report
        public var transforms: TransformRunner.Report?
    }

    /// Evaluates the active rules (incrementally unless `full`), then, if booked revenue changed,
    /// runs the transforms for `asOf` (nil: the reference time the last run used, so no window moves).
    public func evaluate(on connection: PostgresConnection, full: Bool = false, asOf: Date? = nil, command: String)
        async throws -> Report
    {
        let evaluation = try await RuleEvaluator(project: project, logger: logger).evaluate(
            on: connection, full: full)
        guard evaluation.revenueEntries > 0 else { return Report(evaluation: evaluation) }
        return Report(
            evaluation: evaluation, transforms: try await runTransforms(asOf: asOf, command: command, on: connection))
    }

    /// Evaluates the rules on model outputs for a fit just published (`clv predict`, the
    /// schedule's `predict` step), then, if booked revenue changed, runs the transforms as
    /// `evaluate` does.
    public func afterFit(
        fitID: Int64, observationEnd: String, asOf: Date? = nil, on connection: PostgresConnection, command: String
    ) async throws -> (evaluation: ModelRuleEvaluator.Report, transforms: TransformRunner.Report?) {
        let evaluation = try await ModelRuleEvaluator(project: project, logger: logger).evaluate(
            fitID: fitID, observationEnd: observationEnd, on: connection)
        guard evaluation.revenueEntries > 0 else { return (evaluation, nil) }
        return (evaluation, try await runTransforms(asOf: asOf, command: command, on: connection))
    }

    private func runTransforms(asOf: Date?, command: String, on connection: PostgresConnection) async throws
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
