import CLibPQ

/// The rows of one statement's result. Owns the libpq result and frees it once.
public final class PostgresRows: @unchecked Sendable, RandomAccessCollection {
    // Immutable after creation; libpq results may be read from any thread.
    private let result: OpaquePointer
    /// Column names in order.
    public let columns: [String]
    /// Column type OIDs in order (`pg_type.oid`: 23 int4, 1700 numeric, 25 text…).
    public let columnTypeOIDs: [UInt32]
    /// Rows changed by an insert/update/delete/copy, or returned by a select.
    public let affectedRows: Int

    init(result: OpaquePointer) {
        self.result = result
        let columnCount = Int(PQnfields(result))
        self.columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        self.columnTypeOIDs = (0..<columnCount).map { UInt32(PQftype(result, Int32($0))) }
        let tuples = String(cString: PQcmdTuples(result))
        self.affectedRows = Int(tuples) ?? Int(PQntuples(result))
    }

    deinit { PQclear(result) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(PQntuples(result)) }

    public subscript(position: Int) -> PostgresRow { PostgresRow(rows: self, index: position) }

    func text(row: Int, column: Int) -> String? {
        if PQgetisnull(result, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }
}

/// One row of a result; columns by position or by name.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    let index: Int

    /// The column's text, `nil` for SQL NULL.
    public subscript(column: Int) -> String? { rows.text(row: index, column: column) }

    /// The column's text by name, `nil` for SQL NULL or an unknown name.
    public subscript(name: String) -> String? {
        guard let column = rows.columns.firstIndex(of: name) else { return nil }
        return rows.text(row: index, column: column)
    }

    /// Decodes a non-null column; a NULL or unknown column is a decoding error.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ name: String) throws -> T {
        guard let column = rows.columns.firstIndex(of: name) else {
            throw PostgresError(kind: .decoding, message: "no column named \(name)")
        }
        guard let text = rows.text(row: index, column: column) else {
            throw PostgresError(kind: .decoding, message: "column \(name) is NULL")
        }
        return try T(postgresText: text)
    }

    /// Decodes a nullable column.
    public func decode<T: PostgresDecodable>(_ type: T?.Type, _ name: String) throws -> T? {
        guard let column = rows.columns.firstIndex(of: name) else {
            throw PostgresError(kind: .decoding, message: "no column named \(name)")
        }
        return try rows.text(row: index, column: column).map { try T(postgresText: $0) }
    }

    /// All columns as text, in order.
    public var values: [String?] { (0..<rows.columns.count).map { rows.text(row: index, column: $0) } }
}
