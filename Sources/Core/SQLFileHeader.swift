import Foundation

/// The `-- key: value` lines at the top of a SQL file, before the first statement.
public struct SQLFileHeader: Sendable {
    public struct Field: Sendable {
        public var value: String
        public var line: Int
    }

    public var fields: [String: Field] = [:]

    /// Reads the leading comment block; rejects keys not in `allowedKeys` and repeated keys.
    public static func parse(_ text: String, file: String, allowedKeys: Set<String>) throws -> SQLFileHeader {
        var header = SQLFileHeader()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimming([" ", "\t", "\r"])
            if line.isEmpty { continue }
            guard line.hasPrefix("--") else { break }
            let content = line.dropFirst(2).trimming([" ", "\t"])
            guard let colon = content.firstIndex(of: ":") else { continue }
            let key = String(content[..<colon])
            guard !key.isEmpty, key.allSatisfy({ $0 == "_" || ($0.isLetter && $0.isLowercase) }) else { continue }
            guard allowedKeys.contains(key) else {
                throw WarehouseError(
                    "unknown header key '\(key)' (expected one of: \(allowedKeys.sorted().joined(separator: ", ")))",
                    at: "\(file):\(index + 1)")
            }
            guard header.fields[key] == nil else {
                throw WarehouseError("header key '\(key)' is given twice", at: "\(file):\(index + 1)")
            }
            var value = content[content.index(after: colon)...].trimming([" ", "\t"])
            // A trailing `-- comment` after the value is not part of it.
            if let comment = value.range(of: " --") {
                value = String(value[..<comment.lowerBound]).trimming([" ", "\t"])
            }
            header.fields[key] = Field(value: value, line: index + 1)
        }
        return header
    }

    /// A comma-separated list value, trimmed and without empties.
    public func list(_ key: String) -> [String] {
        guard let value = fields[key]?.value else { return [] }
        return value.split(separator: ",").map { $0.trimming([" ", "\t"]) }.filter { !$0.isEmpty }
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
