import Foundation

/// The `-- key: value` lines at the top of a SQL file, before the first statement, and the
/// `-- column NAME: meaning` lines that document the columns of the relation the file builds.
public struct SQLFileHeader: Sendable {
    public struct Field: Sendable {
        public var value: String
        public var line: Int
    }

    /// One `-- column NAME: meaning` line.
    public struct Column: Sendable, Equatable {
        /// The column's name, lower case.
        public var name: String
        public var meaning: String
        /// The 1-based line of the file it is on.
        public var line: Int

        public init(name: String, meaning: String, line: Int) {
            self.name = name
            self.meaning = meaning
            self.line = line
        }
    }

    /// The key under which `allowedKeys` admits `-- column NAME: meaning` lines.
    public static let columnKey = "column"

    public var fields: [String: Field] = [:]
    /// The documented columns, in file order.
    public var columns: [Column] = []

    /// Reads the leading comment block; rejects keys not in `allowedKeys` and repeated keys. Column
    /// lines are read when `allowedKeys` holds ``columnKey`` (names lower-cased, as PostgreSQL folds
    /// them); a repeated column, a name that is not one word of letters, digits and `_`, and an
    /// empty meaning are errors naming `file:line`.
    public static func parse(_ text: String, file: String, allowedKeys: Set<String>) throws -> SQLFileHeader {
        var header = SQLFileHeader()
        // Line by line up to the first that is not a comment, without splitting the whole file.
        var rest = text[...]
        var index = -1
        while !rest.isEmpty {
            index += 1
            let end = rest.firstIndex(of: "\n") ?? rest.endIndex
            let rawLine = rest[..<end]
            rest = end == rest.endIndex ? "" : rest[rest.index(after: end)...]
            let line = rawLine.trimming([" ", "\t", "\r"])
            if line.isEmpty { continue }
            guard line.hasPrefix("--") else { break }
            let content = line.dropFirst(2).trimming([" ", "\t"])
            guard let colon = content.firstIndex(of: ":") else { continue }
            let location = "\(file):\(index + 1)"
            var key = String(content[..<colon])
            var columnName: String?
            if let space = key.firstIndex(where: { $0 == " " || $0 == "\t" }), key[..<space] == columnKey {
                columnName = key[space...].trimming([" ", "\t"]).lowercased()
                key = columnKey
            }
            guard !key.isEmpty, key.allSatisfy({ $0 == "_" || ($0.isLetter && $0.isLowercase) }) else { continue }
            guard allowedKeys.contains(key) else {
                throw WarehouseError(
                    "unknown header key '\(key)' (expected one of: \(allowedKeys.sorted().joined(separator: ", ")))",
                    at: location)
            }
            var value = content[content.index(after: colon)...].trimming([" ", "\t"])
            // A trailing `-- comment` after the value is not part of it; `--as-of` (an option named
            // in a meaning) is.
            if let comment = Self.trailingComment(in: value) {
                value = String(value[..<comment]).trimming([" ", "\t"])
            }
            if key == columnKey {
                try header.addColumn(named: columnName ?? "", meaning: value, line: index + 1, at: location)
                continue
            }
            guard header.fields[key] == nil else {
                throw WarehouseError("header key '\(key)' is given twice", at: location)
            }
            header.fields[key] = Field(value: value, line: index + 1)
        }
        return header
    }

    /// Where a trailing ` -- comment` starts in a header value: `--` after white space and before
    /// white space or the end. (A scan, not a regular expression: compiling one for every header
    /// line was a fifth of the time `clv run` took with nothing to do.)
    static func trailingComment(in value: String) -> String.Index? {
        let characters = Array(value.indices)
        for (position, index) in characters.enumerated() where position > 0 && position + 1 < characters.count {
            guard value[index] == "-", value[characters[position + 1]] == "-",
                value[characters[position - 1]].isWhitespace
            else { continue }
            if position + 2 == characters.count || value[characters[position + 2]].isWhitespace {
                return characters[position - 1]
            }
        }
        return nil
    }

    /// A comma-separated list value, trimmed and without empties.
    public func list(_ key: String) -> [String] {
        guard let value = fields[key]?.value else { return [] }
        return value.split(separator: ",").map { $0.trimming([" ", "\t"]) }.filter { !$0.isEmpty }
    }

    private mutating func addColumn(named name: String, meaning: String, line: Int, at location: String) throws {
        guard !name.isEmpty,
            name.allSatisfy({ $0 == "_" || ($0.isLetter && $0.isLowercase) || $0.isNumber }),
            !name.first!.isNumber
        else {
            throw WarehouseError(
                "a column line is '-- column NAME: meaning' with NAME a column name (letters, digits, _); got '\(name)'",
                at: location)
        }
        if let first = columns.first(where: { $0.name == name }) {
            throw WarehouseError("column '\(name)' is documented twice (first on line \(first.line))", at: location)
        }
        guard !meaning.isEmpty else {
            throw WarehouseError("column '\(name)' has no meaning after the ':'", at: location)
        }
        columns.append(Column(name: name, meaning: meaning, line: line))
    }
}

extension StringProtocol {
    func trimming(_ set: Set<Character>) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}

/// A SQL file's statement: its text without the trailing `;` and blanks, so it can be wrapped in
/// another statement while every character position before the end stays the same.
public func statementBody(of text: String) -> String {
    var scalars = Array(text.unicodeScalars)
    while let last = scalars.last, last == ";" || last == " " || last == "\n" || last == "\t" || last == "\r" {
        scalars.removeLast()
    }
    return String(String.UnicodeScalarView(scalars))
}
