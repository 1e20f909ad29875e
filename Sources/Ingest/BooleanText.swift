/// Reads boolean text exactly as PostgreSQL's `boolean` input function does: any prefix of `true`,
/// `false`, `yes` or `no`, `on`, `off` (or `of`), `1` or `0`, ignoring case.
enum BooleanText {
    /// The value, or nil when PostgreSQL would refuse `bytes` (already trimmed).
    static func value(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard let first = bytes.first else { return nil }
        func isPrefix(of word: String, atLeast minimum: Int = 1) -> Bool {
            let word = Array(word.utf8)
            guard bytes.count >= minimum, bytes.count <= word.count else { return false }
            return zip(bytes, word).allSatisfy { $0 | 0x20 == $1 }
        }
        switch first | 0x20 {
        case 116: return isPrefix(of: "true") ? true : nil
        case 102: return isPrefix(of: "false") ? false : nil
        case 121: return isPrefix(of: "yes") ? true : nil
        case 110: return isPrefix(of: "no") ? false : nil
        case 111: return isPrefix(of: "on", atLeast: 2) ? true : isPrefix(of: "off", atLeast: 2) ? false : nil
        case 49 where bytes.count == 1: return true
        case 48 where bytes.count == 1: return false
        default: return nil
        }
    }
}
