/// A problem with the project's files or a build, with where it is and why.
public struct WarehouseError: Error, CustomStringConvertible, Sendable {
    /// `file`, `file:line` or `file:line:column`, relative to the project folder.
    public var location: String?
    public var message: String
    /// The server's SQLSTATE when the problem is a PostgreSQL error mapped to a file position.
    public var sqlState: String?

    public init(_ message: String, at location: String? = nil, sqlState: String? = nil) {
        self.message = message
        self.location = location
        self.sqlState = sqlState
    }

    public init(_ message: String, at location: SourceLocation, sqlState: String? = nil) {
        self.init(message, at: location.description, sqlState: sqlState)
    }

    public var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }
}
