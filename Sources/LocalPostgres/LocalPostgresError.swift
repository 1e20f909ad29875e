/// Why the embedded PostgreSQL could not be set up, with what to do about it.
public struct LocalPostgresError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
