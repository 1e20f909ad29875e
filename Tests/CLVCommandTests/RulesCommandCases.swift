import Testing

@testable import clv

/// `clv rules apply|list|history|evaluate|explain` and `clv report conversion-events`.
extension ParsingCase {
    static let rulesCommands: [ParsingCase] = [
        .command(
            CLV.RulesGroup.Apply.self, ["rules", "apply", "rules/a.yaml", "rules/b.yaml", "--reverse"],
            refuses: [(["rules", "apply", "--force"], "Unknown option '--force'")]
        ) { apply in
            #expect(apply.files == ["rules/a.yaml", "rules/b.yaml"])
            #expect(apply.reverse)
        },
        .command(
            CLV.RulesGroup.List.self, ["rules", "list", "--json"],
            refuses: [(["rules", "list", "Bonus"], "Unexpected argument 'Bonus'")]
        ) { list in
            #expect(list.json)
        },
        .command(
            CLV.RulesGroup.History.self, ["rules", "history", "High-Value Trader Bonus (EU1)", "--json"],
            refuses: [(["rules", "history"], "Missing expected argument '<name>'")]
        ) { history in
            #expect(history.name == "High-Value Trader Bonus (EU1)")
            #expect(history.json)
        },
        .command(
            CLV.RulesGroup.Evaluate.self, ["rules", "evaluate", "--full", "--json"],
            refuses: [(["rules", "evaluate", "--user", "u1"], "Unknown option '--user'")]
        ) { evaluate in
            #expect(evaluate.full && evaluate.json)
        },
        .command(
            CLV.RulesGroup.Explain.self, ["rules", "explain", "Bonus", "--user", "cust_1", "--json"],
            refuses: [
                (["rules", "explain", "Bonus"], "Missing expected argument '--user <user>'"),
                (["rules", "explain", "--user", "cust_1"], "Missing expected argument '<name>'"),
            ]
        ) { explain in
            #expect(explain.name == "Bonus")
            #expect(explain.user == "cust_1")
            #expect(explain.json)
        },
        .command(
            CLV.ReportGroup.ConversionEvents.self, ["report", "conversion-events", "--user", "cust_1", "--json"],
            refuses: [(["report", "conversion-events"], "Missing expected argument '--user <user>'")]
        ) { report in
            #expect(report.user == "cust_1")
            #expect(report.json)
        },
    ]
}
