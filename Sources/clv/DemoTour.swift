import Audiences
import Core
import Dashboards
import Foundation
import Logging
import Modeling
import Pipeline
import PostgresClient
import Rules
import Scheduler
import Server
import Transforms

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The later steps of `clv demo`: derived attributes, a postback through the real server, a schedule run.
struct DemoTour {
    let connection: PostgresConnection
    let asOf: String

    /// `clv run` as the demo does it: at the example's reference time, recorded as `demo`.
    var runOptions: TransformRunner.Options {
        var options = TransformRunner.Options()
        options.asOf = PostgresTimestamp.parse(asOf)
        options.command = "demo"
        return options
    }

    /// Corrects a conversion by hand and reverts it, with an incremental run after each: only the
    /// keys the correction touched are recomputed, and the figures end where they started.
    func correctAndRevert(project: Project, logger: Logger) async throws {
        let options = runOptions
        var merged: [String] = []
        for delta in [5, -5] {
            try await connection.execute(
                "update raw.conversions set revenue = revenue + \(delta) where conversion_id = 'c10'")
            let refresh = try await Pipeline(project: project, logger: logger).refresh(options: options, on: connection)
            merged = refresh.built.filter { $0.mode.hasPrefix("incremental") && $0.rows > 0 }
                .map { "\($0.transform) \($0.rows)" }
        }
        print(
            "   c10's revenue corrected by hand (+5) and back, each merged incrementally (rows recomputed): "
                + merged.joined(separator: ", "))
    }

    func showDerivedAttributes() async throws {
        try await connection.query("select set_config('clv.as_of', \(asOf), false)")
        let cohorts = try await connection.query(
            """
            select to_char(cohort_start, 'YYYY-MM') as cohort, customers, revenue_7d, revenue_30d, revenue_90d, complete_90d
            from analytics.cohort_revenue where cohort_grain = 'month' order by cohort_start
            """)
        print("8. signup cohorts (month), at \(asOf):")
        print(TextTable.render(columns: cohorts.columns, rows: cohorts.map(\.values)))
        let offers = try await connection.query(
            """
            select key as offer_id, clicks, conversions, orders, revenue, round(epc, 2) as epc,
                round(conversion_rate, 2) as conversion_rate, partner_payout, net_revenue
            from analytics.performance where dimension = 'offer' order by revenue desc
            """)
        print("9. offer performance:")
        print(TextTable.render(columns: offers.columns, rows: offers.map(\.values)))
        let compare = try await connection.query(
            "select metric, source, current_value, previous_value, pct_change from analytics.compare_periods('2025-02-01', '2025-03-01')"
        )
        print("10. February vs the 28 days before:")
        print(TextTable.render(columns: compare.columns, rows: compare.map(\.values)))
    }

    /// Fits the predicted-CLV models as of the example's reference date and shows the top customers.
    func predict(project: Project, logger: Logger) async throws {
        var options = PredictionOptions(observationEnd: String(asOf.prefix(10)))
        options.horizonMonths = 12
        let report = try await Pipeline(project: project, logger: logger).predict(
            options, on: connection, command: "demo"
        ).prediction
        let top = try await connection.query(
            """
            select customer_id, round(p_alive::numeric, 3) as p_alive,
                round(expected_purchases_12m::numeric, 2) as expected_purchases_12m,
                round(expected_avg_value, 2) as expected_avg_value, round(predicted_clv, 2) as predicted_clv,
                predicted_decile
            from analytics.predicted_clv order by predicted_clv desc, customer_id limit 3
            """)
        print(
            "12. predicted CLV (BG/NBD + Gamma-Gamma, \(report.customers) customers, purchases \(report.purchases), as of \(report.observationEnd), 12 months):"
        )
        print(TextTable.render(columns: top.columns, rows: top.map(\.values)))
    }

    /// Publishes every dashboard over the example's first quarter.
    func publishDashboards(project: Project, logger: Logger) async throws {
        let loader = DashboardLoader(project: project)
        let dashboards = try loader.loadAll()
        let output = project.publishedDashboardsDirectory
        let published = try await DashboardPublisher(logger: logger).publish(
            dashboards, all: dashboards, overrides: ["from": "2025-01-01", "to": "2025-04-01"], to: output,
            on: connection)
        let widgets = published.reduce(0) { $0 + $1.widgets }
        let failures = published.flatMap(\.failures)
        print(
            "15. dashboards: \(published.count) published (\(widgets - failures.count) of \(widgets) widgets, 2025-01-01 → 2025-04-01) → \(project.relativePath(output))/index.html"
        )
        for failure in failures { print("    failed: \(failure)") }
    }

