import Foundation
import PostgresClient

/// How an input value is checked and written for COPY.
public enum ColumnType: Sendable {
    case text
    /// An instant: ISO 8601 (`2025-01-31T10:00:00Z`, offsets, fractional seconds), a bare date
    /// (midnight UTC), or Unix epoch seconds.
    case timestamp
    case date
    case numeric
    case boolean
    case oneOf([String])
    /// `24h`, `7d`, `30d`, `90m`, `2w` or a PostgreSQL interval.
    case duration
    /// `a|b|c` (or a JSON array of strings in NDJSON): a text array.
    case textList

    /// The value in PostgreSQL text format, or the reason it is refused.
    func coerce(_ value: FieldValue) -> Result<String, CoercionError> {
        switch self {
        case .text:
            guard let text = value.scalarText else { return .failure(.init("expected text")) }
            return .success(text)
        case .timestamp:
            guard let text = value.scalarText?.trimmingSpaces else {
                return .failure(.init("expected a timestamp"))
            }
            if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let seconds = Double(text) {
                return .success(PostgresTimestamp.format(Date(timeIntervalSince1970: seconds)))
            }
            guard PostgresTimestamp.parse(text) != nil else {
                return .failure(.init("'\(text.prefix(40))' is not a timestamp (ISO 8601 or epoch seconds)"))
            }
            return .success(text)
        case .date:
            guard let text = value.scalarText, text.utf8.count == 10, PostgresTimestamp.parse(text) != nil else {
                return .failure(.init("'\((value.scalarText ?? "").prefix(40))' is not a date (YYYY-MM-DD)"))
            }
            return .success(text)
        case .numeric:
            guard let text = value.scalarText?.trimmingSpaces, Self.isNumber(text) else {
                return .failure(.init("'\((value.scalarText ?? "").prefix(40))' is not a number"))
            }
            return .success(text)
        case .boolean:
            switch value {
            case .bool(let flag): return .success(flag ? "t" : "f")
            default:
                switch value.scalarText?.lowercased() {
                case "true", "t", "1", "yes", "y": return .success("t")
                case "false", "f", "0", "no", "n": return .success("f")
                default:
                    return .failure(.init("'\((value.scalarText ?? "").prefix(40))' is not a boolean (true/false)"))
                }
            }
        case .oneOf(let allowed):
            guard let text = value.scalarText, allowed.contains(text) else {
                return .failure(
                    .init("'\((value.scalarText ?? "").prefix(40))' is not one of \(allowed.joined(separator: ", "))"))
            }
            return .success(text)
        case .duration:
            guard let text = value.scalarText, let interval = Self.interval(text) else {
                return .failure(.init("'\((value.scalarText ?? "").prefix(40))' is not a duration (e.g. 24h, 7d, 30d)"))
            }
            return .success(interval)
        case .textList:
            guard let text = value.scalarText else { return .failure(.init("expected a list")) }
            let items = text.split(separator: "|").map { String($0) }
            return .success(
                "{"
                    + items.map {
                        "\""
                            + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(
                                of: "\"", with: "\\\"") + "\""
                    }
                    .joined(separator: ",") + "}")
        }
    }

    /// `-12`, `3.5`, `1e3`, `.5`: what PostgreSQL's numeric input takes.
    static func isNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == 43 || bytes.first == 45 { bytes = bytes.dropFirst() }
        var digits = 0
        var dot = false
        while let byte = bytes.first {
            if byte >= 48 && byte <= 57 {
                digits += 1
            } else if byte == 46 && !dot {
                dot = true
            } else {
                break
            }
            bytes = bytes.dropFirst()
        }
        guard digits > 0 else { return false }
        if let byte = bytes.first, byte == 101 || byte == 69 {
            bytes = bytes.dropFirst()
            if bytes.first == 43 || bytes.first == 45 { bytes = bytes.dropFirst() }
            guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
            return true
        }
        return bytes.isEmpty
    }

    static func interval(_ text: String) -> String? {
        let trimmed = text.trimmingSpaces.lowercased()
        let units: [Character: String] = ["m": "minutes", "h": "hours", "d": "days", "w": "weeks"]
        if let unit = trimmed.last, let name = units[unit], let count = Int(trimmed.dropLast()), count >= 0 {
            return "\(count) \(name)"
        }
        let words = trimmed.split(separator: " ")
        if words.count == 2, Int(words[0]) != nil,
            ["minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months"].contains(
                String(words[1]))
        {
            return trimmed
        }
        return nil
    }
}

/// Why a value was refused.
public struct CoercionError: Error, Sendable {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
}
