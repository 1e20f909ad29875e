import PostgresClient
import TestSupport

/// PostgreSQL's own input functions, asked about thousands of values in one round trip.
///
/// PostgreSQL 15 has no `pg_input_is_valid`, so a PL/pgSQL function casts each value inside its
/// own exception block. Besides real type names it takes `epoch` (whole seconds since 1970, as
/// `to_timestamp` reads them) and `pipelist` (`a|b|c` as a text array without empty items).
struct PostgresInputs {
    let database: TestDatabase
    let connection: PostgresConnection

    static func make() async throws -> PostgresInputs {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await connection.executeScript(
            """
            create function clv_test_parse(vals text[], typ text) returns table (ord int, parsed text)
            language plpgsql as $$
            begin
                for i in 1..coalesce(array_length(vals, 1), 0) loop
                    ord := i;
                    begin
                        if typ = 'epoch' then
                            perform to_timestamp(vals[i]::float8);
                            parsed := (timestamptz 'epoch' + make_interval(days => (vals[i]::bigint / 86400)::int,
                                secs => vals[i]::bigint % 86400))::text;
                        elsif typ = 'pipelist' then
                            parsed := array_remove(string_to_array(vals[i], '|'), '')::text;
                        else
                            execute format('select $1::%s::text', typ) into parsed using vals[i];
                        end if;
                    exception when others then
                        parsed := null;
                    end;
                    return next;
                end loop;
            end $$
            """)
        return PostgresInputs(database: database, connection: connection)
    }

    /// Each value as PostgreSQL reads it as `type` (its text output), nil where it refuses it.
    func parse(_ values: [String], as type: String) async throws -> [String?] {
        try await connection.query(
            "select parsed from clv_test_parse(\(array: values)::text[], \(type)::text) order by ord"
        )
        .map { $0.values[0] }
    }

    func tearDown() async throws {
        try await database.drop()
    }
}
