import Foundation
import Logging
import PostgresClient

/// `clv dashboards publish`: runs every widget and writes, per dashboard, `NAME/widgets/ID.json`
/// and `NAME/index.html` under the output folder. Each dashboard's folder is written beside the
/// published one and swapped in by rename, so a reader never sees half of a publish.
public struct DashboardPublisher: Sendable {
    public var runner: WidgetRunner
    public var logger: Logger

    public init(runner: WidgetRunner = WidgetRunner(), logger: Logger) {
        self.runner = runner
        self.logger = logger
    }

    /// What was written for one dashboard.
    public struct Published: Sendable {
        public var dashboard: String
        public var folder: URL
        public var widgets: Int
        /// `widget id: line L: message` for each widget that failed.
        public var failures: [String]
    }

    /// Publishes `dashboards`; `all` is every dashboard (for the navigation between pages).
    public func publish(
        _ dashboards: [Dashboard], all: [Dashboard], overrides: [String: String], to output: URL,
        on connection: PostgresConnection
    ) async throws -> [Published] {
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let dataAsOf = try await Self.dataAsOf(on: connection)
        var published: [Published] = []
        for dashboard in dashboards {
            var results: [WidgetResult] = []
            for widget in dashboard.widgets {
                let result = await runner.run(widget, of: dashboard, overrides: overrides, on: connection)
                if let failure = result.failure {
                    logger.warning(
                        "widget failed",
                        metadata: ["dashboard": "\(dashboard.name)", "widget": "\(widget.id)", "error": "\(failure)"])
                }
                results.append(result)
            }
            let folder = output.appendingPathComponent(dashboard.name)
            try writeAtomically(folder) { staging in
                let widgets = staging.appendingPathComponent("widgets")
                try FileManager.default.createDirectory(at: widgets, withIntermediateDirectories: true)
                for result in results {
                    try Data((result.json().serialized() + "\n").utf8).write(
                        to: widgets.appendingPathComponent("\(result.widget.id).json"))
                }
                try Data(DashboardPage.render(dashboard, results: results, others: all, dataAsOf: dataAsOf).utf8).write(
                    to: staging.appendingPathComponent("index.html"))
            }
            published.append(
                Published(
                    dashboard: dashboard.name, folder: folder, widgets: results.count,
                    failures: results.compactMap { result in result.failure.map { "\(result.widget.id): \($0)" } }))
        }
        try Data(DashboardIndex.render(all).utf8).write(
            to: output.appendingPathComponent("index.html"), options: .atomic)
        return published
    }

    /// The reference time the published relations were last built for (`clv run --as-of`, from
    /// `analytics.build_info`), as ISO 8601; nil before any build.
    static func dataAsOf(on connection: PostgresConnection) async throws -> String? {
        let exists = try await connection.query("select to_regclass('analytics.build_info') is not null as ok")[0]
        guard try exists.decode(Bool.self, "ok") else { return nil }
        return try await connection.query(
            """
            select to_char(max(as_of) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as as_of
            from analytics.build_info where materialized <> 'view'
            """)[0].decode(String?.self, "as_of")
    }

    /// Fills a new folder beside `folder`, then swaps it in: the old folder is renamed away and
    /// removed only after the new one is in place.
    private func writeAtomically(_ folder: URL, _ fill: (URL) throws -> Void) throws {
        let manager = FileManager.default
        let parent = folder.deletingLastPathComponent()
        let token = UUID().uuidString.prefix(8)
        let staging = parent.appendingPathComponent(".\(folder.lastPathComponent).new-\(token)")
        let old = parent.appendingPathComponent(".\(folder.lastPathComponent).old-\(token)")
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            try fill(staging)
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
        let existed = manager.fileExists(atPath: folder.path)
        if existed { try manager.moveItem(at: folder, to: old) }
        try manager.moveItem(at: staging, to: folder)
        if existed { try? manager.removeItem(at: old) }
    }
}

/// The output folder's `index.html`: a list of the dashboards.
enum DashboardIndex {
    static func render(_ dashboards: [Dashboard]) -> String {
        var html = """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>clv dashboards</title><style>\(DashboardPage.style)</style></head><body>
            <header><div><h1>clv dashboards</h1><p class="lede">Published widget data and pages.</p></div></header><main>
            """
        for dashboard in dashboards {
            html +=
                "<section class=\"tile\"><h2><a href=\"\(Formatting.html(dashboard.name))/index.html\">\(Formatting.html(dashboard.title))</a></h2><p class=\"note\">\(Formatting.html(dashboard.description))</p><p class=\"foot\">\(dashboard.widgets.count) widgets</p></section>"
        }
        return html + "</main></body></html>\n"
    }
}
