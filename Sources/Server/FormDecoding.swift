/// Decodes `application/x-www-form-urlencoded` text (query strings and form bodies).
enum FormDecoding {
    struct Malformed: Error {
        var parameter: String
    }

    /// `a=1&b=x+y` → `[("a", "1"), ("b", "x y")]`; a bad `%` escape or invalid UTF-8 is an error naming the parameter.
    static func decode(_ text: Substring) throws -> [(String, String)] {
        var pairs: [(String, String)] = []
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let rawName = pieces[0]
            guard let name = decodeComponent(rawName) else { throw Malformed(parameter: String(rawName)) }
            guard let value = decodeComponent(pieces.count > 1 ? pieces[1] : "") else {
                throw Malformed(parameter: name)
            }
            pairs.append((name, value))
        }
        return pairs
    }

    private static func decodeComponent(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}
