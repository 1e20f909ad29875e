/// Checks number text the way PostgreSQL's `numeric` input function will read it, on UTF-8 bytes.
///
/// Accepted: `[+-]digits[.digits][e[+-]digits]` (also `.5` and `5.`) within `numeric`'s limits:
/// at most 131072 significant digits before the point and 16383 after it (counting the exponent).
/// `NaN` and `Infinity`, which PostgreSQL takes, are refused: they are not amounts.
enum NumericText {
    static let maxIntegerDigits = 131_072
    static let maxScale = 16_383

    /// Nil when PostgreSQL's `numeric` takes `bytes` (already trimmed), else why not, worded to
    /// follow the quoted value.
    static func problem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var index = 0
        if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 { index += 1 }
        var integerDigits = 0
        var leadingZeros = 0
        var fractionDigits = 0
        var zerosAfterPoint = 0
        var nonZero = false
        var point = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 46, !point {
                point = true
            } else if byte >= 48, byte <= 57 {
                if point {
                    fractionDigits += 1
                    if !nonZero && byte == 48 { zerosAfterPoint += 1 }
                } else {
                    integerDigits += 1
                    if !nonZero && byte == 48 { leadingZeros += 1 }
                }
                if byte != 48 { nonZero = true }
            } else {
                break
            }
            index += 1
        }
        guard integerDigits + fractionDigits > 0 else { return notANumber(bytes) }
        var exponent = 0
        if index < bytes.count, bytes[index] == 101 || bytes[index] == 69 {
            index += 1
            var sign = 1
            if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 {
                sign = bytes[index] == 45 ? -1 : 1
                index += 1
            }
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                exponent = min(exponent * 10 + Int(bytes[index] - 48), Int(Int32.max))
                index += 1
            }
            guard index > start else { return notANumber(bytes) }
            exponent *= sign
        }
        guard index == bytes.count else { return notANumber(bytes) }
        // PostgreSQL refuses exponents of INT_MAX/2 and beyond before looking at the digits.
        guard abs(exponent) < Int(Int32.max) / 2, max(0, fractionDigits - exponent) <= maxScale else {
            return "is out of range for numeric (at most \(maxScale) digits after the point)"
        }
        let significant = integerDigits > leadingZeros ? integerDigits - leadingZeros : -zerosAfterPoint
        guard !nonZero || significant + exponent <= maxIntegerDigits else {
            return "is out of range for numeric (at most \(maxIntegerDigits) digits before the point)"
        }
        return nil
    }

    /// True for a JSON number: `-?(0|[1-9]digits)(.digits)?([eE][+-]?digits)?`.
    static func isJSONNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == 45 { index += 1 }
        let first = index
        let integerDigits = digits()
        guard integerDigits == 1 || (integerDigits > 1 && bytes[first] != 48) else { return false }
        if index < bytes.count, bytes[index] == 46 {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == 101 || bytes[index] == 69 {
            index += 1
            if index < bytes.count, bytes[index] == 43 || bytes[index] == 45 { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    private static func notANumber(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let word = String(decoding: bytes, as: UTF8.self).lowercased().drop { $0 == "+" || $0 == "-" }
        return ["nan", "infinity", "inf"].contains(word)
            ? "is not an amount (NaN and Infinity are refused)" : "is not a number"
    }
}
