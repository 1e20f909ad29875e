import CLibPQ

/// Streams bytes into a running `COPY … FROM STDIN`. Buffers writes into large chunks.
public final class CopyInWriter {
    private let handle: OpaquePointer
    private var buffer: [UInt8] = []
    private let chunkSize = 1 << 18

    init(handle: OpaquePointer) {
        self.handle = handle
        buffer.reserveCapacity(chunkSize + 4096)
    }

    /// Appends text in the COPY format chosen by the statement.
    public func write(_ text: String) throws {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= chunkSize { try flush() }
    }

    /// Appends raw bytes in the COPY format chosen by the statement.
    public func write(bytes: UnsafeRawBufferPointer) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= chunkSize { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let status = buffer.withUnsafeBufferPointer { pointer in
            pointer.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
        }
        buffer.removeAll(keepingCapacity: true)
        guard status == 1 else { throw PostgresConnection.connectionError(handle, query: nil) }
    }
}

extension PostgresConnection {
    /// Runs `COPY … FROM STDIN` and lets `body` stream the data; returns the rows copied.
    ///
    /// If `body` throws, the COPY is aborted on the server (nothing is loaded) and the error is
    /// rethrown. `body` runs on the connection's queue.
    @discardableResult
    public func copyIn(_ sql: SQL, _ body: @escaping @Sendable (CopyInWriter) throws -> Void) async throws -> Int {
        try await onQueue { handle in
            let start = withOptionalCStringArray(sql.binds) { values in
                PQexecParams(handle, sql.text, Int32(sql.binds.count), nil, values, nil, nil, 0)
            }
            guard let start else { throw Self.connectionError(handle, query: sql.text) }
            guard PQresultStatus(start) == PGRES_COPY_IN else {
                _ = try Self.check(start, handle: handle, query: sql.text)
                throw PostgresError(kind: .client, message: "statement did not start COPY FROM STDIN", query: sql.text)
            }
            PQclear(start)
            let writer = CopyInWriter(handle: handle)
            var bodyError: (any Error)?
            do {
                try body(writer)
                try writer.flush()
            } catch {
                bodyError = error
            }
            let ended = PQputCopyEnd(handle, bodyError == nil ? nil : "aborted by client")
            var rows = 0
            var serverError: (any Error)?
            while let result = PQgetResult(handle) {
                do { rows = try Self.check(result, handle: handle, query: sql.text).affectedRows } catch {
                    serverError = serverError ?? error
                }
            }
            if let bodyError { throw bodyError }
            if let serverError { throw serverError }
            guard ended == 1 else { throw Self.connectionError(handle, query: sql.text) }
            return rows
        }
    }

    /// Runs `COPY … TO STDOUT` and hands each chunk of data to `body`; returns the rows copied.
    @discardableResult
    public func copyOut(_ sql: SQL, _ body: @escaping @Sendable (UnsafeRawBufferPointer) throws -> Void) async throws
        -> Int
    {
        try await onQueue { handle in
            let start = withOptionalCStringArray(sql.binds) { values in
                PQexecParams(handle, sql.text, Int32(sql.binds.count), nil, values, nil, nil, 0)
            }
            guard let start else { throw Self.connectionError(handle, query: sql.text) }
            guard PQresultStatus(start) == PGRES_COPY_OUT else {
                _ = try Self.check(start, handle: handle, query: sql.text)
                throw PostgresError(kind: .client, message: "statement did not start COPY TO STDOUT", query: sql.text)
            }
            PQclear(start)
            var bodyError: (any Error)?
            while true {
                var pointer: UnsafeMutablePointer<CChar>?
                let length = PQgetCopyData(handle, &pointer, 0)
                if length > 0, let pointer {
                    if bodyError == nil {
                        do { try body(UnsafeRawBufferPointer(start: pointer, count: Int(length))) } catch {
                            bodyError = error
                            self.cancel()
                        }
                    }
                    PQfreemem(pointer)
                } else {
                    break
                }
            }
            var rows = 0
            var serverError: (any Error)?
            while let result = PQgetResult(handle) {
                do { rows = try Self.check(result, handle: handle, query: sql.text).affectedRows } catch {
                    serverError = serverError ?? error
                }
            }
            if let bodyError { throw bodyError }
            if let serverError { throw serverError }
            return rows
        }
    }
}
