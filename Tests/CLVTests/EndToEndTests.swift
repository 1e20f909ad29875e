import Foundation
import PostgresClient
import TestSupport
import Testing

/// Runs the real `clv` binary against a real database. Serialized: each test starts processes.
@Suite(.serialized) struct EndToEndTests {
    /// The demo's best customer: cust_4, a sign-up (0) and a 500 deposit: 2 conversions, 1 order,
    /// CLV 500, the top decile of every window.
    static let topCustomer = "cust_4      | affiliate | 2           | 1      | 500.00 | 500 | 10          | 10"

    /// A copy of the repository's sql/ and examples/ in a fresh folder.
    func projectCopy() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory.make(prefix: "clv-e2e")
        try copyProject(into: folder.url)
        return folder
    }

    /// Copies the repository's project files (SQL, examples, configuration) into `folder`.
    func copyProject(into folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        for item in ["sql", "examples", "schedules", "dashboards", "audiences.yaml", "rules"] {
            try FileManager.default.copyItem(
                at: repository.appendingPathComponent(item), to: folder.appendingPathComponent(item))
        }
    }

    /// The `-- name:` of every bundled transform, and how many bundled data tests there are.
    func bundled(_ project: TemporaryDirectory) throws -> (transforms: [String], tests: Int) {
        let root = project.url.appendingPathComponent("sql")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
        let transforms = try files.filter { $0.path.contains("/transforms/") && $0.pathExtension == "sql" }.map { url in
            let header = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")[0]
            return String(header.dropFirst("-- name: ".count))
        }
        return (transforms.sorted(), files.filter { $0.path.contains("/tests/") && $0.pathExtension == "sql" }.count)
    }

    @Test func demoPlanRunsAndTestOnADatabaseURL() async throws {
        let database = try await TestDatabase.make()
        let project = try projectCopy()
        let (transforms, tests) = try bundled(project)
        #expect(tests >= 3)
        let common = ["--project", project.url.path, "--database-url", database.url]

        let demo = try await CLVBinary.runOnThread(["demo"] + common)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("6. test: \(tests) passed, 0 failed"))
        #expect(demo.stdout.contains(Self.topCustomer))
        // The import: k7's postback (c11) carried no revenue, so its 400 counts for cust_2 (50 → 450,
        // 5th of 6 in the 365-day window: ceil(10 × 5/6) = 9) and for the spring campaign (sends m1 at
        // cost 50 and m2 at 2 segments × 25: cost 100, ROI (400 − 100) / 100 = 3); k6's 99 does not.
        #expect(
            demo.stdout.contains(
                "(2 new, 1 already carried by a postback): cust_2's CLV 50 → 450, 365-day decile 5 → 9"))
        #expect(
            demo.stdout.contains(
                "spring      | 2     | 3             | 100            | 1      | 1      | 400     | 200.00           | 3.00 | 300"
            ))
        // cust_1's revenue days up to 2025-03-31: Jan 4 (150), Feb 10 (75, and the $5 the example rule
        // "Second deposit or first trade" books there: the nightly refit reads the same ledger),
        // Mar 1 (20); Jan 3 had none. The nightly schedule refits after the rules, so the fit is
        // checked through its summary: 2 repeat days, 56 days = 8 weeks apart, mean repeat value
        // (80 + 20) / 2 = 50.
        #expect(demo.stdout.contains("12. predicted CLV (BG/NBD + Gamma-Gamma,"))
        let connection = try await database.connect()
        let rfm = try await connection.query(
            "select frequency::text, recency::text, monetary_value::float8::text from analytics.customer_rfm where customer_id = 'cust_1'"
        )
        #expect(rfm.map(\.values) == [["2", "8", "50"]])
        // rules/predicted_value_bonus.yaml, evaluated on the nightly refit: cust_4 (referred by p1,
        // first conversion Feb 1, within 60 days of the Mar 31 fit, predicted CLV ≈ 845 > 500) is
        // paid $50 on its latest conversion, c8, with the fit recorded; cust_2 (≈ 1396, via p2) first
        // converted Jan 5, more than 60 days before.
        let predicted = try await connection.query(
            """
            select m.customer_id, m.conversion_id, m.amount::text, (m.fit_id = f.latest)::text
            from analytics.rule_matches as m, (select max(fit_id) filter (where model = 'bg_nbd') as latest from analytics.clv_model_fits) as f
            where m.rule_name = 'Predicted high value (60 days)'
            """)
        #expect(predicted.map(\.values) == [["cust_4", "c8", "50", "true"]])
        // Every shipped widget runs on the example, and the pages are written.
        #expect(demo.stdout.contains("15. dashboards: 6 published (18 of 18 widgets"))
        // Beside "generated", the page says which reference time its data was built for.
        let page = try String(
            contentsOf: project.url.appendingPathComponent(".clv/dashboards/clv-overview/index.html"), encoding: .utf8)
        #expect(page.contains("data as of 2025-03-31T00:00:00Z"))
        // cust_1 (the seed walkthrough: EU1, deposits 150 + 75, a 120 trade) earns the $200 bonus on
        // its fourth conversion, c4, whose default payout is 0; cust_6 came through partner p3: 10% of
        // its 80 replaces the default 20.
        #expect(
            demo.stdout.contains(
                "c4            | cust_1      | 0              | High-Value Trader Bonus (EU1)  | 200.00"))
        #expect(
            demo.stdout.contains("c10           | cust_6      | 20             | Partner p3 30-day 10% RevShare | 8.00")
        )
        // p1's January: c1 (its own 40), c2 (0); February: c3 (0 + the $15 just above), c7 (40), c8 (0).
        #expect(
            demo.stdout.contains(
                "p1's payout statement for 2025-01 (clv payouts statement --issue): 2 conversions, 40 default + 0 from rules, 0 adjustments: 40"
            ))
        #expect(
            demo.stdout.contains(
                "p1's payout statement for 2025-02 (clv payouts statement --issue): 3 conversions, 40 default + 15 from rules, 0 adjustments: 55"
            ))
        // cust_1's second deposit (c3) completes the any_of of "Second deposit or first trade": $15
        // paid and $5 booked on top of its 75.
        #expect(
            demo.stdout.contains(
                "c3            | cust_1      | 0              | Second deposit or first trade  | 15.00        | 80.00"))
        // Six customers with conversions; cy (cust_3) gave no email consent.
        #expect(
            demo.stdout.contains(
                "16. audience customers_with_clv → mailchimp drop (.clv/exports/mailchimp): +5 added, 1 without consent or suppressed, 0 invalid; exported again: +0 added, 5 unchanged"
            ))
        let check = try await CLVBinary.runOnThread(["dashboards", "check"] + common)
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("18 of 18 widgets ran"))
        // Named dashboards only: cohorts has 2 widgets, customers 3.
        let named = try CLVBinary.run(["dashboards", "check", "cohorts", "customers"] + common)
        #expect(named.stdout == "5 of 5 widgets ran\n", "\(named.stdout)\(named.stderr)")
        let unknown = try CLVBinary.run(["dashboards", "check", "nope"] + common)
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("dashboards/nope.yaml: (file): no such dashboard"))
        // For people: views are views (not "0 rows"), and a schedule run is a sentence, not a Swift value.
        #expect(demo.stdout.contains("analytics_internal.revenue_events (view)"))
        #expect(!demo.stdout.contains("(0 rows)") && !demo.stdout.contains("ran(schedule:"))
        #expect(demo.stdout.contains("run now: nightly slot "))

        let plan = try await CLVBinary.runOnThread(["plan", "--json", "--as-of", "2025-03-31"] + common)
        #expect(plan.status == 0, "\(plan.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
        // The whole demo, its nightly schedule included, computes at the example's reference time:
        // at that time nothing is left to build.
        let steps = (json?["steps"] as? [[String: Any]]) ?? []
        #expect(steps.isEmpty, "\(steps)")
        let planned = (json?["upToDate"] as? [String]) ?? []
        #expect(planned.sorted() == transforms)

        let runs = try await CLVBinary.runOnThread(["runs", "--json"] + common)
        let history = try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]]
        #expect(history?.first?["status"] as? String == "success")

        let testRun = try await CLVBinary.runOnThread(["test"] + common)
        #expect(testRun.status == 0)
        #expect(testRun.stdout.contains("\(tests) passed, 0 failed"))
        project.remove()
        try await database.drop()
    }

    @Test func sqlErrorIsPrintedAsFileLineColumn() async throws {
        let database = try await TestDatabase.make()
        let project = try projectCopy()
        let common = ["--project", project.url.path, "--database-url", database.url]
        #expect(try await CLVBinary.runOnThread(["migrate"] + common).status == 0)
        try project.write(
            "sql/transforms/marts/broken.sql",
            "-- name: analytics.broken\n-- materialized: view\n-- depends_on: raw.conversions\nselect revenue +\n  'x'::int from raw.conversions\n"
        )
        let run = try await CLVBinary.runOnThread(["run", "--select", "broken"] + common)
        #expect(run.status != 0)
        // Line 5 is "  'x'::int from raw.conversions": the bad literal starts at column 3.
        #expect(
            run.stderr.hasPrefix("error: sql/transforms/marts/broken.sql:5:3: invalid input syntax for type integer"))
        project.remove()
        try await database.drop()
    }

    @Test func testCommandPrintsOffendingRowsAndFails() async throws {
        let database = try await TestDatabase.make()
        let project = try projectCopy()
        let common = ["--project", project.url.path, "--database-url", database.url]
        #expect(try await CLVBinary.runOnThread(["demo"] + common).status == 0)
        try project.write(
            "sql/tests/no_big_spenders.sql",
            "select customer_id, clv from analytics.customer_value where clv > 100 order by 1")
        let test = try await CLVBinary.runOnThread(["test"] + common)
        #expect(test.status == 1)
        #expect(
            test.stdout.contains("FAIL sql/tests/no_big_spenders.sql: test no_big_spenders failed: 4 rows returned"))
        // cust_1: 245, and the $5 the example rule "Second deposit or first trade" books on its second
        // deposit; cust_2: 50 + the demo's 400 import; cust_4: 500; cust_6: 80 from the file + 120
        // from the demo's postback.
        #expect(test.stdout.contains("cust_1      | 250"))
        #expect(test.stdout.contains("cust_2      | 450"))
        #expect(test.stdout.contains("cust_6      | 200"))
        #expect(test.stdout.contains("\(try bundled(project).tests - 1) passed, 1 failed"))
        project.remove()
        try await database.drop()
    }

    @Test func embeddedClusterAndDemoAsANormalUserAndPsqlAcceptsTheURL() async throws {
        // Run clv as the unprivileged postgres user where this machine allows it (we are root),
        // otherwise as ourselves: either way the embedded cluster starts from nothing.
        let asUser: String? = geteuid() == 0 ? "postgres" : nil
        let project = try projectCopy()
        if let asUser {
            let chown = Process()
            chown.executableURL = URL(fileURLWithPath: "/bin/chown")
            chown.arguments = ["-R", "\(asUser):\(asUser)", project.url.path]
            try chown.run()
            chown.waitUntilExit()
        }
        // The build folder may sit in a checkout only root can enter (mktemp -d makes 0700 folders):
        // the other user runs a copy from a folder anyone can read.
        let bin = try TemporaryDirectory.make(prefix: "clv-bin")
        let clv = bin.url.appendingPathComponent("clv").path
        try FileManager.default.copyItem(atPath: CLVBinary.path, toPath: clv)
        func run(_ arguments: [String]) async throws -> CLVBinary.Output {
            try await CLVBinary.runOnThread(arguments, as: asUser, executable: clv)
        }
        // A private folder of that user's, as `mktemp -d` makes them.
        #expect(chmod(project.url.path, 0o700) == 0)
        let common = ["--project", project.url.path]
        let demo = try await run(["demo"] + common)
        #expect(demo.status == 0, "\(demo.stdout)\(demo.stderr)")
        #expect(demo.stdout.contains(Self.topCustomer))
        let start = try await run(["db", "start"] + common)
        #expect(start.status == 0, "\(start.stdout)\(start.stderr)")
        let url = try await run(["db", "url"] + common).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("postgresql://clv@/clv?host=\(project.url.path)/.clv/postgres"))

        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        psql.arguments = [url, "-Atc", "select current_user || ' ' || current_database()"]
        let pipe = Pipe()
        psql.standardOutput = pipe
        try psql.run()
        let answer = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        psql.waitUntilExit()
        #expect(answer == "clv clv\n")

        let status = try await run(["db", "status"] + common)
        #expect(status.status == 0)
        #expect(try await run(["db", "stop"] + common).status == 0)
        #expect(try await run(["db", "status"] + common).status == 3)
        #expect(try await run(["db", "reset"] + common).status == 0)
        project.remove()
        bin.remove()
    }

    /// The README's first command as a newcomer runs it: the demo on the embedded default, from a
    /// private (0700) folder whose path has a space, with no DATABASE_URL. As root the server's
    /// user cannot enter that folder, so the cluster lives in a system folder `db status` names.
    @Test func demoOnTheEmbeddedClusterFromAPrivateFolder() async throws {
        let parent = try TemporaryDirectory.make(prefix: "clv-private")
        #expect(chmod(parent.url.path, 0o700) == 0)
        let project = parent.url.appendingPathComponent("my clv")
        try copyProject(into: project)
        let common = ["--project", project.path]
        let demo = try await CLVBinary.runOnThread(["demo"] + common)
        #expect(demo.status == 0, "\(demo.stdout)\(demo.stderr)")
        #expect(demo.stdout.contains(Self.topCustomer))
        let status = try CLVBinary.run(["db", "status"] + common)
        #expect(status.status == 0, "\(status.stdout)\(status.stderr)")
        if geteuid() == 0 {
            #expect(status.stdout.contains("data:   /var/lib/clv/clusters/my_clv-"))
            #expect(status.stdout.contains("the postgres user cannot reach \(project.path)/.clv"))
        } else {
            #expect(status.stdout.contains("data:   \(project.path)/.clv/postgres/data"))
        }
        let url = try CLVBinary.run(["db", "url"] + common).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let connection = try await PostgresConnection.connect(url)
        #expect(try await connection.query("select count(*) as n from raw.customers")[0]["n"] == "6")
        #expect(try CLVBinary.run(["db", "stop"] + common).status == 0)
        #expect(try CLVBinary.run(["db", "status"] + common).status == 3)
        #expect(try CLVBinary.run(["db", "reset"] + common).status == 0)
        #expect(try CLVBinary.run(["db", "status"] + common).stdout.hasPrefix("not created"))
        parent.remove()
    }
}
