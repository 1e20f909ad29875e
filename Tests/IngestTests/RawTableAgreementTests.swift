import PostgresClient
import Testing

@testable import Ingest

/// The ingest column rules (`IngestKind`) describe the raw tables the migrations create: the same
/// table, key, columns, types and defaults. A migration that changes a raw table without the
/// rules (or the other way round) fails here, naming the column.
@Suite struct RawTableAgreementTests {
    /// The PostgreSQL type each input type is written into.
    static func postgresType(_ type: InputColumnType) -> String {
        switch type {
        case .text, .oneOf: "text"
        case .timestamp: "timestamp with time zone"
        case .date: "date"
        case .numeric: "numeric"
        case .count: "integer"
        case .boolean: "boolean"
        case .duration: "interval"
        case .textList: "text[]"
        }
    }

    @Test func everyKindMatchesItsMigratedTable() async throws {
        let fixture = try await IngestFixture.make()
        for kind in IngestKind.allCases {
            let parts = kind.table.split(separator: ".").map(String.init)
            let columns = try await fixture.connection.query(
                """
                select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
                    pg_get_expr(d.adbin, d.adrelid) as default_expression
                from pg_attribute as a
                join pg_class as c on c.oid = a.attrelid
                join pg_namespace as n on n.oid = c.relnamespace
                left join pg_attrdef as d on d.adrelid = a.attrelid and d.adnum = a.attnum
                where n.nspname = \(parts[0]) and c.relname = \(parts[1]) and a.attnum > 0 and not a.attisdropped
                """)
            #expect(!columns.isEmpty, "\(kind.table) does not exist")
            var table: [String: (type: String, notNull: Bool, defaultExpression: String?)] = [:]
            for row in columns {
                table[try row.decode(String.self, "name")] = (
                    try row.decode(String.self, "type"), try row.decode(Bool.self, "not_null"),
                    try row.decode(String?.self, "default_expression")
                )
            }
            let key = try await fixture.connection.query(
                """
                select array_to_string(array_agg(a.attname order by k.ord), ',') as key
                from pg_index as i
                cross join unnest(i.indkey) with ordinality as k (attnum, ord)
                join pg_attribute as a on a.attrelid = i.indrelid and a.attnum = k.attnum
                where i.indrelid = \(kind.table)::regclass and i.indisprimary
                """)[0].decode(String?.self, "key")
            #expect(key == kind.key.joined(separator: ","), "\(kind.table): primary key")
            for column in kind.columns {
                guard let described = table[column.target] else {
                    Issue.record("\(kind.rawValue).\(column.input): \(kind.table) has no column \(column.target)")
                    continue
                }
                #expect(
                    described.type == Self.postgresType(column.type),
                    "\(kind.rawValue).\(column.input): \(kind.table).\(column.target) is \(described.type)")
                if let absent = column.absent {
                    // The value written for an absent field is the table's default, evaluated.
                    let expression = try #require(
                        described.defaultExpression, "\(kind.table).\(column.target) has no default")
                    let value = try await fixture.connection.query(
                        SQL(unsafeSQL: "select (\(expression))::text as value"))[0].decode(String.self, "value")
                    let written = try await fixture.connection.query(
                        SQL(unsafeSQL: "select \(Identifier.literal(absent))::\(described.type)::text as value"))[0]
                        .decode(String.self, "value")
                    #expect(value == written, "\(kind.rawValue).\(column.input): absent → \(absent), default \(value)")
                } else if described.notNull && !column.required {
                    Issue.record(
                        "\(kind.rawValue).\(column.input): optional, but \(kind.table).\(column.target) is not null")
                }
            }
            // Every column clv does not fill itself is one the rules describe.
            let described = Set(kind.columns.map(\.target))
            let bookkeeping: Set<String> = ["_load_id", "_loaded_at", "params"]
            for name in table.keys where !described.contains(name) && !bookkeeping.contains(name) {
                Issue.record("\(kind.table).\(name) is not described by the ingest rules of \(kind.rawValue)")
            }
        }
        try await fixture.tearDown()
    }
}
