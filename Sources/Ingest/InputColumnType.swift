import Foundation

/// How an input value is checked and written for COPY.
public enum InputColumnType: Sendable {
    case text
    /// An instant: ISO 8601 (`2025-01-31T10:00:00Z`, offsets, fractional seconds), a bare date
    /// (midnight UTC), or Unix epoch seconds.
    case timestamp
    case date
    case numeric
    /// A whole number from 0 to 2,147,483,647 (an `integer` column that counts something).
    case count
    case boolean
    case oneOf([String])
    /// `24h`, `7d`, `30d`, `90m`, `2w` or a PostgreSQL interval.
    case duration
    /// `a|b|c` (or a JSON array of strings in NDJSON): a text array.
    case textList

    /// The value in PostgreSQL text format, or the reason it is refused: a value is accepted only
    /// when PostgreSQL's input function for the column's type will accept the text written.
    func coerce(_ value: FieldValue) -> Result<String, CoercionError> {
        switch self {
        case .text:
            guard let text = value.scalarText else { return .failure(.init("expected text")) }
            return .success(text)
        case .timestamp:
            guard let text = value.scalarText else { return .failure(.init("expected a timestamp")) }
            return Self.checkTrimmed(text) { text, bytes in
                if TimestampText.isEpoch(bytes) {
                    guard let written = TimestampText.epochText(bytes) else {
                        return .failure(
                            Self.refusal(text, "is out of range: epoch seconds past 294276-12-31 23:59:59 UTC"))
                    }
                    return .success(written)
                }
                return TimestampText.problem(bytes).map { .failure(Self.refusal(text, $0)) } ?? .success(text)
            }
        case .date:
            guard let text = value.scalarText else { return .failure(.init("expected a date")) }
            return Self.checkTrimmed(text) { text, bytes in
                TimestampText.problem(bytes, dateOnly: true).map { .failure(Self.refusal(text, $0)) } ?? .success(text)
            }
        case .numeric:
            guard let text = value.scalarText else { return .failure(.init("expected a number")) }
            return Self.checkTrimmed(text) { text, bytes in
                NumericText.problem(bytes).map { .failure(Self.refusal(text, $0)) } ?? .success(text)
            }
        case .count:
            guard let text = value.scalarText else { return .failure(.init("expected a whole number")) }
            return Self.checkTrimmed(text) { text, bytes in
                guard !bytes.isEmpty, bytes.count <= 10, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                    let count = Int(text), count <= Int(Int32.max)
                else { return .failure(Self.refusal(text, "is not a whole number from 0 to 2147483647")) }
                return .success(String(count))
            }
        case .boolean:
            if case .bool(let flag) = value { return .success(flag ? "t" : "f") }
            guard let text = value.scalarText else { return .failure(.init("expected a boolean")) }
            return Self.checkTrimmed(text) { text, bytes in
                guard let flag = BooleanText.value(bytes) else {
                    return .failure(Self.refusal(text, "is not a boolean (true/false)"))
                }
                return .success(flag ? "t" : "f")
            }
        case .oneOf(let allowed):
            guard let text = value.scalarText, allowed.contains(text) else {
                return .failure(
                    .init("'\((value.scalarText ?? "").prefix(40))' is not one of \(allowed.joined(separator: ", "))"))
            }
            return .success(text)
        case .duration:
            guard let text = value.scalarText else { return .failure(.init("expected a duration")) }
            return Self.checkTrimmed(text) { text, _ in
                IntervalText.interval(text).mapError { Self.refusal(text, $0.reason) }
            }
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

    /// `'value' reason`, the value cut to 40 characters.
    private static func refusal(_ text: String, _ reason: String) -> CoercionError {
        .init("'\(text.prefix(40))' \(reason)")
    }

    /// Runs `check` on `text` without the white space PostgreSQL's input functions ignore around
    /// a value (space, tab, newline, carriage return, vertical tab, form feed).
    private static func checkTrimmed(
        _ text: String, _ check: (String, UnsafeBufferPointer<UInt8>) -> Result<String, CoercionError>
    ) -> Result<String, CoercionError> {
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (byte >= 9 && byte <= 13) }
        var trimmed = text
        if let first = text.utf8.first, let last = text.utf8.last, isSpace(first) || isSpace(last) {
            let utf8 = text.utf8
            let start = utf8.firstIndex { !isSpace($0) } ?? utf8.endIndex
            let end = utf8[start...].lastIndex { !isSpace($0) }.map { utf8.index(after: $0) } ?? start
            trimmed = String(Substring(utf8[start..<end]))
        }
        let written = trimmed
        return trimmed.withUTF8 { check(written, $0) }
    }
}

/// Why a value was refused.
public struct CoercionError: Error, Sendable {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
}
