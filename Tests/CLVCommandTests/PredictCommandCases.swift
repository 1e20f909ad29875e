import Modeling
import Testing

@testable import clv

/// `clv predict`: dates, horizons, rates and modes are checked before any fit.
extension ParsingCase {
    static let predictCommands: [ParsingCase] = [
        .command(
            CLV.Predict.self,
            [
                "predict", "--as-of", "2025-03-31", "--horizon", "1y", "--discount", "0.02", "--unit", "day",
                "--purchases",
                "any-conversion", "--penalizer", "0.1", "--json",
            ],
            refuses: [
                (
                    ["predict", "--as-of", "2025-03-31T00:00:00Z"],
                    "as-of date \"2025-03-31T00:00:00Z\": expected YYYY-MM-DD"
                ),
                (["predict", "--as-of", "2025-02-29"], "as-of date \"2025-02-29\": no such day"),
                (["predict", "--horizon", "12"], "horizon \"12\": expected months or years such as 12mo or 1y"),
                (
                    ["predict", "--horizon", "12m"],
                    "horizon \"12m\": expected months or years such as 12mo or 1y (m is minutes; months are mo)"
                ),
                (["predict", "--discount", "1"], "--discount must be in [0, 1)"),
                (["predict", "--discount=-0.1"], "--discount must be in [0, 1)"),
                (["predict", "--penalizer=-1"], "--penalizer must be ≥ 0"),
                (["predict", "--unit", "month"], "The value 'month' is invalid for '--unit <unit>'"),
                (["predict", "--purchases", "all"], "--purchases 'all' is not positive-revenue or any-conversion"),
            ]
        ) { predict in
            #expect(predict.asOf == "2025-03-31")
            #expect(predict.horizon == "1y")
            #expect(predict.discount == 0.02)
            #expect(predict.unit == .day)
            #expect((try? predict.purchaseMode) == .anyConversion)
            #expect(predict.penalizer == 0.1)
            #expect(predict.json)
        }
    ]
}
