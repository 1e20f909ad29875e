import Foundation

/// CSV fields and lines as RFC 4180 writes them: a field holding a comma, a quote or a line break
/// is quoted, with its quotes doubled.
public enum CSVText {
    /// `value` as one CSV field.
    public static func field(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `fields` as one CSV line, with its line feed.
    public static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\n"
    }
}
