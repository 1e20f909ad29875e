import Foundation

/// A parsed JSON value that keeps booleans and numbers apart.
enum ParsedJSON: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ParsedJSON])
    case object([String: ParsedJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ParsedJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ParsedJSON].self))
        }
    }

    static func parse(_ data: Data) throws -> ParsedJSON { try JSONDecoder().decode(ParsedJSON.self, from: data) }

    subscript(key: String) -> ParsedJSON? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    subscript(index: Int) -> ParsedJSON? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }
}

/// The part of JSON Schema (2020-12) that `dashboards/widget.schema.json` uses: type, const, enum,
/// properties, required, additionalProperties, items, minimum and local `$ref`s. Returns every
/// violation as `path: reason`.
struct JSONSchema {
    let root: ParsedJSON

    init(_ data: Data) throws { root = try ParsedJSON.parse(data) }

    func violations(of data: Data) throws -> [String] {
        var problems: [String] = []
        check(try ParsedJSON.parse(data), against: root, path: "$", problems: &problems)
        return problems
    }

    private func check(_ value: ParsedJSON, against schema: ParsedJSON, path: String, problems: inout [String]) {
        if case .string(let reference)? = schema["$ref"] {
            guard let target = root["$defs"]?[String(reference.dropFirst("#/$defs/".count))] else {
                problems.append("\(path): unknown $ref \(reference)")
                return
            }
            check(value, against: target, path: path, problems: &problems)
            return
        }
        if let types = schema["type"] {
            let allowed: [String]
            switch types {
            case .string(let one): allowed = [one]
            case .array(let many): allowed = many.compactMap { if case .string(let s) = $0 { s } else { nil } }
            default: allowed = []
            }
            guard allowed.contains(where: { Self.matches(value, type: $0) }) else {
                problems.append("\(path): expected \(allowed.joined(separator: "|")), got \(value)")
                return
            }
        }
        if let constant = schema["const"], constant != value { problems.append("\(path): expected \(constant)") }
        if case .array(let options)? = schema["enum"], !options.contains(value) {
            problems.append("\(path): \(value) is not one of the allowed values")
        }
        if case .number(let minimum)? = schema["minimum"], case .number(let number) = value, number < minimum {
            problems.append("\(path): \(number) < \(minimum)")
        }
        if case .object(let object) = value {
            if case .array(let required)? = schema["required"] {
                for case .string(let name) in required where object[name] == nil {
                    problems.append("\(path): missing \(name)")
                }
            }
            for (key, item) in object {
                if let property = schema["properties"]?[key] {
                    check(item, against: property, path: "\(path).\(key)", problems: &problems)
                } else if let additional = schema["additionalProperties"], case .object = additional {
                    check(item, against: additional, path: "\(path).\(key)", problems: &problems)
                } else if schema["additionalProperties"] == .bool(false) {
                    problems.append("\(path): unexpected \(key)")
                }
            }
        }
        if case .array(let array) = value, let items = schema["items"] {
            for (index, item) in array.enumerated() {
                check(item, against: items, path: "\(path)[\(index)]", problems: &problems)
            }
        }
    }

    private static func matches(_ value: ParsedJSON, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("number", .number), ("string", .string), ("array", .array),
            ("object", .object):
            return true
        case ("integer", .number(let number)): return number == number.rounded()
        default: return false
        }
    }
}
