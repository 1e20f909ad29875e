extension PostgresConnection {
    /// Runs `body` inside `begin … commit`; any thrown error rolls back and is rethrown.
    @discardableResult
    public func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await inTransaction(begin: "begin", end: "commit", body)
    }

    /// Runs `body` inside a transaction that is always rolled back: checks, dry runs and
    /// explanations that may build temporary tables but must leave nothing behind. With
    /// `readOnly`, writes are refused too.
    @discardableResult
    public func rollingBack<T: Sendable>(readOnly: Bool = false, _ body: (PostgresConnection) async throws -> T)
        async throws -> T
    {
        try await inTransaction(begin: readOnly ? "begin transaction read only" : "begin", end: "rollback", body)
    }

    /// `begin`, the body, then `end`; a thrown error rolls back and is rethrown.
    private func inTransaction<T: Sendable>(
        begin: String, end: String, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await executeScript(begin)
        let value: T
        do {
            value = try await body(self)
        } catch {
            // Even when the task was cancelled: an unstructured task does not inherit cancellation,
            // so the session is never left inside a failed transaction.
            _ = await Task { try? await executeScript("rollback") }.value
            throw error
        }
        try await executeScript(end)
        return value
    }

    /// Limits every following statement of the current transaction to `milliseconds`.
    public func setLocalStatementTimeout(milliseconds: Int) async throws {
        try await executeScript("set local statement_timeout = \(max(0, milliseconds))")
    }
}
