import PostgresClient

/// `clv dashboards check`: every widget with its defaults, read-only and rolled back.
public enum DashboardCheck {
    /// One line per failing widget: `dashboards/FILE.yaml: widgets[id]: line L: message`.
    public static func problems(
        _ dashboards: [Dashboard], runner: WidgetRunner = WidgetRunner(), on connection: PostgresConnection
    ) async -> [String] {
        var problems: [String] = []
        for dashboard in dashboards {
            for widget in dashboard.widgets {
                if let failure = await runner.run(widget, of: dashboard, on: connection).failure {
                    problems.append("\(dashboard.file): widgets[\(widget.id)]: \(failure)")
                }
            }
        }
        return problems
    }
}
