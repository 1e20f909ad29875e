import Core
import Foundation
import PostgresClient

/// Saves rule definitions as data (`clv_meta.data_points`, `payout_rules`, `rule_conditions`),
/// all at once or not at all, a new version for each changed rule.
public struct RuleStore: Sendable {
    public init() {}

    /// The data points already saved.
    public func dataPoints(on connection: PostgresConnection) async throws -> [DataPoint] {
        try await connection.query("select name, type, parameter from clv_meta.data_points order by name").map {
            DataPoint(
                name: try $0.decode(String.self, "name"), type: DataPoint.Kind(rawValue: $0[1] ?? "") ?? .text,
                parameter: try $0.decode(String.self, "parameter"))
        }
    }

    /// Replaces what `definitions.files` defined before with what they define now, in one
    /// transaction. A changed rule gets a new version (the old one keeps judging the conversions
    /// of its time); an unchanged one stays as it is. A rule no longer defined is deleted — refused
    /// while it has paid outcomes, unless `reverse`, which writes their reversals first.
    public func apply(
        _ definitions: RuleFileLoader.Definitions, reverse: Bool = false, on connection: PostgresConnection
    ) async throws {
        try await ModuleSchema.rules.ensure(on: connection)
        try await connection.transaction { connection in
            try await connection.execute("select pg_advisory_xact_lock(\(LockKeys.rules))")
            try await remove(
                try await connection.query(
                    RulesSQL.statement(
                        "rules_no_longer_defined",
                        binding: [
                            PostgresArrayLiteral.encode(definitions.files),
                            PostgresArrayLiteral.encode(definitions.rules.map(\.name)),
                        ])),
                reverse: reverse, on: connection)
            for point in definitions.dataPoints {
                try await connection.execute(
                    RulesSQL.statement(
                        "save_data_point",
                        binding: [point.name, point.type.rawValue, point.parameter, definitions.files.first ?? ""]))
            }
            for rule in definitions.rules {
                try await save(rule, on: connection)
            }
        }
    }

    /// Deletes the rules in `removed` (family, file, paid): refused for one with paid outcomes
    /// unless `reverse`, which appends a reversal for each and frees its slots.
    private func remove(_ removed: PostgresRows, reverse: Bool, on connection: PostgresConnection) async throws {
        let paid = try removed.filter { try $0.decode(Int.self, "paid") > 0 }
        if !reverse, !paid.isEmpty {
            throw WarehouseError(
                try paid.map {
                    "\(try $0.decode(String.self, "file")): rule '\(try $0.decode(String.self, "family"))' is no longer defined but has \(try $0.decode(Int.self, "paid")) paid outcome(s): keep it (status: inactive stops new outcomes and keeps these), or apply with --reverse to reverse them"
                }.joined(separator: "\n"))
        }
        let families = try removed.map { try $0.decode(String.self, "family") }
        guard !families.isEmpty else { return }
        try await connection.execute(
            RulesSQL.statement("reverse_rule_outcomes", binding: [PostgresArrayLiteral.encode(families)]))
        try await connection.execute(
            "delete from clv_meta.rule_match_slots where rule_name = any(\(array: families)::text[])")
        try await connection.execute(
            RulesSQL.statement("forget_rule_evaluations", binding: [PostgresArrayLiteral.encode(families)]))
        try await connection.execute(
            "delete from clv_meta.payout_rules where family = any(\(array: families)::text[])")
    }

    private func save(_ rule: PayoutRule, on connection: PostgresConnection) async throws {
        var body = rule
        body.file = ""
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let checksum = SHA256.hex(String(decoding: try encoder.encode(body), as: UTF8.self))
        let (applyOn, events): (String, [String]?) =
            switch rule.applyOn {
            case .allConversions: ("all_conversions", nil)
            case .baseOnly: ("base_only", nil)
            case .events(let names): ("events", names)
            }
        let columns = { (outcome: PayoutRule.Outcome?) -> (String?, String?) in
            switch outcome {
            case .fixed(let amount): ("fixed", amount)
            case .revshare(let percent): ("revshare", percent)
            case nil: (nil, nil)
            }
        }
        let (outcomeType, amount) = columns(rule.outcome)
        let (revenueType, revenueAmount) = columns(rule.revenueOutcome)
        // The current version: unchanged, it stays (its file may have moved); changed, it is
        // superseded now by the next version.
        let current = try await connection.query(RulesSQL.statement("current_rule_version", binding: [rule.name]))
            .first
        if let current, try current.decode(String.self, "checksum") == checksum {
            try await connection.execute(
                "update clv_meta.payout_rules set file = \(rule.file) where family = \(rule.name)")
            return
        }
        let version = try (current?.decode(Int.self, "version") ?? 0) + 1
        let name = version == 1 ? rule.name : "\(rule.name)@v\(version)"
        try await connection.execute(RulesSQL.statement("supersede_rule", binding: [rule.name]))
        let arrayLiteral = { (values: [String]?) in values.map { PostgresArrayLiteral.encode($0) } }
        try await connection.execute(
            RulesSQL.statement(
                "save_payout_rule",
                binding: [
                    rule.name, version, name, rule.file, rule.active ? "active" : "inactive", rule.grouping.rawValue,
                    arrayLiteral(rule.offers), arrayLiteral(rule.partners), arrayLiteral(rule.advertisers), rule.start,
                    rule.end, rule.cycle.rawValue, rule.windowDays, rule.windowFrom.rawValue, rule.frequency.rawValue,
                    applyOn, arrayLiteral(events), outcomeType, amount, revenueType, revenueAmount,
                    rule.onModelOutputs ? "fits" : "conversions", checksum,
                ]))
        for group in rule.groups {
            try await connection.execute(
                RulesSQL.statement(
                    "save_condition_group", binding: [name, group.id, group.parent, group.combine.rawValue]))
        }
        for (position, condition) in rule.conditions.enumerated() {
            try await connection.execute(
                RulesSQL.statement(
                    "save_condition",
                    binding: [
                        name, position, condition.subject, condition.parameter, condition.valueType.rawValue,
                        condition.logic.rawValue, condition.op, condition.textValue, arrayLiteral(condition.textValues),
                        condition.numberValue, condition.numberHigh, condition.group, arrayLiteral(condition.events),
                    ]))
        }
    }
}
