@testable import Synthetic

/// Seeded generators of values near the edges PostgreSQL's input functions care about: mostly
/// well-formed values with fields pushed past their limits, plus random mutations of them.
struct InputSamples {
    /// The generator's own SplitMix64: the same seed gives the same values on every platform.
    private var random: RandomSource

    init(seed: UInt64) { random = RandomSource(seed: seed) }

    mutating func next() -> UInt64 { random.next() }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// `YYYY-MM-DD` with years around leap rules and the ends of the range, days 28–32, months 0–13.
    mutating func date() -> String {
        let year =
            chance(70)
            ? pick([1900, 2000, 2023, 2024, 2025, 2026, 2100, 2400, 1, 0, 9999, 1582, 4])
            : below(10_000)
        let month = chance(70) ? pick([1, 2, 4, 6, 9, 11, 12, 0, 13]) : below(100)
        let day = chance(75) ? pick([28, 29, 30, 31, 32, 0, 1]) : below(100)
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }

    /// A timestamp in clv's ISO grammar, with hours 23–25, minutes and seconds 59–61, fractions of
    /// one to nine digits and offsets up to ±16:60.
    mutating func timestamp() -> String {
        var text = date()
        if chance(10) { return text }
        text += pick(["T", "T", " ", "t"])
        text += padded(chance(60) ? pick([0, 23, 24, 25, 12]) : below(100), 2)
        text += ":" + padded(chance(60) ? pick([0, 59, 60, 1]) : below(100), 2)
        if chance(80) {
            text += ":" + padded(chance(60) ? pick([0, 59, 60, 61]) : below(100), 2)
            if chance(35) {
                let digits = 1 + below(9)
                text +=
                    "."
                    + pick([
                        String((0..<digits).map { _ in Character(String(below(10))) }),
                        String(repeating: "9", count: digits), "0000005", "0000004", "00000051", "0000015", "9999995",
                    ])
            }
        }
        switch below(6) {
        case 0: break
        case 1: text += pick(["Z", "z"])
        default:
            let hours = chance(60) ? pick([0, 5, 14, 15, 16]) : below(100)
            let minutes = chance(60) ? pick([0, 30, 59, 60]) : below(100)
            text += pick(["+", "-"]) + padded(hours, 2)
            switch below(3) {
            case 0: break
            case 1: text += padded(minutes, 2)
            default: text += ":" + padded(minutes, 2)
            }
        }
        return text
    }

    /// Whole epoch seconds: everyday ones, ones near PostgreSQL's last second, and ones too long for int64.
    mutating func epoch() -> String {
        switch below(5) {
        case 0: return String(below(2_000_000_000))
        case 1: return String(9_224_318_015_999 - 5 + below(10))
        case 2: return String(repeating: "0", count: 1 + below(5)) + String(below(2_000_000_000))
        case 3: return String((0..<(1 + below(25))).map { _ in Character(String(below(10))) })
        default: return String(253_402_300_799 - 2 + below(4))
        }
    }

    /// Numbers near numeric's limits (131072 digits before the point, 16383 after, exponents),
    /// and the forms PostgreSQL accepts or refuses (`.5`, `5.`, `NaN`, `1_000`).
    mutating func number() -> String {
        if chance(8) {
            return pick([
                "NaN", "nan", "Infinity", "-Infinity", "inf", "-inf", "+inf", "-0", ".5", "5.", ".", "+.5", "-.5e3",
                "1e", "1e+", "1_000", "0x1F", "", "-", "e5", "1.2.3", "1e5.5", "--1", "0e1073741822", "0e1073741823",
                "1e-1073741822", "0e-16383", "0e-16384", "0.0e-16383",
            ])
        }
        if chance(2) {
            let integer = pick([131_071, 131_072, 131_073])
            let fraction = pick([0, 16_383, 16_384])
            let lead = pick(["", "0", "000"])
            return lead + "9" + String(repeating: "0", count: integer - 1)
                + (fraction > 0 ? "." + String(repeating: "0", count: fraction - 1) + "1" : "")
        }
        var text = pick(["", "", "-", "+"])
        let integerDigits = chance(20) ? 0 : 1 + below(chance(80) ? 6 : 40)
        text += String((0..<integerDigits).map { _ in Character(String(below(10))) })
        if chance(50) || integerDigits == 0 {
            text += "." + String((0..<below(8)).map { _ in Character(String(below(10))) })
        }
        if chance(40) {
            text += pick(["e", "E"]) + pick(["", "-", "+"])
            text += String(
                pick([
                    below(20), 131_071, 131_072, 131_073, 131_070, 16_383, 16_384, 16_382, 1_073_741_822,
                    1_073_741_823, 99_999_999_999,
                ]))
        }
        return text
    }

    /// Prefixes of boolean words in mixed case, and near misses.
    mutating func boolean() -> String {
        let word = pick(["true", "false", "yes", "no", "on", "off", "1", "0", "01", "2", "onn", "truex", "y", "n"])
        var text = String(word.prefix(1 + below(word.count + 1)))
        if chance(30) { text = String(text.map { chance(50) ? Character($0.uppercased()) : $0 }) }
        if chance(10) { text += pick(["x", "e", "s"]) }
        return text
    }

    /// `(input, PostgreSQL text with the same meaning)` for clv durations: suffix and word forms
    /// with counts near each unit's storage limit.
    mutating func duration() -> (String, String) {
        let units: [(String, String, Int)] = [
            ("m", "minutes", 153_722_867_280), ("h", "hours", 2_562_047_788), ("d", "days", 2_147_483_647),
            ("w", "weeks", 306_783_378), ("", "months", 2_147_483_647),
        ]
        let (suffix, word, limit) = pick(units)
        let count =
            switch below(4) {
            case 0: below(1000)
            case 1: limit - 2 + below(4)
            case 2: -(limit - 2 + below(5))
            default: Int(Int64.max / 3) + below(10)
            }
        if suffix.isEmpty || chance(50) {
            let name = chance(20) ? String(word.dropLast()) : word
            return ("\(count) \(name)", "\(count) \(name)")
        }
        return ("\(count)\(suffix)", "\(count) \(word)")
    }

    /// `a|b|c` lists whose items hold the characters array literals must escape.
    mutating func list() -> String {
        let pieces = ["a", "b c", "\"", "\\", "{", "}", ",", " ", "é", "NULL", "", "x\"y\\z", "'"]
        return (0..<below(5)).map { _ in (0..<(1 + below(3))).map { _ in pick(pieces) }.joined() }
            .joined(separator: "|")
    }

    /// Mutates a value: a digit changed, a character dropped, doubled or inserted, white space
    /// around it, or cut short.
    mutating func mutate(_ text: String) -> String {
        var characters = Array(text)
        guard !characters.isEmpty else { return " " }
        let at = below(characters.count)
        switch below(6) {
        case 0: if characters[at].isNumber { characters[at] = Character(String(below(10))) }
        case 1: characters.remove(at: at)
        case 2: characters.insert(characters[at], at: at)
        case 3: characters.insert(pick(["0", "9", "-", ":", "T", ".", "Z", "+", " ", "e"]), at: at)
        case 4: return pick([" ", "\t", "\n", "\r\n"]) + text + pick(["", " ", "\t", "\n"])
        default: characters.removeLast(1 + below(characters.count))
        }
        return String(characters)
    }
}
