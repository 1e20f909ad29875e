import ArgumentParser
import Core
import Foundation
import Rules

extension CLV {
    /// `clv payouts statement|statements`.
    struct PayoutsGroup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "payouts", abstract: "Partner payout statements, month by month, frozen once issued.",
            subcommands: [Statement.self, Statements.self])

        /// How a statement is printed.
        enum Format: String, ExpressibleByArgument, CaseIterable {
            case table, csv, json
        }

        struct Statement: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "statement",
                abstract:
                    "A partner's statement for a month: each conversion with its default payout, the rules applied and its final payout, adjustments of earlier months, totals. Issued statements are shown as issued.",
                discussion:
                    "Without --issue the statement is a preview of what would be issued now. With --issue it is frozen: data that arrives or changes later reaches the partner's next statement as adjustments."
            )
            @OptionGroup var options: GlobalOptions
            @Option(help: "The partner id.") var partner: String
            @Option(help: "The month, YYYY-MM (UTC).") var period: String
            @Option(help: "table, csv (the lines) or json.") var format: Format = .table
            @Flag(help: "Issue (freeze) the statement.") var issue = false

            func validate() throws {
                guard PayoutStatements.month(period) != nil else {
                    throw ValidationError("--period: '\(period)' is not a month such as 2026-11")
                }
            }

            func run() async throws {
                try await reportingErrors {
                    let statement = try await PayoutStatements().statement(
                        partner: partner, period: period, issue: issue, on: try await options.connect())
                    switch format {
                    case .json: try printJSON(statement)
                    case .csv: print(Self.csv(statement), terminator: "")
                    case .table: print(Self.table(statement), terminator: "")
                    }
                }
            }

            static let columns = [
                "line", "kind", "conversion_id", "occurred_at", "event", "default_payout", "applied_rules", "bonus",
                "final_payout", "stated_before", "amount",
            ]

            static func fields(_ line: PayoutStatements.Line) -> [String] {
                [
                    "\(line.line)", line.kind, line.conversionID, line.occurredAt ?? "", line.event ?? "",
                    line.defaultPayout ?? "", line.appliedRules, line.bonus ?? "", line.finalPayout, line.statedBefore,
                    line.amount,
                ]
            }

            static func csv(_ statement: PayoutStatements.Statement) -> String {
                CSVText.line(columns) + statement.lines.map { CSVText.line(fields($0)) }.joined()
            }

            static func table(_ statement: PayoutStatements.Statement) -> String {
                let state = statement.issuedAt.map { "issued \($0) UTC" } ?? "preview, not issued"
                return """
                    payout statement: partner \(statement.partner), \(statement.period) (\(state))
                    \(TextTable.render(columns: columns, rows: statement.lines.map(fields)))
                    conversions of the month: \(statement.defaultPayout) default + \(statement.rulesPayout) from payout rules = \(statement.conversionsTotal)
                    adjustments of earlier months: \(statement.adjustmentsTotal)
                    total: \(statement.total)

                    """
            }
        }

        struct Statements: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "statements", abstract: "Issued statements, newest first.")
            @OptionGroup var options: GlobalOptions
            @Option(help: "Only this partner's.") var partner: String?
            @Flag(help: "Print JSON.") var json = false

            func run() async throws {
                try await reportingErrors {
                    let rows = try await PayoutStatements().issued(
                        partner: partner, on: try await options.connect())
                    try printRows(rows, json: json)
                }
            }
        }
    }
}
