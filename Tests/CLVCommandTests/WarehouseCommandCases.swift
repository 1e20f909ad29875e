import Testing

@testable import clv

/// `clv demo`, `migrate`, `plan`, `run`, `test`, `docs` and `runs`.
extension ParsingCase {
    static let warehouseCommands: [ParsingCase] = [
        .command(
            CLV.Demo.self, ["demo", "--as-of", "2025-01-31", "--project", "/p"],
            refuses: [(["demo", "--as-of", "yesterday"], "--as-of: 'yesterday' is not a date or timestamp")]
        ) { demo in
            #expect(demo.asOf == "2025-01-31")
            #expect(demo.options.project == "/p")
        },
        .command(
            CLV.Migrate.self, ["migrate", "--project", "/p", "--database-url", "postgres://h/db", "-v"],
            refuses: [
                (["migrate", "--bogus"], "Unknown option '--bogus'"), (["migrate", "up"], "Unexpected argument 'up'"),
            ]
        ) { migrate in
            #expect(migrate.options.project == "/p")
            #expect(migrate.options.databaseURL == "postgres://h/db")
            #expect(migrate.options.verbose)
        },
        .command(
            CLV.Plan.self,
            [
                "plan", "--select", "customer_value", "--select", "+analytics.clv_deciles+", "--full-refresh",
                "--as-of",
                "2025-01-31T12:00:00Z", "--json", "--sql",
            ],
            refuses: [
                (["plan", "--as-of", "31/01/2025"], "--as-of: '31/01/2025' is not a date or timestamp"),
                (["plan", "--select", "+"], "--select '+': expected NAME, NAME+ or +NAME"),
            ]
        ) { plan in
            #expect(plan.build.select == ["customer_value", "+analytics.clv_deciles+"])
            #expect(plan.build.fullRefresh)
            #expect(plan.build.asOf == "2025-01-31T12:00:00Z")
            #expect(plan.json && plan.sql)
            // Defaults: the current folder, no URL (DATABASE_URL or the embedded cluster), quiet.
            #expect(plan.options.project == ".")
            #expect(plan.options.databaseURL == nil)
            #expect(!plan.options.verbose)
        },
        .command(
            CLV.Run.self, ["run", "--select", "clv_deciles+", "--no-wait", "--json"],
            refuses: [
                (["run", "--select", "++"], "--select '++': expected NAME, NAME+ or +NAME"),
                (["run", "--as-of", "2025-1-31"], "--as-of: '2025-1-31' is not a date or timestamp"),
            ]
        ) { run in
            #expect(run.build.select == ["clv_deciles+"])
            #expect(!run.build.fullRefresh)
            #expect(run.build.asOf == nil)
            #expect(run.noWait && run.json)
        },
        .command(
            CLV.Docs.self, ["docs", "--check", "--file", "docs/api.md"],
            refuses: [
                (["docs", "--file", "/etc/contract.md"], "--file must be a path inside the project folder"),
                (["docs", "--file", "../contract.md"], "--file must be a path inside the project folder"),
            ]
        ) { docs in
            #expect(docs.check)
            #expect(docs.file == "docs/api.md")
        },
        .command(
            CLV.Test.self, ["test", "--project", "examples"],
            refuses: [(["test", "--select", "x"], "Unknown option '--select'")]
        ) { test in
            #expect(test.options.project == "examples")
        },
        .command(
            CLV.Runs.self, ["runs", "--limit", "5", "--schedule", "all", "--json"],
            refuses: [
                (["runs", "--limit=-1"], "--limit must not be negative"),
                (["runs", "--limit", "ten"], "The value 'ten' is invalid for '--limit <limit>'"),
            ]
        ) { runs in
            #expect(runs.limit == 5)
            #expect(runs.schedule == "all")
            #expect(runs.json)
        },
    ]
}
