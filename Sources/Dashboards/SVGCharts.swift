import Foundation

/// Charts drawn as inline SVG: no scripts, no network, printable.
enum SVGCharts {
    static let palette = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#0891b2", "#db2777"]

    /// A line per numeric column over the first column; the previous period dashed, by position.
    static func line(_ rows: WidgetResult.Rows, previous: WidgetResult.Rows?) -> String {
        let series = rows.columns.indices.dropFirst().filter { rows.columns[$0].type.isNumeric }
        guard !rows.rows.isEmpty, !series.isEmpty else { return empty() }
        let width = 640.0
        let height = 260.0
        let left = 56.0
        let right = 16.0
        let top = 16.0
        let bottom = 40.0
        let values = rows.rows.flatMap { row in series.compactMap { row[$0].flatMap(Double.init) } }
        let previousValues = previous?.rows.flatMap { row in series.compactMap { row[$0].flatMap(Double.init) } } ?? []
        let (low, high, tick) = bounds(values + previousValues)
        let count = max(rows.rows.count, previous?.rows.count ?? 0)
        func x(_ index: Int) -> Double {
            count == 1
                ? left + (width - left - right) / 2 : left + Double(index) * (width - left - right) / Double(count - 1)
        }
        func y(_ value: Double) -> Double { top + (high - value) / (high - low) * (height - top - bottom) }
        var svg = open(width, height)
        svg += yAxis(low: low, high: high, step: tick, left: left, width: width - right, y: y)
        let labelStep = max(1, (rows.rows.count + 5) / 6)
        for (index, row) in rows.rows.enumerated() where index % labelStep == 0 {
            svg +=
                "<text x=\"\(f(x(index)))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\" class=\"axis\">\(Formatting.html(shortLabel(row[0])))</text>"
        }
        for (position, column) in series.enumerated() {
            let color = palette[position % palette.count]
            if let previous {
                svg += path(previous.rows, column: column, x: x, y: y, color: color, dashed: true)
            }
            svg += path(rows.rows, column: column, x: x, y: y, color: color, dashed: false)
            for (index, row) in rows.rows.enumerated() {
                guard let value = row[column].flatMap(Double.init) else { continue }
                svg +=
                    "<circle cx=\"\(f(x(index)))\" cy=\"\(f(y(value)))\" r=\"2.5\" fill=\"\(color)\"><title>\(Formatting.html(label(row[0]))): \(Formatting.html(rows.columns[column].name)) \(Formatting.display(row[column], rows.columns[column].type))</title></circle>"
            }
        }
        svg += "</svg>"
        return svg + legend(series.map { rows.columns[$0].name }, previous: previous != nil)
    }

    /// Horizontal bars per category (first column), one bar per numeric column. Each column has its
    /// own scale (values are printed on the bars), so an average and a total can share a chart.
    static func bar(_ rows: WidgetResult.Rows, previous: WidgetResult.Rows?) -> String {
        let series = rows.columns.indices.dropFirst().filter { rows.columns[$0].type.isNumeric }
        guard !rows.rows.isEmpty, !series.isEmpty else { return empty() }
        let barHeight = 16.0
        let gap = 10.0
        let groupHeight = Double(series.count) * barHeight + gap
        let left = 120.0
        let right = 80.0
        let width = 560.0
        let height = Double(rows.rows.count) * groupHeight + 8
        let scales: [Int: (low: Double, high: Double)] = Dictionary(
            uniqueKeysWithValues: series.map { column in
                let values = rows.rows.compactMap { $0[column].flatMap(Double.init) }
                let low = min(0, values.min() ?? 0)
                return (column, (low, max(values.max() ?? 1, low + 1e-9, 0)))
            })
        func x(_ value: Double, _ column: Int) -> Double {
            let scale = scales[column]!
            return left + (value - scale.low) / (scale.high - scale.low) * (width - left - right)
        }
        var svg = open(width, height)
        for (index, row) in rows.rows.enumerated() {
            let groupTop = 4 + Double(index) * groupHeight
            svg +=
                "<text x=\"\(f(left - 8))\" y=\"\(f(groupTop + Double(series.count) * barHeight / 2 + 4))\" text-anchor=\"end\" class=\"axis\">\(Formatting.html(String(label(row[0]).prefix(20))))</text>"
            for (position, column) in series.enumerated() {
                guard let value = row[column].flatMap(Double.init) else { continue }
                let top = groupTop + Double(position) * barHeight
                let start = x(min(0, value), column)
                let barWidth = max(1, abs(x(value, column) - x(0, column)))
                let text = Formatting.display(row[column], rows.columns[column].type)
                svg +=
                    "<rect x=\"\(f(start))\" y=\"\(f(top))\" width=\"\(f(barWidth))\" height=\"\(f(barHeight - 3))\" rx=\"2\" fill=\"\(palette[position % palette.count])\"><title>\(Formatting.html(label(row[0]))): \(Formatting.html(rows.columns[column].name)) \(text)</title></rect>"
                svg +=
                    "<text x=\"\(f(start + barWidth + 4))\" y=\"\(f(top + barHeight - 5))\" class=\"value\">\(text)</text>"
            }
        }
        svg += "</svg>"
        return svg + (series.count > 1 ? legend(series.map { rows.columns[$0].name }, previous: false) : "")
    }

