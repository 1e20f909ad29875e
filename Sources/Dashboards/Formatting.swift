import Foundation

/// Text helpers shared by the HTML renderers.
enum Formatting {
    /// Escapes text for HTML element content and attribute values.
    static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A cell for people: thousands grouped, at most 2 decimals (4 below 1), NULL as an en dash.
    static func display(_ text: String?, _ type: ResultColumnType) -> String {
        guard let text else { return "–" }
        switch type {
        case .integer, .number:
            guard let value = Double(text), value.isFinite else { return text }
            let digits = type == .integer ? 0 : (abs(value) < 1 && value != 0 ? 4 : 2)
            return grouped(value, digits: digits)
        case .boolean: return text == "t" ? "yes" : "no"
        case .timestamp: return String(text.prefix(16))
        default: return text
        }
    }

    static func grouped(_ value: Double, digits: Int) -> String {
        GroupedFormatters.shared.string(value, digits: digits)
    }

    /// Short axis labels: 1.2k, 3.4M.
    static func compact(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1_000_000 { return grouped(value / 1_000_000, digits: 1) + "M" }
        if magnitude >= 10_000 { return grouped(value / 1_000, digits: 1) + "k" }
        return grouped(value, digits: magnitude < 10 ? 2 : 0)
    }
}

/// One number formatter per number of decimals, made once: building a formatter per table cell
/// made rendering a 5,000-row table slow. Formatters are not thread-safe, so use is serialised.
final class GroupedFormatters: @unchecked Sendable {
    static let shared = GroupedFormatters()
    private let lock = NSLock()
    private var formatters: [Int: NumberFormatter] = [:]

    func string(_ value: Double, digits: Int) -> String {
        lock.withLock {
            let formatter = formatters[digits] ?? make(digits)
            formatters[digits] = formatter
            return formatter.string(from: NSNumber(value: value)) ?? String(value)
        }
    }

    private func make(_ digits: Int) -> NumberFormatter {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        formatter.minimumFractionDigits = 0
        formatter.maximumFractionDigits = digits
        return formatter
    }
}
