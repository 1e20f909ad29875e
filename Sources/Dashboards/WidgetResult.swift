import Foundation

/// One widget's published data: what `widgets/ID.json` holds (schema: `dashboards/widget.schema.json`).
public struct WidgetResult: Sendable {
    /// A result column and how it is published.
    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: ResultColumnType
    }

    /// A query's rows, as fetched.
    public struct Rows: Sendable {
        public var columns: [Column] = []
        public var rows: [[String?]] = []
        /// More rows existed than the widget's limit; `rows` holds the first `limit`.
        public var truncated = false
    }

    /// Where a widget failed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        /// The line in the dashboard file, when the database gave a position.
        public var line: Int?
        public var description: String { line.map { "line \($0): \(message)" } ?? message }
    }

    public var dashboard: String
    public var dashboardTitle: String
    public var widget: Widget
    public var timeZone: String
    /// Parameters as bound, after resolving relative dates.
    public var params: [(String, String)]
    public var current: Rows
    /// The previous period's parameters and rows, for `compare: previous_period`.
    public var previousParams: [(String, String)]?
    public var previous: Rows?
    public var failure: Failure?
    public var generatedAt: Date
    public var queryMilliseconds: Double

    /// For KPI widgets with a comparison: per numeric column of the first row, the current and
    /// previous values and the absolute and relative change (`percent_change` is null when the
    /// previous value is 0 or missing).
    public struct Change: Sendable, Equatable {
        public var column: String
        public var current: Decimal?
        public var previous: Decimal?
        public var absoluteChange: Decimal?
        public var percentChange: Decimal?
    }

    public var changes: [Change] {
        guard let previous, let currentRow = current.rows.first else { return [] }
        let previousRow = previous.rows.first
        return current.columns.enumerated().compactMap { index, column in
            guard column.type.isNumeric else { return nil }
            let now = currentRow[index].flatMap { Decimal(string: $0) }
            let before = previousRow?[index].flatMap { Decimal(string: $0) }
            var absolute: Decimal?
            var percent: Decimal?
            if let now, let before {
                absolute = now - before
                if before != 0 {
                    var ratio = (now - before) / abs(before) * 100
                    var rounded = Decimal()
                    NSDecimalRound(&rounded, &ratio, 2, .plain)
                    percent = rounded
                }
            }
            return Change(
                column: column.name, current: now, previous: before, absoluteChange: absolute, percentChange: percent)
        }
    }

    /// The document, keys in a fixed order.
    public func json() -> JSONValue {
        func params(_ list: [(String, String)]) -> JSONValue { .object(list.map { ($0.0, .string($0.1)) }) }
        func rows(_ data: Rows) -> JSONValue {
            .array(data.rows.map { row in .array(zip(data.columns, row).map { $0.type.value($1) }) })
        }
        func decimal(_ value: Decimal?) -> JSONValue { value.map { .number($0) } ?? .null }
        var fields: [(String, JSONValue)] = [
            ("schema_version", .number(1)),
            ("dashboard", .string(dashboard)),
            ("dashboard_title", .string(dashboardTitle)),
            ("widget", .string(widget.id)),
            ("title", .string(widget.title)),
            ("type", .string(widget.kind.rawValue)),
            ("timezone", .string(timeZone)),
            ("params", params(self.params)),
            (
                "columns",
                .array(
                    current.columns.map { .object([("name", .string($0.name)), ("type", .string($0.type.rawValue))]) })
            ),
            ("rows", rows(current)),
            ("row_count", .number(current.rows.count)),
            ("row_limit", .number(widget.rowLimit)),
            ("truncated", .bool(current.truncated)),
        ]
        if let previous, let previousParams {
            var comparison: [(String, JSONValue)] = [
                ("period", .string("previous_period")),
                ("params", params(previousParams)),
                ("rows", rows(previous)),
                ("truncated", .bool(previous.truncated)),
            ]
            if widget.kind == .kpi {
                comparison.append(
                    (
                        "changes",
                        .array(
                            changes.map {
                                .object([
                                    ("column", .string($0.column)), ("current", decimal($0.current)),
                                    ("previous", decimal($0.previous)), ("absolute_change", decimal($0.absoluteChange)),
                                    ("percent_change", decimal($0.percentChange)),
                                ])
                            })
                    ))
            }
            fields.append(("comparison", .object(comparison)))
        } else {
            fields.append(("comparison", .null))
        }
        fields.append(
            (
                "error",
                failure.map {
                    .object([("message", .string($0.message)), ("line", $0.line.map { .number($0) } ?? .null)])
                }
                    ?? .null
            ))
        fields.append(("generated_at", .string(ISO8601DateFormatter().string(from: generatedAt))))
        fields.append(("query_ms", .number(queryMilliseconds)))
        return .object(fields)
    }
}