    /// A grid from rows of (row label, column label, value[, complete]); incomplete cells hatched.
    static func heatmap(_ rows: WidgetResult.Rows) -> String {
        guard rows.columns.count >= 3, rows.columns[2].type.isNumeric, !rows.rows.isEmpty else {
            return "<p class=\"note\">A heatmap needs columns (row, column, value[, complete]).</p>"
        }
        var rowLabels: [String] = []
        var columnLabels: [String] = []
        var cells: [String: (value: String?, complete: Bool)] = [:]
        for row in rows.rows {
            let rowLabel = label(row[0])
            let columnLabel = label(row[1])
            if !rowLabels.contains(rowLabel) { rowLabels.append(rowLabel) }
            if !columnLabels.contains(columnLabel) { columnLabels.append(columnLabel) }
            let complete = rows.columns.count > 3 ? row[3] != "f" : true
            cells[rowLabel + "\u{1}" + columnLabel] = (row[2], complete)
        }
        let values = cells.values.compactMap { $0.value.flatMap(Double.init) }
        let (low, high) = (values.min() ?? 0, max(values.max() ?? 1, (values.min() ?? 0) + 1e-9))
        let cellWidth = 96.0
        let cellHeight = 26.0
        let left = 90.0
        let top = 24.0
        let width = left + Double(columnLabels.count) * cellWidth + 4
        let height = top + Double(rowLabels.count) * cellHeight + 4
        var svg = open(width, height)
        svg +=
            "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\" stroke-width=\"2\" stroke-opacity=\"0.6\"/></pattern></defs>"
        for (index, column) in columnLabels.enumerated() {
            svg +=
                "<text x=\"\(f(left + (Double(index) + 0.5) * cellWidth))\" y=\"16\" text-anchor=\"middle\" class=\"axis\">\(Formatting.html(column))</text>"
        }
        var anyIncomplete = false
        for (rowIndex, rowLabel) in rowLabels.enumerated() {
            let y = top + Double(rowIndex) * cellHeight
            svg +=
                "<text x=\"\(f(left - 8))\" y=\"\(f(y + cellHeight / 2 + 4))\" text-anchor=\"end\" class=\"axis\">\(Formatting.html(rowLabel))</text>"
            for (columnIndex, columnLabel) in columnLabels.enumerated() {
                let x = left + Double(columnIndex) * cellWidth
                guard let cell = cells[rowLabel + "\u{1}" + columnLabel] else { continue }
                let value = cell.value.flatMap(Double.init)
                let share = value.map { ($0 - low) / (high - low) } ?? 0
                let fill = value == nil ? "#f1f5f9" : shade(share)
                let text = Formatting.display(cell.value, rows.columns[2].type) + (cell.complete ? "" : "*")
                anyIncomplete = anyIncomplete || !cell.complete
                svg +=
                    "<rect x=\"\(f(x + 1))\" y=\"\(f(y + 1))\" width=\"\(f(cellWidth - 2))\" height=\"\(f(cellHeight - 2))\" fill=\"\(fill)\"><title>\(Formatting.html(rowLabel)) · \(Formatting.html(columnLabel)): \(text)\(cell.complete ? "" : " (incomplete: the period has not fully elapsed)")</title></rect>"
                if !cell.complete {
                    svg +=
                        "<rect x=\"\(f(x + 1))\" y=\"\(f(y + 1))\" width=\"\(f(cellWidth - 2))\" height=\"\(f(cellHeight - 2))\" fill=\"url(#hatch)\" class=\"incomplete\"/>"
                }
                svg +=
                    "<text x=\"\(f(x + cellWidth / 2))\" y=\"\(f(y + cellHeight / 2 + 4))\" text-anchor=\"middle\" class=\"cell\" fill=\"\(share > 0.55 ? "#ffffff" : "#0f172a")\">\(Formatting.html(text))</text>"
            }
        }
        svg += "</svg>"
        if anyIncomplete {
            svg +=
                "<p class=\"note\">* hatched: incomplete, the window has not fully elapsed for every customer in it.</p>"
        }
        return svg
    }

