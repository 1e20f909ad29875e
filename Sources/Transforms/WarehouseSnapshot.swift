import Core
import Foundation
import PostgresClient

/// What the database holds that planning needs: each transform's last successful build, which
/// relations exist, and how far each raw table's load ids reach.
public struct WarehouseSnapshot: Sendable {
    /// The last successful build of a transform.
    public struct BuildState: Sendable {
        public var version: String
        public var materialization: Materialization
        /// Increases with every build; a dependent built before its upstream is stale.
        public var buildSeq: Int64
        /// The build sequence number of its last full build: readers built before it must rebuild in full.
        public var resetSeq: Int64
        /// The highest load id the build had seen.
        public var loadWatermark: Int64
        public var asOf: Date
        /// Each `changes_by` source's mark when this build read it.
        public var sourceMarks: [String: String] = [:]
    }

    /// Relation kind as in `pg_class.relkind`: `r` table, `v` view.
    public var relations: [String: String]
    public var states: [String: BuildState]
    /// Source clv loads (a raw table with `_load_id`) → its highest load id at or below the
    /// watermark (0 when empty).
    public var rawLoads: [String: Int64]
    /// Sources without `_load_id`, whose new rows clv cannot find by load id.
    public var untracked: Set<String> = []
    /// `changes_by` source → the highest value of its change column, as text (absent when empty).
    public var sourceMarks: [String: String] = [:]
    /// Every load id at or below this is committed or rolled back.
    public var watermark: Int64

    /// Reads the snapshot. `watermark` comes from `LoadWatermark.read(_:)`.
    static func read(
        _ connection: PostgresConnection, catalog: TransformCatalog, watermark: Int64
    ) async throws -> WarehouseSnapshot {
        var relations: [String: String] = [:]
        let sources = catalog.sources
        let schemas = Array(
            Set(
                catalog.ordered.map(\.schema) + sources.map { String($0.split(separator: ".")[0]) }
                    + [RawTables.schema, RawTables.historySchema]))
        var loadIDTables: Set<String> = []
        for row in try await connection.query(
            """
            select n.nspname || '.' || c.relname as name, c.relkind::text as kind,
                exists (
                    select from pg_attribute as a
                    where a.attrelid = c.oid and a.attname = '_load_id' and not a.attisdropped
                ) as has_load_id
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = any(\(array: schemas)::text[]) and c.relkind in ('r', 'v', 'm', 'p', 'f')
            """)
        {
            let name = try row.decode(String.self, "name")
            relations[name] = try row.decode(String.self, "kind")
            if try row.decode(Bool.self, "has_load_id") { loadIDTables.insert(name) }
        }
        var states: [String: BuildState] = [:]
        for row in try await connection.query(
            """
            select transform, version, materialized, build_seq, reset_seq, load_watermark, as_of, source_marks::text as marks
            from clv_meta.transform_state
            """
        ) {
            states[try row.decode(String.self, "transform")] = BuildState(
                version: try row.decode(String.self, "version"),
                materialization: Materialization(rawValue: try row.decode(String.self, "materialized")) ?? .table,
                buildSeq: try row.decode(Int64.self, "build_seq"),
                resetSeq: try row.decode(Int64.self, "reset_seq"),
                loadWatermark: try row.decode(Int64.self, "load_watermark"),
                asOf: try row.decode(Date.self, "as_of"),
                sourceMarks: try JSONDecoder().decode(
                    [String: String].self, from: Data(try row.decode(String.self, "marks").utf8)))
        }
        var untracked: Set<String> = []
        var sourceMarks: [String: String] = [:]
        var tracked: [String] = []
        for table in sources where relations[table] != nil {
            guard TransformCatalog.isRaw(table), loadIDTables.contains(table) else {
                untracked.insert(table)
                if let column = catalog.ordered.lazy.compactMap({ $0.changesBy[table] }).first {
                    sourceMarks[table] = try await mark(of: table, column: column, on: connection)
                }
                continue
            }
            tracked.append(table)
        }
        let rawLoads = try await highestLoads(of: tracked, relations: relations, watermark: watermark, on: connection)
        return WarehouseSnapshot(
            relations: relations, states: states, rawLoads: rawLoads, untracked: untracked, sourceMarks: sourceMarks,
            watermark: watermark)
    }

    /// Each tracked raw table's highest load id at or below the watermark, in one statement: its
    /// rows' and, since a deletion leaves no row behind, its replaced versions' in raw_history.
    private static func highestLoads(
        of tables: [String], relations: [String: String], watermark: Int64, on connection: PostgresConnection
    ) async throws -> [String: Int64] {
        guard !tables.isEmpty else { return [:] }
        let parts = tables.map { table in
            let history = RawTables.historyName(of: table)
            let deletions =
                relations[history] == nil
                ? ""
                : " union all select max(_replaced_by) from \(Identifier.quoteQualified(history)) where _replaced_by <= \(watermark)"
            return """
                select \(Identifier.literal(table)) as source, coalesce(max(m), 0) as max_load from (
                    select max(_load_id) as m from \(Identifier.quoteQualified(table)) where _load_id <= \(watermark)\(deletions)
                ) as loads
                """
        }
        var loads: [String: Int64] = [:]
        for row in try await connection.query(SQL(unsafeSQL: parts.joined(separator: "\nunion all\n"))) {
            loads[try row.decode(String.self, "source")] = try row.decode(Int64.self, "max_load")
        }
        return loads
    }

    /// The highest value of a source's change column, as text; nil when the source is empty.
    private static func mark(of source: String, column: String, on connection: PostgresConnection) async throws
        -> String?
    {
        do {
            return try await connection.query(
                "select max(\(ident: column))::text as mark from \(ident: source)")[0].decode(String?.self, "mark")
        } catch let error as PostgresError where error.sqlState == "42703" {
            throw WarehouseError("changes_by names \(source).\(column), but \(source) has no column \(column)")
        }
    }
}
