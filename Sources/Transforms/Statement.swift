import Core
import PostgresClient

/// One SQL statement the runner sends, knowing where a file's text sits inside it so a server
/// error position maps back to `file:line:col`.
public struct Statement: Sendable {
    public var sql: String
    /// The file whose text is embedded, how many characters precede it in `sql`, and the signed
    /// sources expanded in it (positions inside them map to the reference).
    var source: (file: String, text: String, offset: Int, expanded: SignedSources.Expanded?)?

    init(_ sql: String) {
        self.sql = sql
    }

    /// `prefix` + the file's text: positions past the prefix land in the file.
    init(prefix: String, body: String, file: String, fileText: String, suffix: String = "") {
        self.sql = prefix + body + suffix
        self.source = (file, fileText, prefix.unicodeScalars.count, nil)
    }

    /// `prefix` + the file's text with its signed sources expanded: positions map back through them.
    init(prefix: String, expanded: SignedSources.Expanded, file: String, fileText: String, suffix: String = "") {
        self.sql = prefix + expanded.text + suffix
        self.source = (file, fileText, prefix.unicodeScalars.count, expanded)
    }

    /// Maps a server error to the file when its position falls inside the embedded text.
    func locate(_ error: PostgresError) -> any Error {
        guard let source else { return error }
        guard let position = error.position else {
            return WarehouseError(error.description, at: source.file, sqlState: error.sqlState)
        }
        let embedded = position - 1 - source.offset
        let length = (source.expanded?.text ?? source.text).unicodeScalars.count
        guard embedded >= 0, embedded <= length else {
            return WarehouseError(error.description, at: source.file, sqlState: error.sqlState)
        }
        return WarehouseError(
            error.description,
            at: SourceLocation.at(
                characterOffset: source.expanded?.originalOffset(of: embedded) ?? embedded, in: source.text,
                file: source.file),
            sqlState: error.sqlState)
    }
}

extension PostgresConnection {
    /// Runs a statement, mapping a server error to its file position.
    @discardableResult
    func run(_ statement: Statement) async throws -> PostgresRows {
        do {
            return try await query(SQL(unsafeSQL: statement.sql))
        } catch let error as PostgresError {
            throw statement.locate(error)
        }
    }
}
