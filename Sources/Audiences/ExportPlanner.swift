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

    /// Builds `clv_desired` and `clv_diff` (temporary, dropped at commit) and returns the counts.
    func diff(full: Bool, on connection: PostgresConnection) async throws -> Counts {
        let attributes = audience.attributes.map { "\(Identifier.literal($0)), a.\(Identifier.quote($0))" }
            .joined(separator: ", ")
        do {
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
        try await connection.executeScript(
            """
            create temp table clv_valid on commit drop as
            select distinct on (identity) identity, customer_id, attributes
            from clv_members
            where identity ~ \(Identifier.literal(Self.emailPattern))
            order by identity, customer_id;
            \(Self.suppressionTable("clv_suppressed", onCommitDrop: true))
            create temp table clv_desired on commit drop as
            select v.identity, v.customer_id, v.attributes
            from clv_valid as v
            join raw.customers as c on c.customer_id = v.customer_id and c.email_opt_in
            where not exists (select 1 from clv_suppressed as s where s.identity = v.identity);
            create unique index on clv_desired (identity);
            analyze clv_desired;
            """)
        try await connection.execute(
            """
            create temp table clv_diff on commit drop as
            select d.identity, d.customer_id, d.attributes,
                case
                    when m.identity is null then 'add'
                    when m.attributes is distinct from d.attributes or \(full) then 'update'
                    else 'keep'
                end as action
            from clv_desired as d
            left join clv_meta.audience_members as m
                on m.audience = \(audience.name) and m.destination = \(destination.name) and m.identity = d.identity
            union all
            select m.identity, m.customer_id, m.attributes, 'remove'
            from clv_meta.audience_members as m
            where m.audience = \(audience.name) and m.destination = \(destination.name)
                and not exists (select 1 from clv_desired as d where d.identity = m.identity)
            """)
        let row = try await connection.query(
            """
            select
                (select count(*) from clv_meta.audience_members where audience = \(audience.name) and destination = \(destination.name)) as members_before,
                (select count(*) from clv_members) as rows_read,
                (select count(*) from clv_members where identity is null or identity !~ \(Self.emailPattern)) as invalid,
                (select count(*) from clv_members where identity ~ \(Self.emailPattern)) - (select count(*) from clv_valid) as duplicates,
                (select count(*) from clv_valid) - (select count(*) from clv_desired) as suppressed,
                count(*) filter (where action = 'add') as added,
                count(*) filter (where action = 'update') as changed,
                count(*) filter (where action = 'remove') as removed,
                count(*) filter (where action = 'keep') as unchanged
            from clv_diff
            """)[0]
        return Counts(
            membersBefore: try row.decode(Int.self, "members_before"), rowsRead: try row.decode(Int.self, "rows_read"),
            invalidEmails: try row.decode(Int.self, "invalid"), duplicates: try row.decode(Int.self, "duplicates"),
            suppressed: try row.decode(Int.self, "suppressed"), added: try row.decode(Int.self, "added"),
            changed: try row.decode(Int.self, "changed"), removed: try row.decode(Int.self, "removed"),
            unchanged: try row.decode(Int.self, "unchanged"))
    }

    /// Saves the change set of `clv_diff` for `exportID`, numbered into batches: additions and
    /// changes first, removals in batches of their own.
    func save(exportID: Int, on connection: PostgresConnection) async throws -> Int {
        try await connection.execute(
            """
            insert into clv_meta.audience_changes (export_id, seq, batch, identity, customer_id, action, attributes)
            select \(exportID), row_number() over (order by is_remove, identity),
                dense_rank() over (order by is_remove, (kind_rank - 1) / \(rowsPerBatch)) as batch,
                identity, customer_id, action, attributes
            from (
                select *, action = 'remove' as is_remove,
                    row_number() over (partition by action = 'remove' order by identity) as kind_rank
                from clv_diff
                where action <> 'keep'
            ) as numbered
            """)
        try await connection.execute("analyze clv_meta.audience_changes")
        return try await connection.query(
            "select coalesce(max(batch), 0) as batches from clv_meta.audience_changes where export_id = \(exportID)"
        )[0].decode(Int.self, "batches")
    }

    /// Everyone who must not be mailed: customers without email consent, and contacts with an
    /// unsubscribe or a bounce (every bounce is treated as hard) in the email events.
    static func suppressionTable(_ name: String, onCommitDrop: Bool) -> String {
        """
        create temp table \(name) \(onCommitDrop ? "on commit drop" : "") as
        select lower(btrim(email)) as identity from raw.customers where not email_opt_in and email is not null
        union
        select lower(btrim(contact)) from raw.email_events where type in ('unsubscribe', 'bounce');
        create unique index on \(name) (identity);
        analyze \(name);
        """
    }
}
