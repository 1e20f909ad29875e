import Core
import PostgresClient

/// Deletes change records every reader has folded in: rows of `clv_changes.*` at or below the
/// oldest build of the transforms that read them, and `raw_history` rows at or below the oldest
/// load watermark of the tables and incremental transforms built from raw facts and of the active
/// payout rules' evaluations.
struct ChangePruner {
    var catalog: TransformCatalog

    func prune(on connection: PostgresConnection) async throws {
        let states = try await connection.query(
            "select transform, build_seq, load_watermark from clv_meta.transform_state"
        ).reduce(into: [String: (buildSeq: Int64, watermark: Int64)]()) { states, row in
            states[try row.decode(String.self, "transform")] = (
                try row.decode(Int64.self, "build_seq"), try row.decode(Int64.self, "load_watermark")
            )
        }
        for transform in catalog.ordered where transform.keepsChanges && states[transform.name] != nil {
            // Views read the relation itself, never its changes.
            let readers = catalog.ordered.filter {
                $0.dependsOn.contains(transform.name) && $0.materialization != .view
            }
            let seen = readers.map { states[$0.name]?.buildSeq }
            guard !seen.contains(where: { $0 == nil }), let oldest = seen.compactMap({ $0 }).min() else { continue }
            try await connection.execute(
                "delete from \(ident: transform.changesName) where _build_seq <= \(oldest)")
        }
        let built = catalog.ordered.filter { $0.materialization != .view }
        let watermarks = built.map { states[$0.name]?.watermark }
        guard !built.isEmpty, !watermarks.contains(where: { $0 == nil }),
            let transformsSeen = watermarks.compactMap({ $0 }).min()
        else { return }
        // The payout rules read history too (a deleted conversion changes what its customer
        // qualifies for): keep what an active rule's last evaluation has not seen.
        // (A database without the rules migration has neither table.)
        let hasRules = try await connection.query(
            "select to_regclass('clv_meta.rule_evaluations') is not null as present")[0].decode(Bool.self, "present")
        let rulesSeen =
            hasRules
            ? try await connection.query(
                """
                select min(e.load_watermark) as seen from clv_meta.rule_evaluations as e
                join clv_meta.payout_rules as r on r.name = e.rule_name and r.status = 'active'
                """)[0]["seen"].flatMap { Int64($0) } : nil
        let oldest = min(transformsSeen, rulesSeen ?? transformsSeen)
        let history = try await connection.query(
            """
            select n.nspname || '.' || c.relname as name
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'raw_history' and c.relkind = 'r' order by 1
            """)
        for row in history {
            try await connection.execute(
                "delete from \(ident: try row.decode(String.self, "name")) where _replaced_by <= \(oldest)")
        }
    }
}
