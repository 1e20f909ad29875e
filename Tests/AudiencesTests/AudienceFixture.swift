import Core
import Foundation
import Logging
import Pipeline
import PostgresClient
import TestSupport
import Transforms

@testable import Audiences

/// A migrated database with hand-made customers, a project with one audience and destinations.
struct AudienceFixture {
    let database: TestDatabase
    let connection: PostgresConnection
    let project: TemporaryDirectory

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// c1 and c2 share alice's address (c2 merged into c1), c3 and c8 have no valid email, bob has
    /// no consent, carol unsubscribed, dave bounced, erin is in, frank is outside the audience.
    static let customers = """
        insert into raw.customers (customer_id, email, name, geo, email_opt_in) values
            ('c1', ' Alice@Example.COM ', 'Alice Smith', 'EU1', true),
            ('c2', 'alice@example.com', 'Alice Again', 'EU1', true),
            ('c3', 'not-an-email', 'Nobody', 'EU1', true),
            ('c4', 'bob@example.com', 'Bob', 'EU1', false),
            ('c5', 'carol@example.com', 'Carol', 'EU2', true),
            ('c6', 'dave@example.com', 'Dave', 'EU2', true),
            ('c7', 'erin@example.com', 'Erin Jones', 'EU2', true),
            ('c8', null, 'No Mail', 'EU2', true),
            ('c9', 'frank@example.com', 'Frank', 'US', true);
        insert into raw.email_events (occurred_at, campaign_id, contact, type) values
            ('2025-01-01', 'k1', 'Carol@example.com', 'unsubscribe'),
            ('2025-01-01', 'k1', 'dave@example.com', 'bounce');
        """

    static let audience = """
        -- name: vip
        -- description: European customers.
        -- identity: email
        -- attributes: first_name, tier
        select customer_id, email, split_part(name, ' ', 1) as first_name, geo as tier
        from raw.customers
        where geo in ('EU1', 'EU2')
        """

    static func make(destinations: String) async throws -> AudienceFixture {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await Pipeline(project: Project(root: repository), logger: Logger(label: "test")).migrate(on: connection)
        try await connection.executeScript(customers)
        let project = try TemporaryDirectory.make(prefix: "clv-audiences")
        try project.write("sql/audiences/vip.sql", audience)
        try project.write(
            "sql/audiences/vip_eu2.sql",
            "-- name: vip_eu2\n-- identity: email\n-- attributes: first_name\nselect customer_id, email, first_name from audiences.vip where tier = 'EU2'\n"
        )
        try project.write("audiences.yaml", destinations)
        return AudienceFixture(database: database, connection: connection, project: project)
    }

    var exporter: AudienceExporter {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return AudienceExporter(project: Project(root: project.url), logger: logger)
    }

    func export(
        _ destination: String, audience: String = "vip", full: Bool = false, allowMassRemoval: Bool = false
    ) async throws -> AudienceExporter.Report {
        var options = AudienceExporter.Options()
        options.full = full
        options.allowMassRemoval = allowMassRemoval
        return try await exporter.export(audience, to: destination, options: options, on: connection)
    }

    func file(_ path: String) throws -> String {
        try String(contentsOf: project.url.appendingPathComponent(path), encoding: .utf8)
    }

    func files(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: project.url.appendingPathComponent(folder).path).sorted()
    }

    func members(_ destination: String) async throws -> [[String?]] {
        try await connection.query(
            "select identity, attributes::text from clv_meta.audience_members where destination = \(destination) order by identity"
        ).map(\.values)
    }

    func tearDown() async throws {
        project.remove()
        try await database.drop()
    }
}
