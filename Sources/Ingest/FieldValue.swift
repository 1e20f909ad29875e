/// One value as it arrived in a file or a request, before it is checked against a column.
public enum FieldValue: Sendable, Equatable {
    /// Text (every CSV cell, JSON strings, query parameters).
    case text(String)
    /// A JSON number, kept as written so no precision is lost.
    case number(String)
    case bool(Bool)
    case null
    /// A nested JSON object (`params` in NDJSON conversions), one level of scalars.
    case object([(String, FieldValue)])

    public static func == (lhs: FieldValue, rhs: FieldValue) -> Bool {
        switch (lhs, rhs) {
        case (.text(let a), .text(let b)), (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: false
        }
    }

    /// The value as text, nil for null and objects.
    public var scalarText: String? {
        switch self {
        case .text(let text), .number(let text): text
        case .bool(let value): value ? "true" : "false"
        case .null, .object: nil
        }
    }
}

/// One input record: its line in the file and its named values, in order.
public struct InputRecord: Sendable {
    public var line: Int
    public var fields: [(String, FieldValue)]

    public init(line: Int, fields: [(String, FieldValue)]) {
        self.line = line
        self.fields = fields
    }
}
