/// An error reported by PostgreSQL or by libpq, with the server's diagnostic fields.
///
/// `description` is one line fit for a terminal; `debugDescription` adds the query.
public struct PostgresError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// What went wrong, in broad strokes.
    public enum Kind: String, Sendable {
        /// The connection could not be opened or was lost.
        case connection
        /// The server rejected a statement.
        case server
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// The client was used wrongly (e.g. COPY protocol misuse).
        case client
    }

    public var kind: Kind
    /// Five-character SQLSTATE code such as `23505`, when the server sent one.
    public var sqlState: String?
    public var severity: String?
    public var message: String
    public var detail: String?
    public var hint: String?
    /// 1-based character position of the error in `query`, when the server sent one.
    public var position: Int?
    /// The statement text that failed.
    public var query: String?
    /// Where the server was when it failed, innermost first (e.g. `COPY t, line 3, column c: "…"`).
    public var context: String?
    /// The table column the error is about (not-null violations), when the server sent one.
    public var column: String?

    public init(
        kind: Kind, message: String, sqlState: String? = nil, severity: String? = nil,
        detail: String? = nil, hint: String? = nil, position: Int? = nil, query: String? = nil,
        context: String? = nil, column: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.severity = severity
        self.detail = detail
        self.hint = hint
        self.position = position
        self.query = query
        self.context = context
        self.column = column
    }

    public var description: String {
        var text = message
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let detail { text += "\n  detail: \(detail)" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }

    public var debugDescription: String {
        var text = description
        if let position { text += "\n  position: \(position)" }
        if let query { text += "\n  query: \(query)" }
        return text
    }

    /// True for failures that are worth retrying: lost connections, serialization
    /// failures, deadlocks, lock timeouts and server shutdowns.
    public var isTransient: Bool {
        kind == .connection || Self.isTransient(sqlState: sqlState)
    }

    /// Connection exceptions (08…), serialization failures, deadlocks, lock timeouts and server shutdowns.
    public static func isTransient(sqlState: String?) -> Bool {
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || ["40001", "40P01", "55P03", "57P01", "57P02", "57P03"].contains(sqlState)
    }
}
