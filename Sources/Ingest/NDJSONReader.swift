/// Reads newline-delimited JSON: one object per line, scalar values (and one nested object, for
/// conversion `params`). Numbers are kept as written; a UTF-8 byte order mark is skipped.
struct NDJSONReader {
    let bytes: [UInt8]

    func forEachRecord(_ body: (Result<InputRecord, CSVReader.Problem>) throws -> Void) throws {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            let slice = bytes[start..<end]
            if !slice.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
                var parser = JSONLineParser(bytes: slice)
                switch parser.parseObject() {
                case .success(let fields): try body(.success(InputRecord(line: line, fields: fields)))
                case .failure(let error): try body(.failure(CSVReader.Problem(line: line, reason: error.reason)))
                }
            }
            start = end + 1
            line += 1
        }
    }
}

/// A small JSON parser for one line: an object of scalars, arrays of strings or one nested object.
public struct JSONLineParser {
    let bytes: ArraySlice<UInt8>
    var index: Int

    public init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    public mutating func parseObject(depth: Int = 0) -> Result<[(String, FieldValue)], CoercionError> {
        skipSpace()
        guard peek == 123 else { return .failure(.init("expected a JSON object")) }
        index += 1
        var fields: [(String, FieldValue)] = []
        skipSpace()
        if peek == 125 {
            index += 1
            return depth == 0 ? finish(fields) : .success(fields)
        }
        while true {
            skipSpace()
            guard case .success(let key) = parseString() else { return .failure(.init("expected a quoted key")) }
            skipSpace()
            guard peek == 58 else { return .failure(.init("expected ':' after \"\(key)\"")) }
            index += 1
            skipSpace()
            let value: FieldValue
            switch parseValue(depth: depth) {
            case .success(let parsed): value = parsed
            case .failure(let error): return .failure(.init("\(key): \(error.reason)"))
            }
            fields.append((key, value))
            skipSpace()
            if peek == 44 {
                index += 1
                continue
            }
            if peek == 125 {
                index += 1
                return depth == 0 ? finish(fields) : .success(fields)
            }
            return .failure(.init("expected ',' or '}'"))
        }
    }

    private mutating func finish(_ fields: [(String, FieldValue)]) -> Result<[(String, FieldValue)], CoercionError> {
        skipSpace()
        return index == bytes.endIndex ? .success(fields) : .failure(.init("unexpected text after the object"))
    }

    private mutating func parseValue(depth: Int) -> Result<FieldValue, CoercionError> {
        switch peek {
        case 34: return parseString().map { .text($0) }
        case 123:
            guard depth == 0 else { return .failure(.init("objects nest one level at most")) }
            return parseObject(depth: 1).map { .object($0) }
        case 91: return parseStringArray()
        case 116: return literal("true", .bool(true))
        case 102: return literal("false", .bool(false))
        case 110: return literal("null", .null)
        default:
            let start = index
            while let byte = peek,
                byte == 43 || byte == 45 || byte == 46 || byte == 69 || byte == 101 || (byte >= 48 && byte <= 57)
            {
                index += 1
            }
            let isNumber = bytes[start..<index].withUnsafeBufferPointer { NumericText.isJSONNumber($0) }
            guard isNumber else { return .failure(.init("not a JSON value")) }
            return .success(.number(String(decoding: bytes[start..<index], as: UTF8.self)))
        }
    }

    /// An array of strings becomes `a|b|c` (for list columns).
    private mutating func parseStringArray() -> Result<FieldValue, CoercionError> {
        index += 1
        var items: [String] = []
        skipSpace()
        if peek == 93 {
            index += 1
            return .success(.text(""))
        }
        while true {
            skipSpace()
            guard case .success(let item) = parseString() else { return .failure(.init("arrays hold strings only")) }
            items.append(item)
            skipSpace()
            if peek == 44 {
                index += 1
                continue
            }
            if peek == 93 {
                index += 1
                return .success(.text(items.joined(separator: "|")))
            }
            return .failure(.init("expected ',' or ']'"))
        }
    }

    private mutating func literal(_ word: String, _ value: FieldValue) -> Result<FieldValue, CoercionError> {
        let utf8 = Array(word.utf8)
        guard bytes[index...].starts(with: utf8) else { return .failure(.init("not a JSON value")) }
        index += utf8.count
        return .success(value)
    }

    private mutating func parseString() -> Result<String, CoercionError> {
        guard peek == 34 else { return .failure(.init("expected a string")) }
        index += 1
        var output: [UInt8] = []
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 34 {
                index += 1
                guard let text = String(validating: output, as: UTF8.self) else {
                    return .failure(.init("not valid UTF-8"))
                }
                return .success(text)
            }
            if byte == 92 {
                index += 1
                guard index < bytes.endIndex else { break }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case 34, 92, 47: output.append(escaped)
                case 98: output.append(8)
                case 102: output.append(12)
                case 110: output.append(10)
                case 114: output.append(13)
                case 116: output.append(9)
                case 117:
                    guard index + 4 <= bytes.endIndex,
                        var code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
                    else { return .failure(.init("bad \\u escape")) }
                    index += 4
                    if (0xD800...0xDBFF).contains(code), bytes[index...].starts(with: [92, 117]),
                        index + 6 <= bytes.endIndex,
                        let low = UInt32(String(decoding: bytes[index + 2..<index + 6], as: UTF8.self), radix: 16)
                    {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                    guard let scalar = Unicode.Scalar(code) else { return .failure(.init("bad \\u escape")) }
                    output.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: return .failure(.init("bad escape"))
                }
                continue
            }
            output.append(byte)
            index += 1
        }
        return .failure(.init("unterminated string"))
    }

    private var peek: UInt8? { index < bytes.endIndex ? bytes[index] : nil }

    private mutating func skipSpace() {
        while let byte = peek, byte == 32 || byte == 9 || byte == 13 { index += 1 }
    }
}
