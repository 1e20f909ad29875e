import Core
import Foundation
import PostgresClient

/// Computes an export's change set in SQL: members normalised, invalid emails and duplicates
/// counted, consent and suppression applied, diffed against what the destination last
/// acknowledged; saved in `clv_meta.audience_changes` before anything is sent.
struct ExportPlanner: Sendable {
    let audience: Audience
    let destination: Destination
    /// The audience's SELECT with the audiences it reads inlined.
    let sql: String

    /// The counts of a planned (or dry-run) export.
    struct Counts: Sendable, Codable {
        var membersBefore = 0
        var rowsRead = 0
        var invalidEmails = 0
        var duplicates = 0
        var suppressed = 0
        var added = 0
        var changed = 0
        var removed = 0
        var unchanged = 0
    }

    /// The identity format PostgreSQL checks: something@something.tld, no spaces.
    static let emailPattern = #"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$"#

    var rowsPerBatch: Int {
        if case .file(let settings) = destination.kind { return settings.maxRowsPerFile }
        return destination.batchSize
    }

    /// For the rest of the transaction: joins of whole sets. Sorts and hashes of a million members
    /// stay in memory (work_mem is raised), and nested loops are off: a pair's members and a change
    /// set are often estimated from statistics taken before the last export rewrote them, and a
    /// loop over a million rows that were thought to be a few never ends.
    static func joinWholeSets(on connection: PostgresConnection) async throws {
        try await connection.executeScript("set local work_mem = '256MB'; set local enable_nestloop = off")
    }

    /// Builds `clv_members` and `clv_diff` (temporary, dropped at commit) and returns the counts,
    /// joining whole sets (``joinWholeSets``).
    func diff(full: Bool, on connection: PostgresConnection) async throws -> Counts {
        try await Self.joinWholeSets(on: connection)
        let attributes = audience.attributes.map { "\(Identifier.literal($0)), a.\(Identifier.quote($0))" }
            .joined(separator: ", ")
        do {
            // Generated: the audience's SELECT, identity column and attributes are spliced in.
            try await connection.execute(
                SQL(
                    unsafeSQL: """
                        create temp table clv_members on commit drop as
                        select
                            a.customer_id::text as customer_id,
                            lower(btrim(a.\(Identifier.quote(audience.identity))::text)) as identity,
                            jsonb_build_object(\(attributes)) as attributes
                        from (
                        \(sql)
                        ) as a
                        """))
        } catch let error as PostgresError where error.sqlState == "42703" {
            throw WarehouseError(
                "\(error.message): an audience returns customer_id, its identity column '\(audience.identity)' and its attributes",
                at: audience.file, sqlState: error.sqlState)
        } catch let error as PostgresError {
            throw WarehouseError(error.message, at: audience.file, sqlState: error.sqlState)
        }
        try await connection.executeScript(try Self.suppressionTable("clv_suppressed", onCommitDrop: true))
        try await connection.execute(
            AudiencesSQL.statement(
                "plan_changes", binding: [Self.emailPattern, full, audience.name, destination.name]))
        let row = try await connection.query(
            AudiencesSQL.statement("export_counts", binding: [audience.name, destination.name]))[0]
        return Counts(
            membersBefore: try row.decode(Int.self, "members_before"), rowsRead: try row.decode(Int.self, "rows_read"),
            invalidEmails: try row.decode(Int.self, "invalid"), duplicates: try row.decode(Int.self, "duplicates"),
            suppressed: try row.decode(Int.self, "suppressed"), added: try row.decode(Int.self, "added"),
            changed: try row.decode(Int.self, "changed"), removed: try row.decode(Int.self, "removed"),
            unchanged: try row.decode(Int.self, "unchanged"))
    }

    /// Saves the change set of `clv_diff` for `exportID` with its batches (additions and changes
    /// first, removals in batches of their own); returns how many batches. `upserts` is how many
    /// additions and changes the set holds (from the counts).
    ///
    /// The set goes to its own partition, `clv_meta.audience_changes_<export id>` (``changeSetTable``),
    /// created in this transaction: attached while empty (its check constraint spares the scan),
    /// and on the embedded cluster (`wal_level = minimal`) written without WAL.
    func save(exportID: Int, upserts: Int, on connection: PostgresConnection) async throws -> Int {
        let table = Self.changeSetTable(exportID)
        try await connection.executeScript(
            """
            create table \(table) (like clv_meta.audience_changes including defaults including constraints,
                check (export_id = \(exportID)));
            alter table clv_meta.audience_changes attach partition \(table) for values in (\(exportID));
            """)
        return try await connection.query(
            AudiencesSQL.statement("save_changes", binding: [exportID, rowsPerBatch, upserts]))[0].decode(
                Int.self, "batches")
    }

    /// The partition of `clv_meta.audience_changes` that holds export `exportID`'s change set.
    static func changeSetTable(_ exportID: Int) -> String { "clv_meta.audience_changes_\(exportID)" }

    /// A script that creates the temporary table `name` of everyone who must not be mailed
    /// (`suppressed_identities`), indexed: generated, as planning drops it at commit and sending
    /// keeps it for the session.
    static func suppressionTable(_ name: String, onCommitDrop: Bool) throws -> String {
        """
        create temp table \(name) \(onCommitDrop ? "on commit drop" : "") as
        \(statementBody(of: try AudiencesSQL.text("suppressed_identities")));
        create unique index on \(name) (identity);
        analyze \(name);
        """
    }
}
