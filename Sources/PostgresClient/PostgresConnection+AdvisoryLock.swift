extension PostgresConnection {
    /// Waits for the session-level advisory lock `key`.
    public func advisoryLock(_ key: Int64) async throws {
        try await query("select pg_advisory_lock(\(key))")
    }

    /// Takes the session-level advisory lock `key` if it is free; returns whether it was taken.
    public func tryAdvisoryLock(_ key: Int64) async throws -> Bool {
        let rows = try await query("select pg_try_advisory_lock(\(key)) as taken")
        return try rows[0].decode(Bool.self, "taken")
    }

    /// Releases the session-level advisory lock `key`.
    public func advisoryUnlock(_ key: Int64) async throws {
        try await query("select pg_advisory_unlock(\(key))")
    }

    /// The process id of a session holding advisory lock `key`, if any.
    public func advisoryLockHolder(_ key: Int64) async throws -> Int32? {
        let rows = try await query(
            """
            select pid from pg_locks
            where locktype = 'advisory' and granted
              and classid = ((\(key)::bigint >> 32) & 4294967295)::oid
              and objid = (\(key)::bigint & 4294967295)::oid and objsubid = 1
            limit 1
            """)
        return try rows.first.map { try $0.decode(Int32.self, "pid") }
    }
}

extension PostgresConnection {
    /// Runs `body` holding the session-level advisory lock `key`, released afterwards even on error.
    public func withAdvisoryLock<T: Sendable>(_ key: Int64, _ body: () async throws -> T) async throws -> T {
        try await advisoryLock(key)
        let value: T
        do {
            value = try await body()
        } catch {
            try? await advisoryUnlock(key)
            throw error
        }
        try await advisoryUnlock(key)
        return value
    }
}
