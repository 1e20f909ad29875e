import Core
import Foundation
import Logging
import Pipeline
import PostgresClient
import TestSupport
import Transforms

@testable import Rules

/// A migrated database, rules applied from YAML text, conversions inserted by hand.
struct RuleFixture {
    let database: TestDatabase
    let connection: PostgresConnection
    let folder: TemporaryDirectory

    static let repository = Project(
        root: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent())

    static func make(rules: String) async throws -> RuleFixture {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await Pipeline(project: repository, logger: Logger(label: "test")).migrate(on: connection)
        let folder = try TemporaryDirectory.make(prefix: "clv-rules")
        try folder.write("rules/test.yaml", rules)
        let fixture = RuleFixture(database: database, connection: connection, folder: folder)
        try await fixture.apply()
        return fixture
    }

    func apply() async throws {
        let loader = RuleFileLoader(project: Project(root: folder.url))
        let definitions = try loader.load(
            loader.defaultFiles(), known: try await RuleStore().dataPoints(on: connection))
        try await RuleStore().apply(definitions, on: connection)
    }

    /// Inserts conversions: (id, customer, time, event, offer, partner, revenue, params JSON).
    func convert(_ rows: [(String, String, String, String, String?, String?, String, String)]) async throws {
        for (id, customer, time, event, offer, partner, revenue, params) in rows {
            try await connection.execute(
                """
                insert into raw.conversions (conversion_id, customer_id, occurred_at, event, offer_id, partner_id, revenue, payout, params)
                values (\(id), \(customer), \(time)::timestamptz, \(event), \(offer as String?), \(partner as String?), \(revenue)::numeric, 5, \(params)::jsonb)
                """)
        }
    }

    @discardableResult
    func evaluate(full: Bool = false) async throws -> RuleEvaluator.Report {
        try await RuleEvaluator(logger: Logger(label: "test")).evaluate(
            on: connection, full: full)
    }

    /// Evaluates as `clv run` does after its transforms: when revenue outcomes changed, the
    /// transforms follow (incrementally).
    @discardableResult
    func refresh() async throws -> Pipeline.RulesReport {
        try await Pipeline(project: Self.repository, logger: Logger(label: "test")).evaluateRules(
            on: connection, command: "test")
    }

    /// Builds every transform (`full`: from scratch, as `clv run --full-refresh`).
    func runTransforms(full: Bool = false) async throws {
        var options = TransformRunner.Options()
        options.fullRefresh = full
        _ = try await TransformRunner(project: Self.repository, logger: Logger(label: "test")).run(
            connection, options: options)
    }

    /// Builds `analytics.conversion_payouts` and what it reads (attribution gives each conversion
    /// its default payout), so the report can be queried.
    func buildPayouts() async throws {
        var options = TransformRunner.Options()
        options.select = ["+analytics.conversion_payouts"]
        _ = try await TransformRunner(project: Self.repository, logger: Logger(label: "test")).run(
            connection, options: options)
    }

    /// The paid outcomes: (rule, customer, conversion, scope, slot, amount).
    func paid() async throws -> [[String]] {
        try await connection.query(
            """
            select rule_name, customer_id, conversion_id, scope_key, slot_key, amount::text
            from clv_meta.rule_match_slots order by rule_name, customer_id, scope_key, slot_key
            """
        ).map { $0.values.map { $0 ?? "" } }
    }

    /// The ledger: (rule, conversion, amount, entry).
    func ledger() async throws -> [[String]] {
        try await connection.query(
            "select rule_name, conversion_id, amount::text, entry from analytics.rule_matches order by match_id"
        ).map { $0.values.map { $0 ?? "" } }
    }

    func tearDown() async throws {
        folder.remove()
        try await database.drop()
    }
}
