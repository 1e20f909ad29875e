import Core
import Foundation
import Logging
import PostgresClient
import TestSupport
import Transforms

/// A temporary project folder and a fresh database for one test.
struct Fixture {
    let folder: TemporaryDirectory
    let database: TestDatabase
    let connection: PostgresConnection
    var project: Project { Project(root: folder.url) }
    let logger = Logger(label: "test")

    static func make() async throws -> Fixture {
        let database = try await TestDatabase.make()
        return Fixture(
            folder: try TemporaryDirectory.make(), database: database, connection: try await database.connect())
    }

    /// A fixture with `raw.orders` migrated and three orders: a has 10 and 5, b has 7.
    static func seededWithOrders() async throws -> Fixture {
        let fixture = try await Fixture.make()
        try fixture.write("sql/schema/0001_orders.sql", Fixture.ordersMigration)
        try await fixture.migrate()
        try await fixture.connection.executeScript(
            "insert into raw.orders (order_id, customer_id, amount) values ('o1', 'a', 10), ('o2', 'a', 5), ('o3', 'b', 7)"
        )
        return fixture
    }

    func write(_ path: String, _ text: String) throws {
        try folder.write(path, text)
    }

    @discardableResult
    func migrate() async throws -> [Migrator.Applied] {
        try await Migrator(project: project, logger: logger).migrate(connection)
    }

    @discardableResult
    func run(
        select: [String] = [], fullRefresh: Bool = false, noWait: Bool = false, asOf: Date? = nil,
        on connection: PostgresConnection? = nil
    ) async throws -> TransformRunner.Report {
        var options = TransformRunner.Options()
        options.select = select
        options.fullRefresh = fullRefresh
        options.noWait = noWait
        options.asOf = asOf
        return try await TransformRunner(project: project, logger: logger).run(
            connection ?? self.connection, options: options)
    }

    func plan(asOf: Date? = nil) async throws -> Plan {
        var options = TransformRunner.Options()
        options.asOf = asOf
        return try await TransformRunner(project: project, logger: logger).plan(connection, options: options).0
    }

    /// All rows of a query as text, for comparisons.
    func rows(_ sql: String) async throws -> [[String?]] {
        try await connection.query(SQL(unsafeSQL: sql)).map(\.values)
    }

    func tearDown() async throws {
        try await database.drop()
        folder.remove()
    }

    /// A minimal raw table with load ids, as migrations create them.
    static let ordersMigration = """
        create schema raw;
        create table raw.orders (
            order_id text primary key,
            customer_id text,
            amount numeric not null,
            _load_id bigint not null default clv_meta.next_load_id()
        );
        """
}
