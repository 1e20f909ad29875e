extension PostgresConnection {
    /// Runs `body` inside `begin … commit`; any thrown error rolls back and is rethrown.
    @discardableResult
    public func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await executeScript("begin")
        let value: T
        do {
            value = try await body(self)
        } catch {
            try? await executeScript("rollback")
            throw error
        }
        try await executeScript("commit")
        return value
    }

    /// Limits every following statement of the current transaction to `milliseconds`.
    public func setLocalStatementTimeout(milliseconds: Int) async throws {
        try await executeScript("set local statement_timeout = \(max(0, milliseconds))")
    }
}
