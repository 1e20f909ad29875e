import Foundation

/// A statement with its parameters bound, never spliced.
///
/// Interpolating a value adds a `$n` placeholder and binds the value:
/// ```swift
/// let q: SQL = "select * from raw.customers where customer_id = \(id)"
/// ```
/// Identifiers go through ``SQL/StringInterpolation/appendInterpolation(ident:)``;
/// trusted SQL text needs the explicit ``SQL/StringInterpolation/appendInterpolation(unsafeSQL:)``.
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The statement text with `$1`, `$2`… placeholders.
    public var text: String
    /// The bound values, in placeholder order; `nil` is SQL NULL.
    public var binds: [String?]

    /// Trusted SQL text with no parameters (file contents, generated DDL).
    public init(unsafeSQL text: String) {
        self.text = text
        self.binds = []
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    /// Trusted SQL text that already holds `$1`… placeholders (a project file), with their values.
    public init(unsafeSQL text: String, binding values: [any PostgresEncodable]) {
        self.text = text
        self.binds = values.map(\.postgresText)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.text = stringInterpolation.text
        self.binds = stringInterpolation.binds
    }

    public var description: String { text }

    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""
        var binds: [String?] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        public mutating func appendLiteral(_ literal: String) {
            text += literal
        }

        /// Binds a value as the next `$n` parameter.
        public mutating func appendInterpolation(_ value: some PostgresEncodable) {
            binds.append(value.postgresText)
            text += "$\(binds.count)"
        }

        /// Binds an array as a PostgreSQL text array literal (`{a,b}`), typed by the caller (`::text[]`).
        public mutating func appendInterpolation(array values: [String]) {
            binds.append(PostgresArrayLiteral.encode(values))
            text += "$\(binds.count)"
        }

        /// Appends a quoted identifier: `"schema"."name"` for a dotted name.
        public mutating func appendInterpolation(ident name: String) {
            text += Identifier.quoteQualified(name)
        }

        /// Appends trusted SQL text as it is.
        public mutating func appendInterpolation(unsafeSQL fragment: String) {
            text += fragment
        }
    }
}

/// The one place identifiers are quoted.
public enum Identifier {
    /// `"na""me"`: double quotes doubled, always quoted.
    public static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Quotes each part of a dotted `schema.name`.
    public static func quoteQualified(_ name: String) -> String {
        name.split(separator: ".", omittingEmptySubsequences: false).map { quote(String($0)) }
            .joined(separator: ".")
    }

    /// A string literal with single quotes doubled, for the few places PostgreSQL takes no parameter
    /// (e.g. `set` statements and DDL options).
    public static func literal(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}

/// Encodes Swift strings as a PostgreSQL array literal.
public enum PostgresArrayLiteral {
    public static func encode(_ values: [String]) -> String {
        let items = values.map { value -> String in
            var escaped = "\""
            for character in value {
                if character == "\"" || character == "\\" { escaped.append("\\") }
                escaped.append(character)
            }
            return escaped + "\""
        }
        return "{" + items.joined(separator: ",") + "}"
    }
}