    /// Exports an audience to the Mailchimp file drop twice: the second run finds nothing new.
    func exportAudience(project: Project, logger: Logger) async throws {
        let exporter = AudienceExporter(project: project, logger: logger)
        let first = try await exporter.export(
            "customers_with_clv", to: "mailchimp", options: AudienceExporter.Options(), on: connection)
        let second = try await exporter.export(
            "customers_with_clv", to: "mailchimp", options: AudienceExporter.Options(), on: connection)
        print(
            "16. audience customers_with_clv → mailchimp drop (.clv/exports/mailchimp): +\(first.added) added, \(first.suppressed) without consent or suppressed, \(first.invalidEmails) invalid; exported again: +\(second.added) added, \(second.unchanged) unchanged"
        )
    }

    /// Applies the rules in rules/, evaluates them, and shows the payouts they changed.
    func payoutRules(project: Project, logger: Logger) async throws {
        let loader = RuleFileLoader(project: project)
        let definitions = try loader.load(
            loader.defaultFiles(), known: try await RuleStore().dataPoints(on: connection))
        try await RuleStore().apply(definitions, on: connection)
        let report = try await Pipeline(project: project, logger: logger).evaluateRules(
            on: connection, command: "demo"
        ).evaluation
        print(
            "13. payout rules: \(definitions.rules.count) applied from rules/; \(report.full ? "full" : "incremental") evaluation: \(report.matched) match(es)"
        )
        let payouts = try await connection.query(
            """
            select conversion_id, customer_id, default_payout, array_to_string(applied_rules, ', ') as applied_rules,
                round(final_payout, 2) as final_payout, round(final_revenue, 2) as final_revenue
            from analytics.conversion_payouts where cardinality(applied_rules) > 0 order by conversion_id
            """)
        print(TextTable.render(columns: payouts.columns, rows: payouts.map(\.values)))
        // Partner p1's January and February statements, issued (frozen: a second demo run shows
        // them as issued).
        for period in ["2025-01", "2025-02"] {
            let statement = try await PayoutStatements().statement(
                partner: "p1", period: period, issue: true, on: connection)
            let conversions = statement.lines.filter { $0.kind == "conversion" }.count
            print(
                "  p1's payout statement for \(period) (clv payouts statement --issue): \(conversions) conversions, \(statement.defaultPayout) default + \(statement.rulesPayout) from rules, \(statement.adjustmentsTotal) adjustments: \(statement.total)"
            )
        }
    }

    /// Starts the postback server on a free loopback port, sends one TUNE-style postback twice, stops it.
    func sendPostback(databaseURL: String, logger: Logger) async throws {
        var configuration = PostbackServer.Configuration()
        configuration.port = 0
        var quiet = logger
        quiet.logLevel = .critical
        let server = PostbackServer(databaseURL: databaseURL, configuration: configuration, logger: quiet)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task { try await server.run { continuation.yield($0) } }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        let url = URL(
            string:
                "http://127.0.0.1:\(port)/postback?transaction_id=k6&goal_name=deposit&sale_amount=120&user_id=cust_6&adv_sub=demo-pb-1&datetime=2025-03-05T10:00:00Z&deposit=120"
        )!
        var answers: [String] = []
        for _ in 0..<2 {
            let (data, _) = try await URLSession.shared.data(from: url)
            answers.append(String(decoding: data, as: UTF8.self))
        }
        print("4. postback on http://127.0.0.1:\(port)/postback, sent twice: \(answers.joined(separator: " then "))")
    }

    /// Runs schedules/nightly.yaml once, with the daemon's claim, lease and history.
    func runSchedule(project: Project, databaseURL: String, logger: Logger) async throws {
        guard let nightly = try ScheduleLoader(project: project).loadAll().first(where: { $0.name == "nightly" }) else {
            return
        }
        let daemon = SchedulerDaemon(project: project, databaseURL: databaseURL, logger: logger)
        // The example's reference time, like every other step: its 2025 customers stay in their windows.
        let event = try await daemon.runNow(
            nightly, now: Date(), referenceTime: PostgresTimestamp.parse(asOf), on: connection)
        let next = nightly.upcoming(after: Date(), count: 1).first.map { $0.formatted(.iso8601) } ?? "-"
        print(
            "14. schedule nightly (\(nightly.cron), \(nightly.timeZone.identifier)) run now: \(event); next slot \(next)"
        )
    }
}
