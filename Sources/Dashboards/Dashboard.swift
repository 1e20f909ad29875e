/// A dashboard from `dashboards/NAME.yaml`: a title and widgets whose SQL analysts write.
public struct Dashboard: Sendable {
    /// The file's name without `.yaml`: how commands and URLs refer to it.
    public var name: String
    /// Relative to the project folder, for messages.
    public var file: String
    public var title: String
    public var description: String
    /// IANA zone the date parameters and ranges are read in (default UTC).
    public var timeZone: String
    public var widgets: [Widget]

    /// The widget with `id`, if the dashboard has one.
    public func widget(_ id: String) -> Widget? { widgets.first { $0.id == id } }
}

/// One tile of a dashboard.
public struct Widget: Sendable {
    /// How the widget is drawn.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case kpi, line, bar, table, heatmap
    }

    public var id: String
    public var title: String
    public var description: String
    public var kind: Kind
    /// The query, with `:name` parameters.
    public var sql: String
    /// The file line the SQL text starts on, to report errors at their line.
    public var sqlLine: Int
    /// Parameter defaults as written (`-30d`, `today`, `start_of_month`, a date, or any text).
    public var params: [String: String]
    /// Run the same query over the previous period too (needs `from` and `to`).
    public var comparePreviousPeriod: Bool
    /// The most rows published; more are cut and the cut is stated.
    public var rowLimit: Int
    /// Table widgets: columns the search box matches, and columns offered as filters.
    public var search: [String]
    public var filters: [String]
}
