import CLibPQ
import Dispatch
import Foundation

/// One libpq connection.
///
/// Every libpq call runs on the connection's own serial queue, so a long statement never blocks
/// Swift's cooperative thread pool; cancelling the calling task cancels the running statement on
/// the server (`PQcancel`). Each connection is used by one task at a time.
public final class PostgresConnection: @unchecked Sendable {
    // Touched only on `queue` (and in deinit, when nothing else can hold it).
    private let handle: OpaquePointer
    // PQcancel is thread-safe and may be called from any thread.
    private let cancelHandle: OpaquePointer?
    private let queue: DispatchQueue

    private init(handle: OpaquePointer, queue: DispatchQueue) {
        self.handle = handle
        self.queue = queue
        self.cancelHandle = PQgetCancel(handle)
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        PQfinish(handle)
    }

    /// Opens a connection from a `postgresql://` URI or a `key=value` conninfo string.
    ///
    /// libpq's `PG*` environment variables fill in whatever the string leaves out. Every
    /// connection runs in UTC with ISO dates, so timestamps read back the same everywhere.
    public static func connect(_ conninfo: String) async throws -> PostgresConnection {
        let queue = DispatchQueue(label: "clv.postgres.connection")
        let handle: OpaquePointer = try await withCheckedThrowingContinuation { continuation in
            queue.async {
                let keys = ["dbname", "fallback_application_name"]
                let values = [conninfo, "clv"]
                let connection = withCStringArray(keys) { keyPointers in
                    withCStringArray(values) { valuePointers in
                        PQconnectdbParams(keyPointers, valuePointers, 1)
                    }
                }
                guard let connection else {
                    continuation.resume(
                        throwing: PostgresError(kind: .connection, message: "libpq could not allocate a connection"))
                    return
                }
                guard PQstatus(connection) == CONNECTION_OK else {
                    let message = String(cString: PQerrorMessage(connection))
                        .trimmingCharacters(in: .whitespacesAndNewlines)
                    PQfinish(connection)
                    continuation.resume(throwing: PostgresError(kind: .connection, message: message))
                    return
                }
                continuation.resume(returning: connection)
            }
        }
        let connection = PostgresConnection(handle: handle, queue: queue)
        try await connection.executeScript("set timezone = 'UTC'; set datestyle = 'ISO, YMD'")
        return connection
    }

    /// Runs one statement with bound parameters and returns its rows.
    @discardableResult
    public func query(_ sql: SQL) async throws -> PostgresRows {
        try await onQueue { handle in
            let result = withOptionalCStringArray(sql.binds) { values in
                PQexecParams(handle, sql.text, Int32(sql.binds.count), nil, values, nil, nil, 0)
            }
            return try Self.check(result, handle: handle, query: sql.text)
        }
    }

    /// Runs one statement and returns the number of rows it changed.
    @discardableResult
    public func execute(_ sql: SQL) async throws -> Int {
        try await query(sql).affectedRows
    }

    /// Runs trusted SQL text that may hold several statements (migrations, scripts).
    /// An error position refers to `script`.
    public func executeScript(_ script: String) async throws {
        try await onQueue { handle in
            _ = try Self.check(PQexec(handle, script), handle: handle, query: script)
        }
    }

    /// Asks the server to cancel whatever statement this connection is running. Safe from any thread.
    public func cancel() {
        guard let cancelHandle else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancelHandle, &buffer, Int32(buffer.count))
    }

    /// The server process id serving this connection.
    public var backendPID: Int32 {
        get async throws { try await onQueue { PQbackendPID($0) } }
    }

    /// Runs `body` with the raw connection on the connection's queue; cancelling the task cancels
    /// the statement.
    ///
    /// A task cancelled before its statement reaches the server does not send it at all (a cancel
    /// request that arrives while nothing runs would be lost, and the statement would run in full).
    func onQueue<T: Sendable>(_ body: @escaping @Sendable (OpaquePointer) throws -> T) async throws -> T {
        let cancelled = CancellationFlag()
        return try await withTaskCancellationHandler {
            try Task.checkCancellation()
            return try await withCheckedThrowingContinuation { continuation in
                queue.async {
                    continuation.resume(
                        with: Result {
                            if cancelled.isSet { throw CancellationError() }
                            return try body(self.handle)
                        })
                }
            }
        } onCancel: {
            cancelled.set()
            self.cancel()
        }
    }

    /// Turns a libpq result into rows, or into a ``PostgresError`` with the server's fields.
    static func check(_ result: OpaquePointer?, handle: OpaquePointer, query: String?) throws -> PostgresRows {
        guard let result else {
            throw connectionError(handle, query: query)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(result: result)
        default:
            let error = serverError(result, handle: handle, query: query)
            PQclear(result)
            throw error
        }
    }

    static func connectionError(_ handle: OpaquePointer, query: String?) -> PostgresError {
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresError(kind: .connection, message: message.isEmpty ? "connection lost" : message, query: query)
    }

    static func serverError(_ result: OpaquePointer, handle: OpaquePointer, query: String?) -> PostgresError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let message =
            field("M") ?? String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines)
        let lost = PQstatus(handle) != CONNECTION_OK
        return PostgresError(
            kind: lost ? .connection : .server,
            message: message.isEmpty ? "connection lost" : message,
            sqlState: field("C"),
            severity: field("V"),
            detail: field("D"),
            hint: field("H"),
            position: field("P").flatMap { Int($0) },
            query: query,
            context: field("W"),
            column: field("c"))
    }
}

/// Passes Swift strings to C as a `const char * const *` that lives only for the call.
func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    withOptionalCStringArray(strings.map { Optional($0) }) { body($0!) }
}

func withOptionalCStringArray<R>(
    _ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R
) -> R {
    if strings.isEmpty { return body(nil) }
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0)! } }
    defer { for copy in copies { free(copy) } }
    var pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
    pointers.append(nil)
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// Set once when the task waiting on a statement is cancelled.
final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
