import Foundation

/// Helpers for libpq connection strings (`postgresql://` URIs and `key=value` conninfo).
public enum ConnectionString {
    /// The same server with another database name.
    public static func replacingDatabase(in connection: String, with database: String) -> String {
        if connection.hasPrefix("postgresql://") || connection.hasPrefix("postgres://"),
            var components = URLComponents(string: connection)
        {
            components.percentEncodedPath =
                "/" + (database.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? database)
            if let string = components.string { return string }
        }
        return connection + " dbname=" + Identifier.literal(database)
    }
}
