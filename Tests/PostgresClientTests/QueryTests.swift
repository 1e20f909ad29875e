import Foundation
import PostgresClient
import TestSupport
import Testing

@Suite struct QueryTests {
    @Test func boundValuesAreNeverSpliced() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await connection.executeScript("create table people (name text)")
        let hostile = "x'); drop table people; --"
        try await connection.execute("insert into people values (\(hostile))")
        let rows = try await connection.query("select name from people where name = \(hostile)")
        #expect(rows.count == 1)
        #expect(rows[0]["name"] == hostile)
        try await database.drop()
    }

    @Test func decodesTypedColumns() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let rows = try await connection.query(
            """
            select 42::int as i, 9000000000::bigint as big, 12.50::numeric as money, 0.25::float8 as ratio,
                   true as yes, 'é'::text as word, null::text as missing,
                   '2024-02-29 23:59:58.5+01'::timestamptz as at
            """)
        let row = rows[0]
        #expect(try row.decode(Int.self, "i") == 42)
        #expect(try row.decode(Int64.self, "big") == 9_000_000_000)
        #expect(try row.decode(Decimal.self, "money") == Decimal(string: "12.5"))
        #expect(try row.decode(Double.self, "ratio") == 0.25)
        #expect(try row.decode(Bool.self, "yes"))
        #expect(try row.decode(String.self, "word") == "é")
        #expect(try row.decode(String?.self, "missing") == nil)
        // 2024-02-29 22:59:58.5 UTC, computed by hand from the +01 offset.
        let expected = Date(timeIntervalSince1970: 1_709_247_598.5)
        #expect(try row.decode(Date.self, "at") == expected)
        #expect(rows.columns == ["i", "big", "money", "ratio", "yes", "word", "missing", "at"])
        try await database.drop()
    }

    @Test func dateRoundTripsThroughABoundParameter() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let instant = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let rows = try await connection.query(
            "select \(instant)::timestamptz as at, extract(epoch from \(instant)::timestamptz)::text as epoch")
        #expect(rows[0]["epoch"] == "1700000000.123456")
        #expect(abs(try rows[0].decode(Date.self, "at").timeIntervalSince(instant)) < 0.000_001)
        try await database.drop()
    }

    @Test func serverErrorCarriesDiagnosticFields() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await connection.executeScript("create table t (id int primary key)")
        try await connection.execute("insert into t values (1)")
        let duplicate = await #expect(throws: PostgresError.self) {
            try await connection.execute("insert into t values (1)")
        }
        #expect(duplicate?.sqlState == "23505")
        #expect(duplicate?.detail == "Key (id)=(1) already exists.")
        #expect(duplicate?.kind == .server)

        let syntax = await #expect(throws: PostgresError.self) {
            try await connection.query("select 1 from t where id = = 1")
        }
        #expect(syntax?.sqlState == "42601")
        // "select 1 from t where id = = 1": the second '=' is character 28.
        #expect(syntax?.position == 28)
        #expect(syntax?.query == "select 1 from t where id = = 1")
        try await database.drop()
    }

    @Test func timestampTextIsExact() {
        // 2024-02-29 22:59:58.5 UTC; whole seconds print no fraction; before 1970 rounds down.
        #expect(
            PostgresTimestamp.format(Date(timeIntervalSince1970: 1_709_247_598.5)) == "2024-02-29 22:59:58.500000+00")
        #expect(PostgresTimestamp.format(epochSeconds: 1_735_689_600) == "2025-01-01 00:00:00+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: -1.5)) == "1969-12-31 23:59:58.500000+00")
        #expect(PostgresTimestamp.format(Date(timeIntervalSince1970: 0.000_001)) == "1970-01-01 00:00:00.000001+00")
        // PostgreSQL's last second: years past 9999 keep all their digits.
        #expect(PostgresTimestamp.format(epochSeconds: 9_224_318_015_999) == "294276-12-31 23:59:59+00")
        // More than six fraction digits are cut to microseconds (this used to trap).
        #expect(
            PostgresTimestamp.parse("2025-01-01T00:00:00.1234567Z")
                == Date(timeIntervalSince1970: 1_735_689_600.123_456))
    }

    @Test func identifierQuoting() {
        #expect(Identifier.quote("a\"b") == "\"a\"\"b\"")
        #expect(Identifier.quoteQualified("analytics.customer_value") == "\"analytics\".\"customer_value\"")
        #expect(Identifier.literal("it's") == "'it''s'")
        let missing: String? = nil
        let sql: SQL = "select * from \(ident: "raw.my table") where a = \(1) and b = \(missing as String?)"
        #expect(sql.text == "select * from \"raw\".\"my table\" where a = $1 and b = $2")
        #expect(sql.binds == ["1", nil])
    }

    @Test func connectionFailureIsAConnectionError() async throws {
        let error = await #expect(throws: PostgresError.self) {
            _ = try await PostgresConnection.connect(
                "host=/nonexistent-socket-dir port=1 user=x dbname=x connect_timeout=2")
        }
        #expect(error?.kind == .connection)
        #expect(error?.isTransient == true)
    }
}
