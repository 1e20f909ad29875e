import Core
import PostgresClient
import Testing
import Transforms

@Suite struct MigrationTests {
    @Test func appliesInOrderAndRecordsTheLedger() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("sql/schema/0002_more.sql", "alter table raw.orders add column note text;")
        try fixture.write("sql/schema/0001_orders.sql", Fixture.ordersMigration)
        let applied = try await fixture.migrate()
        #expect(applied.map(\.migration.version) == [1, 2])
        #expect(try await fixture.migrate().isEmpty)
        let ledger = try await fixture.rows("select version::text, name from clv_meta.migrations order by version")
        #expect(ledger == [["1", "orders"], ["2", "more"]])
        try await fixture.tearDown()
    }

    @Test func editedMigrationIsRefusedBeforeAnythingRuns() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("sql/schema/0001_orders.sql", Fixture.ordersMigration)
        try await fixture.migrate()
        let original = SHA256.hex(Fixture.ordersMigration)
        let edited = Fixture.ordersMigration + "\n-- edited\n"
        try fixture.write("sql/schema/0001_orders.sql", edited)
        try fixture.write("sql/schema/0002_new.sql", "create table raw.should_not_exist (id int);")
        let error = await #expect(throws: WarehouseError.self) { try await fixture.migrate() }
        #expect(error?.location == "sql/schema/0001_orders.sql")
        #expect(error?.message.contains(String(original.prefix(12))) == true)
        #expect(error?.message.contains(String(SHA256.hex(edited).prefix(12))) == true)
        #expect(try await fixture.rows("select to_regclass('raw.should_not_exist')::text") == [[nil]])
        try await fixture.tearDown()
    }

    @Test func failingMigrationRollsBackAndPointsAtTheLine() async throws {
        let fixture = try await Fixture.make()
        try fixture.write("sql/schema/0001_orders.sql", Fixture.ordersMigration)
        try fixture.write(
            "sql/schema/0002_bad.sql", "create table raw.half (id int);\nselect nonsense_column from raw.half;\n")
        let error = await #expect(throws: WarehouseError.self) { try await fixture.migrate() }
        #expect(error?.location == "sql/schema/0002_bad.sql:2:8")
        // The first migration stays; the failing one left nothing behind.
        #expect(try await fixture.rows("select version::text from clv_meta.migrations") == [["1"]])
        #expect(try await fixture.rows("select to_regclass('raw.half')::text") == [[nil]])
        try await fixture.tearDown()
    }
}
