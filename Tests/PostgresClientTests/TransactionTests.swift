import PostgresClient
import TestSupport
import Testing

@Suite struct TransactionTests {
    struct Boom: Error {}

    @Test func thrownErrorRollsBack() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        try await connection.executeScript("create table t (id int)")
        await #expect(throws: Boom.self) {
            try await connection.transaction { connection in
                try await connection.execute("insert into t values (1)")
                throw Boom()
            }
        }
        try await connection.transaction { connection in
            try await connection.execute("insert into t values (2)")
        }
        let rows = try await connection.query("select id from t")
        #expect(rows.map { $0["id"] } == ["2"])
        try await database.drop()
    }

    @Test func statementTimeoutCancelsTheStatement() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let error = await #expect(throws: PostgresError.self) {
            try await connection.transaction { connection in
                try await connection.setLocalStatementTimeout(milliseconds: 100)
                try await connection.query("select pg_sleep(5)")
            }
        }
        #expect(error?.sqlState == "57014")
        // The connection is usable afterwards and the limit ended with the transaction.
        let rows = try await connection.query("select current_setting('statement_timeout') as timeout")
        #expect(rows[0]["timeout"] == "0")
        try await database.drop()
    }

    @Test func cancellingTheTaskCancelsTheStatement() async throws {
        let database = try await TestDatabase.make()
        let connection = try await database.connect()
        let clock = ContinuousClock()
        let started = clock.now
        let task = Task { try await connection.query("select pg_sleep(30)") }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = await task.result
        #expect(throws: PostgresError.self) { try result.get() }
        #expect(clock.now - started < .seconds(10))
        try await database.drop()
    }

    @Test func advisoryLockIsExclusiveBetweenSessions() async throws {
        let database = try await TestDatabase.make()
        let first = try await database.connect()
        let second = try await database.connect()
        #expect(try await first.tryAdvisoryLock(77))
        #expect(try await second.tryAdvisoryLock(77) == false)
        #expect(try await second.advisoryLockHolder(77) == (try await first.backendPID))
        try await first.advisoryUnlock(77)
        #expect(try await second.tryAdvisoryLock(77))
        try await database.drop()
    }
}
