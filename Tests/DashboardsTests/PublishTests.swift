import Core
import Foundation
import Logging
import PostgresClient
import TestSupport
import Testing

@testable import Dashboards

/// Widgets on a real database: binding, comparisons, failures, limits, the JSON schema and the page.
@Suite struct PublishTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Facts for February 2025 and the month before, so every figure can be computed by hand.
    static let facts = """
        create table facts (day date not null, kind text not null, amount numeric not null);
        insert into facts values
            ('2025-01-10', 'a', 40),
            ('2025-02-03', 'a', 30), ('2025-02-20', 'b', 20),
            ('2025-03-01', 'a', 1000);
        create table audit (note text);
        create sequence counter;
        """

    static let dashboard = """
        title: Test board
        description: For tests.
        params: {from: 2025-02-01, to: 2025-03-01}
        widgets:
          - id: totals
            title: Totals
            type: kpi
            compare: previous_period
            sql: |
              select
                  coalesce(sum(amount), 0) as total,
                  count(*) as facts,
                  coalesce(sum(amount) filter (where kind = 'b'), 0) as kind_b
              from facts
              where day >= :from and day < :to

          - id: broken
            title: Broken
            type: bar
            sql: |
              select kind,
                  sum(amount) as total
              from facts
              where nosuchcolumn > 0
              group by kind

          - id: by_kind
            title: By kind
            type: bar
            sql: select kind, sum(amount) as total from facts group by kind order by kind

          - id: daily
            title: Daily
            type: line
            sql: select day, amount from facts order by day

          - id: grid
            title: Grid
            type: heatmap
            sql: select kind, to_char(day, 'YYYY-MM') as month, amount, day < '2025-03-01' as complete from facts order by day

          - id: listing
            title: Listing
            type: table
            limit: 2
            search: [kind]
            filters: [kind]
            sql: select day, kind, amount from facts order by day
        """

    struct Fixture {
        let database: TestDatabase
        let connection: PostgresConnection
        let project: TemporaryDirectory
        var projectValue: Project { Project(root: project.url) }

        static func make(dashboard: String = PublishTests.dashboard) async throws -> Fixture {
            let database = try await TestDatabase.make()
            let connection = try await database.connect()
            try await connection.executeScript(PublishTests.facts)
            let project = try TemporaryDirectory.make(prefix: "clv-dashboards")
            try project.write("dashboards/test.yaml", dashboard)
            return Fixture(database: database, connection: connection, project: project)
        }

        func tearDown() async throws {
            project.remove()
            try await database.drop()
        }
    }

    func widget(_ id: String, _ fixture: Fixture) throws -> (Dashboard, Widget) {
        let dashboard = try #require(try DashboardLoader(project: fixture.projectValue).loadAll().first)
        return (dashboard, try #require(dashboard.widget(id)))
    }

    @Test func kpiComparesWithThePreviousPeriod() async throws {
        let fixture = try await Fixture.make()
        let (dashboard, widget) = try widget("totals", fixture)
        let result = await WidgetRunner().run(widget, of: dashboard, on: fixture.connection)
        #expect(result.failure == nil)
        // February: 30 + 20 = 50 over 2 facts, 20 of kind b; January (the previous month): 40, 1, 0.
        #expect(result.current.rows == [["50", "2", "20"]])
        #expect(result.previous?.rows == [["40", "1", "0"]])
        #expect(result.previousParams?.map(\.1) == ["2025-01-01", "2025-02-01"])
        #expect(
            result.changes == [
                .init(column: "total", current: 50, previous: 40, absoluteChange: 10, percentChange: 25),
                .init(column: "facts", current: 2, previous: 1, absoluteChange: 1, percentChange: 100),
                // A previous value of 0 has no percent change: null, not infinity.
                .init(column: "kind_b", current: 20, previous: 0, absoluteChange: 20, percentChange: nil),
            ])
        let json = try ParsedJSON.parse(Data(result.json().serialized().utf8))
        #expect(json["comparison"]?["changes"]?[2]?["percent_change"] == .null)
        #expect(json["comparison"]?["changes"]?[0]?["percent_change"] == .number(25))
        try await fixture.tearDown()
    }

    @Test func parametersAreBoundNeverSpliced() async throws {
        let fixture = try await Fixture.make(
            dashboard: """
                title: Injection
                params: {name: x}
                widgets:
                  - {id: echo, title: Echo, type: table, sql: "select :name::text as name, (select count(*) from audit) as audits"}
                """)
        let (dashboard, widget) = try widget("echo", fixture)
        let attack = "x'); insert into audit values ('pwned'); --"
        let result = await WidgetRunner().run(
            widget, of: dashboard, overrides: ["name": attack], on: fixture.connection)
        #expect(result.failure == nil)
        #expect(result.current.rows == [[attack, "0"]])
        #expect(try await fixture.connection.query("select count(*)::text from audit")[0][0] == "0")
        try await fixture.tearDown()
    }

    @Test func widgetsRunReadOnlyWithATimeout() async throws {
        let fixture = try await Fixture.make(
            dashboard: """
                title: Guards
                widgets:
                  - {id: writes, title: Writes, type: table, sql: "select nextval('counter') as n"}
                  - {id: slow, title: Slow, type: table, sql: "select pg_sleep(60)::text as slept"}
                """)
        let (dashboard, writes) = try widget("writes", fixture)
        let written = await WidgetRunner().run(writes, of: dashboard, on: fixture.connection)
        #expect(written.failure?.message.contains("read-only transaction") == true)
        let slow = try #require(dashboard.widget("slow"))
        let started = ContinuousClock.now
        let timed = await WidgetRunner(statementTimeoutMilliseconds: 200).run(
            slow, of: dashboard, on: fixture.connection)
        // Far below the 60 s the query asks for, with room for a loaded machine.
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(timed.failure?.message.contains("200 ms statement timeout") == true)
        // The session is usable afterwards: nothing was left open.
        #expect(try await fixture.connection.query("select count(*)::text from audit")[0][0] == "0")
        try await fixture.tearDown()
    }

    @Test func checkReportsFileWidgetAndLine() async throws {
        let fixture = try await Fixture.make()
        let dashboards = try DashboardLoader(project: fixture.projectValue).loadAll()
        let problems = await DashboardCheck.problems(dashboards, on: fixture.connection)
        // The broken widget's SQL starts on line 21 of the file (after `sql: |`); `nosuchcolumn` is on its line 4.
        #expect(problems.count == 1)
        #expect(
            problems.first?.hasPrefix(
                "dashboards/test.yaml: widgets[broken]: line 24: column \"nosuchcolumn\" does not exist") == true)
        try await fixture.tearDown()
    }

    @Test func oneFailingWidgetDoesNotStopTheOthers() async throws {
        let fixture = try await Fixture.make()
        let output = fixture.project.url.appendingPathComponent("out")
        let dashboards = try DashboardLoader(project: fixture.projectValue).loadAll()
        let published = try await DashboardPublisher(logger: Logger(label: "test")).publish(
            dashboards, all: dashboards, overrides: [:], to: output, on: fixture.connection)
        #expect(published.first?.failures.count == 1)
        #expect(published.first?.failures.first?.hasPrefix("broken: line 24:") == true)
        let folder = output.appendingPathComponent("test")
        let schema = try JSONSchema(
            Data(contentsOf: Self.repository.appendingPathComponent("dashboards/widget.schema.json")))
        for id in ["totals", "broken", "by_kind", "daily", "grid", "listing"] {
            let data = try Data(contentsOf: folder.appendingPathComponent("widgets/\(id).json"))
            #expect(try schema.violations(of: data) == [], "\(id)")
        }
        let broken = try ParsedJSON.parse(Data(contentsOf: folder.appendingPathComponent("widgets/broken.json")))
        #expect(broken["error"]?["line"] == .number(24))
        #expect(broken["rows"] == .array([]))

        let html = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        // One chart per chart widget (bar, line, heatmap), KPI tiles, the table, and the failure in its tile.
        #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == 3)
        #expect(html.components(separatedBy: "<section class=\"tile").count - 1 == 6)
        #expect(html.contains("class=\"kpis\""))
        #expect(html.contains("This widget failed.</b> line 24: column &quot;nosuchcolumn&quot; does not exist"))
        #expect(html.contains("▲ +25%"))
        // Nothing is loaded from the network.
        #expect(!html.contains("<script src") && !html.contains("<link") && !html.contains("url(http"))
        try await fixture.tearDown()
    }

    @Test func rowLimitIsStatedNeverSilent() async throws {
        let fixture = try await Fixture.make()
        let output = fixture.project.url.appendingPathComponent("out")
        let dashboards = try DashboardLoader(project: fixture.projectValue).loadAll()
        _ = try await DashboardPublisher(logger: Logger(label: "test")).publish(
            dashboards, all: dashboards, overrides: [:], to: output, on: fixture.connection)
        let listing = try ParsedJSON.parse(
            Data(contentsOf: output.appendingPathComponent("test/widgets/listing.json")))
        #expect(listing["truncated"] == .bool(true))
        #expect(listing["row_count"] == .number(2))
        #expect(listing["row_limit"] == .number(2))
        let html = try String(contentsOf: output.appendingPathComponent("test/index.html"), encoding: .utf8)
        #expect(html.contains("Showing the first 2 rows: the query returned more (row limit 2)."))
        try await fixture.tearDown()
    }

    @Test func definitionProblemsAreReportedByField() throws {
        let project = try TemporaryDirectory.make(prefix: "clv-dashboards")
        try project.write(
            "dashboards/bad.yaml",
            """
            title: Bad
            timezone: Mars/Base
            colour: red
            widgets:
              - {id: a, title: A, type: pie, sql: select 1}
              - {id: b, title: B, type: kpi, sql: "select :partner as p", compare: previous_period}
              - {id: b, title: B2, type: table, sql: select 1, params: {from: start_of_decade}}
            """)
        let error = #expect(throws: ConfigErrors.self) {
            try DashboardLoader(project: Project(root: project.url)).loadAll()
        }
        #expect(
            Set(error?.errors.map(\.description) ?? []) == [
                "dashboards/bad.yaml: colour: unknown field (expected title, description, timezone, params, widgets)",
                "dashboards/bad.yaml: timezone: unknown time zone 'Mars/Base'",
                "dashboards/bad.yaml: widgets[a].type: 'pie' is not one of kpi, line, bar, table, heatmap",
                "dashboards/bad.yaml: widgets[b].sql: parameter :partner has no default in params",
                "dashboards/bad.yaml: widgets[b].compare: previous_period needs from and to params",
                "dashboards/bad.yaml: widgets[b].params.from: 'start_of_decade' is not a date expression (today, yesterday, start_of_week|month|quarter|year, ±N d|w|mo|y, YYYY-MM-DD)",
                "dashboards/bad.yaml: widgets[b].id: duplicate widget id",
            ])
        project.remove()
    }
}
