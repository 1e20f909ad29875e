import Foundation

/// Durations in configuration files: `30s`, `2m`, `45m`, `1h`, `1d` (a bare number is seconds).
enum DurationText {
    static func seconds(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return seconds }
        guard let unit = trimmed.last, let count = Int(trimmed.dropLast()), count >= 0 else { return nil }
        switch unit {
        case "s": return count
        case "m": return count * 60
        case "h": return count * 3600
        case "d": return count * 86_400
        default: return nil
        }
    }
}