    private static func open(_ width: Double, _ height: Double) -> String {
        "<svg class=\"chart\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" style=\"max-width:\(f(width))px\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"
    }

    private static func empty() -> String { "<p class=\"note\">No rows for this range.</p>" }

    private static func path(
        _ rows: [[String?]], column: Int, x: (Int) -> Double, y: (Double) -> Double, color: String, dashed: Bool
    ) -> String {
        var commands: [String] = []
        for (index, row) in rows.enumerated() {
            guard let value = row[column].flatMap(Double.init) else { continue }
            commands.append("\(commands.isEmpty ? "M" : "L")\(f(x(index))),\(f(y(value)))")
        }
        guard !commands.isEmpty else { return "" }
        return
            "<path d=\"\(commands.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"4 4\" stroke-opacity=\"0.55\"" : "")/>"
    }

    private static func yAxis(
        low: Double, high: Double, step: Double, left: Double, width: Double, y: (Double) -> Double
    ) -> String {
        var svg = ""
        for index in 0...Int(((high - low) / step).rounded()) {
            let value = low + Double(index) * step
            svg +=
                "<line x1=\"\(f(left))\" x2=\"\(f(width))\" y1=\"\(f(y(value)))\" y2=\"\(f(y(value)))\" class=\"grid\"/><text x=\"\(f(left - 6))\" y=\"\(f(y(value) + 4))\" text-anchor=\"end\" class=\"axis\">\(Formatting.compact(value))</text>"
        }
        return svg
    }

    private static func legend(_ names: [String], previous: Bool) -> String {
        var html = "<div class=\"legend\">"
        for (index, name) in names.enumerated() {
            html +=
                "<span><i style=\"background:\(palette[index % palette.count])\"></i>\(Formatting.html(name))</span>"
        }
        if previous { html += "<span><i class=\"dashed\"></i>previous period</span>" }
        return html + "</div>"
    }

    /// Low and high for an axis that includes 0 and ends on round ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ).
    static func bounds(_ values: [Double]) -> (low: Double, high: Double, step: Double) {
        let low = min(0, values.min() ?? 0)
        let high = max(values.max() ?? 1, 0)
        guard high > low else { return (low, low + 1, 0.25) }
        let rough = (high - low) / 4
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        return (floor(low / step) * step, ceil(high / step) * step, step)
    }

    /// Axis text: a date as "Nov 3" (with the year in January), anything else as it is.
    private static func shortLabel(_ text: String?) -> String {
        guard let text, text.count >= 10, let day = Day(String(text.prefix(10))) else { return label(text) }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(months[day.month - 1]) \(day.day)" + (day.month == 1 && day.day == 1 ? " \(day.year)" : "")
    }

    private static func shade(_ share: Double) -> String {
        // From #dbeafe (light) to #1e3a8a (dark).
        let start = (219.0, 234.0, 254.0)
        let end = (30.0, 58.0, 138.0)
        let t = min(1, max(0, share))
        let r = Int(start.0 + (end.0 - start.0) * t)
        let g = Int(start.1 + (end.1 - start.1) * t)
        let b = Int(start.2 + (end.2 - start.2) * t)
        return "rgb(\(r),\(g),\(b))"
    }

    private static func label(_ text: String?) -> String {
        guard let text else { return "–" }
        // Dates and timestamps: the day is enough on an axis.
        if text.count >= 10, Day(String(text.prefix(10))) != nil { return String(text.prefix(10)) }
        return text
    }

    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
