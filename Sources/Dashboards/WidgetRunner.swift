import Core
import Foundation
import PostgresClient

/// Runs widget queries: parameters bound (never spliced), in a read-only transaction with a
/// statement timeout, in the dashboard's time zone; always rolled back.
public struct WidgetRunner: Sendable {
    /// Longest a widget's query may run.
    public var statementTimeoutMilliseconds: Int
    /// Today, for relative dates (default: the current date in the dashboard's zone).
    public var now: Date

    public init(statementTimeoutMilliseconds: Int = 30_000, now: Date = Date()) {
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
        self.now = now
    }

    /// Runs `widget` with `overrides` (e.g. `from`, `to`, `partner`) over its defaults. A failure
    /// is returned in the result, never thrown: one broken widget must not stop the others.
    public func run(
        _ widget: Widget, of dashboard: Dashboard, overrides: [String: String] = [:], on connection: PostgresConnection
    ) async -> WidgetResult {
        let started = ContinuousClock.now
        var result = WidgetResult(
            dashboard: dashboard.name, dashboardTitle: dashboard.title, widget: widget, timeZone: dashboard.timeZone,
            params: [], current: .init(), generatedAt: now, queryMilliseconds: 0)
        do {
            let zone = TimeZone(identifier: dashboard.timeZone) ?? TimeZone(identifier: "UTC")!
            let (params, range) = try resolve(widget, overrides: overrides, today: Day.today(in: zone, now: now))
            result.params = params.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            let numbered = SQLLexer.numberingNamedParameters(in: Self.trimmed(widget.sql))
            try await connection.rollingBack(readOnly: true) { connection in
                try await connection.execute(
                    "select set_config('statement_timeout', \(String(statementTimeoutMilliseconds)), true)")
                try await connection.execute("select set_config('timezone', \(dashboard.timeZone), true)")
                result.current = try await fetch(numbered, params: params, widget: widget, on: connection)
                if widget.comparePreviousPeriod, let range {
                    var previousParams = params
                    previousParams["from"] = range.previous.from.description
                    previousParams["to"] = range.previous.to.description
                    result.previousParams = previousParams.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                    result.previous = try await fetch(numbered, params: previousParams, widget: widget, on: connection)
                }
            }
        } catch let failure as WidgetResult.Failure {
            result.failure = failure
        } catch let error as PostgresError {
            result.failure = failure(error, widget: widget)
        } catch {
            result.failure = WidgetResult.Failure(message: "\(error)", line: nil)
        }
        result.queryMilliseconds = (ContinuousClock.now - started).inSeconds * 1000
        return result
    }

    /// Resolved parameter values and, when `from` and `to` are dates, the reporting range.
    func resolve(_ widget: Widget, overrides: [String: String], today: Day) throws -> (
        [String: String], ReportingRange?
    ) {
        var values: [String: String] = [:]
        for (name, text) in widget.params.merging(overrides, uniquingKeysWith: { $1 }) {
            do {
                values[name] = try ParameterValue.resolve(text, today: today)
            } catch {
                throw WidgetResult.Failure(message: "parameter \(name): \(error)", line: nil)
            }
        }
        guard let fromText = widget.params.merging(overrides, uniquingKeysWith: { $1 })["from"],
            let from = values["from"].flatMap(Day.init), let to = values["to"].flatMap(Day.init)
        else {
            if widget.comparePreviousPeriod {
                throw WidgetResult.Failure(message: "compare: previous_period needs dates in from and to", line: nil)
            }
            return (values, nil)
        }
        guard from < to else {
            throw WidgetResult.Failure(message: "empty range: from \(from) is not before to \(to)", line: nil)
        }
        let grain: ReportingRange.Grain? =
            fromText.hasPrefix("start_of_year")
            ? .year
            : fromText.hasPrefix("start_of_quarter") ? .quarter : fromText.hasPrefix("start_of_month") ? .month : nil
        return (values, ReportingRange(from: from, to: to, grain: grain))
    }

    private func fetch(
        _ numbered: SQLLexer.NumberedParameters, params: [String: String], widget: Widget,
        on connection: PostgresConnection
    ) async throws -> WidgetResult.Rows {
        let binds: [any PostgresEncodable] = numbered.names.map { params[$0] ?? "" }
        try await connection.execute(
            SQL(unsafeSQL: Self.cursorPrefix + numbered.text, binding: binds))
        let fetched = try await connection.query(
            "fetch forward \(unsafeSQL: String(widget.rowLimit + 1)) from clv_widget")
        try await connection.execute("close clv_widget")
        var rows = WidgetResult.Rows()
        rows.columns = zip(fetched.columns, fetched.columnTypeOIDs).map {
            .init(name: $0, type: ResultColumnType(oid: $1))
        }
        rows.rows = fetched.prefix(widget.rowLimit).map(\.values)
        rows.truncated = fetched.count > widget.rowLimit
        return rows
    }

    static let cursorPrefix = "declare clv_widget no scroll cursor for\n"

    /// The SQL without a trailing semicolon (it runs inside a cursor).
    static func trimmed(_ sql: String) -> String {
        var text = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") { text = String(text.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
        return text
    }

    /// The error with its line in the dashboard file, from the server's position in the statement.
    private func failure(_ error: PostgresError, widget: Widget) -> WidgetResult.Failure {
        var message = error.message
        if error.sqlState == "57014" {
            message = "canceled after the \(statementTimeoutMilliseconds) ms statement timeout"
        }
        guard let position = error.position, position > Self.cursorPrefix.unicodeScalars.count else {
            return WidgetResult.Failure(message: message, line: nil)
        }
        let original = Self.trimmed(widget.sql)
        let numbered = SQLLexer.numberingNamedParameters(in: original)
        let offset = numbered.originalOffset(of: position - 1 - Self.cursorPrefix.unicodeScalars.count)
        // Trimming removed leading whitespace: count the lines it held too.
        let leading = widget.sql.prefix { $0.isWhitespace }.filter { $0 == "\n" }.count
        let line = SourceLocation.at(characterOffset: offset, in: original, file: widget.id).line
        return WidgetResult.Failure(message: message, line: widget.sqlLine + leading + line - 1)
    }
}
