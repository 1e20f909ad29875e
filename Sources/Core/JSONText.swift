import Foundation

/// JSON string literals, written by hand where documents are streamed or keys kept in order.
public enum JSONText {
    /// Appends `text` as a quoted JSON string. With `escapingHTML`, `<` is written `\u003c`, so the
    /// document can sit inside an HTML `<script>`.
    public static func escape(_ text: String, into out: inout String, escapingHTML: Bool = false) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where escapingHTML: out += "\\u003c"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// `text` as a quoted JSON string.
    public static func quoted(_ text: String) -> String {
        var out = ""
        escape(text, into: &out)
        return out
    }
}
