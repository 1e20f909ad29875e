import PostgresClient

/// A few database connections shared by concurrent requests, opened lazily; a connection that
/// failed at the connection level is dropped and replaced on next use.
actor ConnectionPool {
    private let url: String
    private let size: Int
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var waiters: [CheckedContinuation<PostgresConnection, any Error>] = []

    init(url: String, size: Int) {
        self.url = url
        self.size = size
    }

    /// Runs `body` with a connection of its own.
    func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await acquire()
        do {
            let value = try await body(connection)
            release(connection, broken: false)
            return value
        } catch let error as PostgresError where error.kind == .connection {
            release(connection, broken: true)
            throw error
        } catch {
            release(connection, broken: false)
            throw error
        }
    }

    private func acquire() async throws -> PostgresConnection {
        if let connection = idle.popLast() { return connection }
        if open < size {
            open += 1
            do {
                return try await PostgresConnection.connect(url)
            } catch {
                open -= 1
                throw error
            }
        }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    private func release(_ connection: PostgresConnection, broken: Bool) {
        if broken {
            open -= 1
            if !waiters.isEmpty {
                let waiter = waiters.removeFirst()
                open += 1
                Task { [url] in
                    do { waiter.resume(returning: try await PostgresConnection.connect(url)) } catch {
                        self.connectFailed()
                        waiter.resume(throwing: error)
                    }
                }
            }
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    private func connectFailed() { open -= 1 }
}
