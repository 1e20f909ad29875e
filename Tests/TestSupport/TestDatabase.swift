import Foundation
import PostgresClient

/// A database of its own for one test, on the shared test server.
public struct TestDatabase: Sendable {
    /// libpq URL of the new database.
    public let url: String
    public let name: String

    /// Creates an empty database with a unique name.
    public static func make() async throws -> TestDatabase {
        let admin = try await TestServer.shared.url()
        let name = "clv_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let connection = try await PostgresConnection.connect(admin)
        try await connection.executeScript("create database \(Identifier.quote(name))")
        return TestDatabase(url: ConnectionString.replacingDatabase(in: admin, with: name), name: name)
    }

    /// A new connection to this database.
    public func connect() async throws -> PostgresConnection {
        try await PostgresConnection.connect(url)
    }

    /// Drops the database (ending any session still connected to it).
    public func drop() async throws {
        let connection = try await PostgresConnection.connect(try await TestServer.shared.url())
        try await connection.executeScript("drop database if exists \(Identifier.quote(name)) with (force)")
    }
}
