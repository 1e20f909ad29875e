import Core
import PostgresClient

/// A relation as the database holds it: its columns from the PostgreSQL catalog and the version of
/// its transform file that last built it.
public struct BuiltRelation: Sendable, Equatable {
    /// A column and its type as `format_type` prints it (`numeric`, `timestamp with time zone`).
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    /// In the relation's column order.
    public var columns: [Column]
    /// The checksum of the transform file its last build used (`clv_meta.transform_state`); nil
    /// when clv has no record of building it.
    public var version: String?

    public init(columns: [Column], version: String?) {
        self.columns = columns
        self.version = version
    }

    /// Every table and view of `schema`, by `schema.relation`.
    public static func read(schema: String, on connection: PostgresConnection) async throws -> [String: BuiltRelation] {
        var versions: [String: String] = [:]
        // Before the first migration there is no build record: every relation then reads as unbuilt.
        let hasState = try await connection.query(
            "select to_regclass('clv_meta.transform_state') is not null as present")[0].decode(Bool.self, "present")
        if hasState {
            for row in try await connection.query("select transform, version from clv_meta.transform_state") {
                versions[try row.decode(String.self, "transform")] = try row.decode(String.self, "version")
            }
        }
        var relations: [String: BuiltRelation] = [:]
        for row in try await connection.query(
            """
            select n.nspname || '.' || c.relname as relation, a.attname as column,
                format_type(a.atttypid, a.atttypmod) as type
            from pg_class as c
            join pg_namespace as n on n.oid = c.relnamespace
            join pg_attribute as a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where n.nspname = \(schema) and c.relkind in ('r', 'v', 'm', 'p', 'f')
            order by c.relname, a.attnum
            """)
        {
            let name = try row.decode(String.self, "relation")
            let column = Column(name: try row.decode(String.self, "column"), type: try row.decode(String.self, "type"))
            relations[name, default: BuiltRelation(columns: [], version: versions[name])].columns.append(column)
        }
        return relations
    }
}
