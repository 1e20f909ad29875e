/// How a result column is published: its JSON type and how a cell's text becomes JSON.
public enum ResultColumnType: String, Sendable, Codable {
    case integer, number, boolean, date, timestamp, text, json

    /// The type of a PostgreSQL type OID (anything unknown is published as text).
    public init(oid: UInt32) {
        switch oid {
        case 20, 21, 23, 26: self = .integer
        case 700, 701, 1700: self = .number
        case 16: self = .boolean
        case 1082: self = .date
        case 1114, 1184: self = .timestamp
        case 114, 3802: self = .json
        default: self = .text
        }
    }

    public var isNumeric: Bool { self == .integer || self == .number }

    /// A cell's JSON value; `NaN` and infinities stay visible as strings, never become numbers.
    public func value(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        switch self {
        case .integer: return .number(text)
        case .number:
            return ["NaN", "Infinity", "-Infinity"].contains(text) ? .string(text) : .number(text)
        case .boolean: return .bool(text == "t")
        default: return .string(text)
        }
    }
}
