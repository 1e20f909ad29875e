import Testing

@testable import clv

/// `clv payouts statement|statements`.
extension ParsingCase {
    static let payoutsCommands: [ParsingCase] = [
        .command(
            CLV.PayoutsGroup.Statement.self,
            ["payouts", "statement", "--partner", "p1", "--period", "2025-02", "--format", "csv", "--issue"],
            refuses: [
                (["payouts", "statement", "--period", "2025-02"], "Missing expected argument '--partner <partner>'"),
                (["payouts", "statement", "--partner", "p1"], "Missing expected argument '--period <period>'"),
                (
                    ["payouts", "statement", "--partner", "p1", "--period", "2025-13"],
                    "--period: '2025-13' is not a month"
                ),
                (
                    ["payouts", "statement", "--partner", "p1", "--period", "2025-02-01"],
                    "--period: '2025-02-01' is not a month"
                ),
                (
                    ["payouts", "statement", "--partner", "p1", "--period", "2025-02", "--format", "pdf"],
                    "The value 'pdf' is invalid for '--format <format>'"
                ),
            ]
        ) { statement in
            #expect(statement.partner == "p1")
            #expect(statement.period == "2025-02")
            #expect(statement.format == .csv)
            #expect(statement.issue)
        },
        .command(
            CLV.PayoutsGroup.Statements.self, ["payouts", "statements", "--partner", "p1", "--json"],
            refuses: [(["payouts", "statements", "--period", "2025-02"], "Unknown option '--period'")]
        ) { statements in
            #expect(statements.partner == "p1")
            #expect(statements.json)
        },
    ]
}
