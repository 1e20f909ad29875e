import Core
import PostgresClient

/// The saved rules as `clv rules list` and `clv rules history` show them.
public struct SavedRules: Sendable {
    public init() {}

    /// Every rule in its current version, with what it has paid, by name.
    public func current(on connection: PostgresConnection) async throws -> PostgresRows {
        try await connection.query(RulesSQL.statement("current_rules"))
    }

    /// The versions of the rule `name`, oldest first, each with what it paid; refused for an unknown rule.
    public func versions(of name: String, on connection: PostgresConnection) async throws -> PostgresRows {
        let rows = try await connection.query(RulesSQL.statement("rule_versions", binding: [name]))
        if rows.isEmpty { throw WarehouseError("no payout rule named '\(name)'") }
        return rows
    }
}
