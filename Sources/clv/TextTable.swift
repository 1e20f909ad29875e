/// Renders rows as an aligned plain-text table for terminal output.
public enum TextTable {
    public static func render(columns: [String], rows: [[String?]]) -> String {
        let cells = rows.map { $0.map { $0 ?? "NULL" } }
        var widths = columns.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], min(cell.count, 60))
            }
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { index, value in
                let text = value.count > 60 ? String(value.prefix(57)) + "..." : value
                return text.padding(toLength: widths[index])
            }.joined(separator: " | ")
        }
        var output = [line(columns), widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")]
        output += cells.map(line)
        return output.map { "  " + $0.trailingSpacesTrimmed }.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }

    fileprivate var trailingSpacesTrimmed: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
