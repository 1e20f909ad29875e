/// Turns input records of one kind into COPY text lines, or says why a record is refused.
struct RowEncoder {
    let kind: IngestKind
    let columns: [IngestKind.Column]
    private let positions: [String: Int]
    private let keyPositions: [Int]
    /// Earlier column names still accepted → their current names.
    let renamed: [String: String]

    init(kind: IngestKind) {
        self.kind = kind
        self.columns = kind.columns
        var positions = Dictionary(uniqueKeysWithValues: kind.columns.enumerated().map { ($1.input, $0) })
        for (index, column) in kind.columns.enumerated() {
            if let formerly = column.formerly { positions[formerly] = index }
        }
        self.positions = positions
        self.renamed = Dictionary(
            uniqueKeysWithValues: kind.columns.compactMap { c in c.formerly.map { ($0, c.input) } })
        self.keyPositions = kind.key.map { key in kind.columns.firstIndex { $0.target == key }! }
    }

    /// The raw table's columns a file fills, in COPY order.
    var targetColumns: [String] {
        columns.map(\.target) + (kind.acceptsCustomParameters ? ["params"] : [])
    }

    /// Problems with one record: `column: reason` each.
    struct Refusal: Error {
        var reasons: [String]
    }

    /// A record that passed every check: each column's PostgreSQL text (absent values already
    /// given their defaults) and, for conversions, the data points as a JSON object.
    struct Row {
        var values: [String?]
        var params: String?
    }

    /// Checks a record against the kind's columns.
    func validate(_ record: InputRecord) -> Result<Row, Refusal> {
        var values = [String?](repeating: nil, count: columns.count)
        var params: [(String, FieldValue)] = []
        var reasons: [String] = []
        var refused = Set<Int>()
        for (name, value) in record.fields {
            if let position = positions[name] {
                if case .null = value { continue }
                if case .text(let text) = value, text.isEmpty { continue }
                if let text = value.scalarText, let problem = FieldLimits.problem(text) {
                    reasons.append("\(name): \(problem)")
                    refused.insert(position)
                    continue
                }
                switch columns[position].type.coerce(value) {
                case .success(let text): values[position] = text
                case .failure(let error):
                    reasons.append("\(name): \(error.reason)")
                    refused.insert(position)
                }
            } else if kind.acceptsCustomParameters {
                if name == "params", case .object(let nested) = value {
                    params.append(contentsOf: nested)
                } else {
                    params.append((name, value))
                }
            } else {
                reasons.append("\(name): unknown column (expected \(columns.map(\.input).joined(separator: ", ")))")
            }
        }
        for (index, column) in columns.enumerated()
        where column.required && values[index] == nil && !refused.contains(index) {
            reasons.append("\(column.input): missing")
        }
        for (name, value) in params {
            if let problem = Self.parameterProblem(name: name, value: value) { reasons.append("\(name): \(problem)") }
        }
        guard reasons.isEmpty else { return .failure(Refusal(reasons: reasons)) }
        for (index, column) in columns.enumerated() where values[index] == nil {
            values[index] = column.absent
        }
        return .success(Row(values: values, params: kind.acceptsCustomParameters ? Self.json(params) : nil))
    }

    /// Appends the record's COPY line to `output`, ending with the `trailer` column (`line` puts
    /// the record's line number there), or returns why it is refused. When `keys` is given, the
    /// record's natural key goes into it and `repeatedKey` is set when a key was seen before.
    func encode(
        _ record: InputRecord, into output: inout String, trailer: Trailer, keys: inout Set<String>?,
        repeatedKey: inout Bool
    ) -> Refusal? {
        let row: Row
        switch validate(record) {
        case .success(let valid): row = valid
        case .failure(let refusal): return refusal
        }
        if keys != nil {
            let key =
                keyPositions.count == 1
                ? row.values[keyPositions[0]]! : keyPositions.map { row.values[$0]! }.joined(separator: "\u{1F}")
            if keys!.insert(key).inserted == false { repeatedKey = true }
        }
        for (index, value) in row.values.enumerated() {
            if index > 0 { output.append("\t") }
            if let value { Self.appendEscaped(value, to: &output) } else { output.append("\\N") }
        }
        if let params = row.params {
            output.append("\t")
            Self.appendEscaped(params, to: &output)
        }
        output.append("\t")
        switch trailer {
        case .line: output.append(String(record.line))
        case .constant(let text): output.append(text)
        }
        output.append("\n")
        return nil
    }

    /// The last COPY column: the record's line (staging) or a constant (the load id).
    enum Trailer {
        case line
        case constant(String)
    }

    /// Why a data point cannot go into `params` (jsonb): a name or text PostgreSQL cannot store, or
    /// a JSON number beyond `numeric`'s range (jsonb stores numbers as numeric).
    static func parameterProblem(name: String, value: FieldValue) -> String? {
        if let problem = FieldLimits.problem(name) { return "the name is \(problem)" }
        switch value {
        case .text(let text): return FieldLimits.problem(text)
        case .number(var number):
            return number.withUTF8 { NumericText.problem($0) }.map { "'\(number.prefix(40))' \($0)" }
        case .bool, .null, .object: return nil
        }
    }

    /// A JSON object of data points: numbers stay numbers, text that reads as a plain decimal
    /// (no leading zeros, within numeric's range) becomes a number, other text stays text; absent
    /// values are left out.
    static func json(_ params: [(String, FieldValue)]) -> String {
        var text = "{"
        var first = true
        for (name, value) in params {
            let encoded: String
            switch value {
            case .null, .object: continue
            case .text(let string):
                if string.isEmpty { continue }
                encoded = isPlainDecimal(string) && fitsNumeric(string) ? string : quoted(string)
            case .number(let number): encoded = number
            case .bool(let flag): encoded = flag ? "true" : "false"
            }
            if !first { text.append(",") }
            first = false
            text.append(quoted(name))
            text.append(":")
            text.append(encoded)
        }
        return text + "}"
    }

    /// `-12`, `150`, `0.5`: a number as JSON would write it.
    static func isPlainDecimal(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == 45 { bytes = bytes.dropFirst() }
        guard let first = bytes.first, first >= 48 && first <= 57 else { return false }
        if first == 48, bytes.count > 1, bytes[bytes.index(after: bytes.startIndex)] != 46 { return false }
        var dot = false
        var digitsAfterDot = 0
        for byte in bytes {
            if byte == 46 {
                if dot { return false }
                dot = true
            } else if byte >= 48 && byte <= 57 {
                if dot { digitsAfterDot += 1 }
            } else {
                return false
            }
        }
        return !dot || digitsAfterDot > 0
    }

    /// True when jsonb can store the plain decimal `text` as a number.
    private static func fitsNumeric(_ text: String) -> Bool {
        text.utf8.count < 1_000
            || {
                var text = text
                return text.withUTF8 { NumericText.problem($0) == nil }
            }()
    }

    static func quoted(_ string: String) -> String {
        var text = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text.append("\\\"")
            case "\\": text.append("\\\\")
            case "\n": text.append("\\n")
            case "\r": text.append("\\r")
            case "\t": text.append("\\t")
            default:
                if scalar.value < 0x20 {
                    text.append("\\u00" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16))
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        return text + "\""
    }

    /// COPY text format: backslash, tab, newline and carriage return are escaped.
    static func appendEscaped(_ value: String, to output: inout String) {
        if !value.utf8.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) {
            output.append(value)
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": output.append("\\\\")
            case "\t": output.append("\\t")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            default: output.unicodeScalars.append(scalar)
            }
        }
    }
}
