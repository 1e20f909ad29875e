import Testing

@testable import clv

/// `clv dashboards list|check|publish`.
extension ParsingCase {
    static let dashboardsCommands: [ParsingCase] = [
        .command(
            CLV.DashboardsGroup.List.self, ["dashboards", "list", "--project", "/p"],
            refuses: [(["dashboards", "list", "overview"], "Unexpected argument 'overview'")]
        ) { list in
            #expect(list.options.project == "/p")
        },
        .command(
            CLV.DashboardsGroup.Check.self, ["dashboards", "check", "overview", "payouts"],
            refuses: [(["dashboards", "check", "--from", "today"], "Unknown option '--from'")]
        ) { check in
            #expect(check.names == ["overview", "payouts"])
        },
        .command(
            CLV.DashboardsGroup.Publish.self,
            [
                "dashboards", "publish", "overview", "--from", "start_of_month-1mo", "--to", "2025-04-01", "--param",
                "partner=p1", "--param", "note=a=b", "--param", "from=ignored", "--out", "site", "--timeout", "5",
            ],
            refuses: [
                (["dashboards", "publish", "--param", "partner"], "--param partner: expected k=v"),
                (["dashboards", "publish", "--param", "=p1"], "--param =p1: expected k=v"),
                (
                    ["dashboards", "publish", "--from", "last week"],
                    "--from: 'last week' is not a date or a date expression"
                ),
                (["dashboards", "publish", "--from=-30x"], "--from: '-30x' is not a date expression"),
                (["dashboards", "publish", "--to", "2025-02-30"], "--to: '2025-02-30' is not a real date"),
                (["dashboards", "publish", "--timeout", "0"], "--timeout must be a positive number of seconds"),
            ]
        ) { publish in
            #expect(publish.names == ["overview"])
            // --from and --to win over a --param of the same name; a value may hold '='.
            #expect(
                (try? publish.overrides) == [
                    "partner": "p1", "note": "a=b", "from": "start_of_month-1mo", "to": "2025-04-01",
                ])
            #expect(publish.out == "site")
            #expect(publish.timeout == 5)
        },
    ]
}
