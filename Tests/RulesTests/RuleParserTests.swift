import Core
import Testing
import Yams

@testable import Rules

/// One rule's YAML parsed and checked without a database: every field read into the rule, groups,
/// conditions over events, windows, and each problem named by file and field.
@Suite struct RuleParserTests {
    static let points = [
        "Deposit": DataPoint(name: "Deposit", type: .number, parameter: "deposit"),
        "GEO": DataPoint(name: "GEO", type: .text, parameter: "geo"),
    ]

    /// The rule (nil when it could not be read at all) and every problem as `FILE: field: reason`.
    static func parse(_ yaml: String) throws -> (rule: PayoutRule?, problems: [String]) {
        let node = try #require(try Yams.compose(yaml: yaml))
        var parser = RuleParser(file: "rules/bonus.yaml", field: "rules[2]", node: node, points: points)
        let rule = parser.parse()
        return (rule, parser.problems.map(\.description))
    }

    /// The problems of a rule whose behavior is `behavior` (YAML, indented under `behavior:`).
    static func behaviorProblems(_ behavior: String) throws -> [String] {
        try parse("name: R\nbehavior:\n" + behavior).problems
    }

    @Test func everyFieldIsReadIntoTheRule() throws {
        let (rule, problems) = try Self.parse(
            """
            name: Monthly depositors
            status: inactive
            scope:
              grouping: {separately_by: partner}
              apply_to: {offers: [o1, o2], partners: p1}
            timeframe: {start: 2025-01-01, end: 2025-12-31, goal_cycle: monthly, window: rule_duration}
            behavior:
              conditions:
                - {data_point: Deposit, logic: sum_of_values, operator: greater_than, value: 100}
                - {data_point: GEO, logic: any_value, operator: in_list, value: [EU1, EU2]}
                - {data_point: revenue, logic: any_value, operator: between, value: [10, 20.5]}
              frequency: once_per_cycle
              apply_on: base_only
              outcome:
                payout: {type: fixed, amount: 25}
                revenue: {type: revshare, percent: 12.5}
            """)
        #expect(problems == [])
        var deposit = Condition(
            subject: "Deposit", parameter: "deposit", valueType: .number, logic: .sumOfValues, op: "greater_than")
        deposit.numberValue = "100"
        var geo = Condition(subject: "GEO", parameter: "geo", valueType: .text, logic: .anyValue, op: "in_list")
        geo.textValues = ["EU1", "EU2"]
        var revenue = Condition(subject: "revenue", parameter: nil, valueType: .number, logic: .anyValue, op: "between")
        revenue.numberValue = "10"
        revenue.numberHigh = "20.5"
        var expected = PayoutRule(
            name: "Monthly depositors", file: "rules/bonus.yaml", active: false, grouping: .partner,
            offers: ["o1", "o2"], partners: ["p1"], advertisers: nil, start: "2025-01-01", end: "2025-12-31",
            cycle: .monthly, windowDays: nil, conditions: [deposit, geo, revenue], frequency: .oncePerCycle,
            applyOn: .baseOnly, outcome: .fixed(amount: "25"))
        expected.revenueOutcome = .revshare(percent: "12.5")
        #expect(rule == expected)
    }

    @Test func omittedFieldsTakeTheirDefaults() throws {
        let (rule, problems) = try Self.parse(
            "name: R\nbehavior: {conditions: [], outcome: {payout: {type: fixed, amount: 0}}}")
        #expect(problems == [])
        #expect(rule?.active == true)
        #expect(rule?.grouping == .allTogether)
        #expect(rule?.offers == nil)
        #expect(rule?.start == nil)
        #expect(rule?.cycle == .continuous)
        #expect(rule?.windowDays == nil)
        #expect(rule?.frequency == .oncePerCustomer)
        #expect(rule?.applyOn == .allConversions)
        #expect(rule?.revenueOutcome == nil)
    }

    @Test func windowsCountFromTheCustomersOrTheScopesFirstConversion() throws {
        let customer = try Self.parse(
            """
            name: R
            timeframe: {window: {from_first_conversion: 30d}}
            behavior: {outcome: {payout: {type: fixed, amount: 1}}}
            """)
        #expect(customer.problems == [])
        #expect(customer.rule?.windowDays == 30)
        #expect(customer.rule?.windowFrom == .customer)
        let scope = try Self.parse(
            """
            name: R
            timeframe: {window: {from_first_conversion: 365d, first_conversion_in: scope}}
            behavior: {outcome: {payout: {type: fixed, amount: 1}}}
            """)
        #expect(scope.problems == [])
        #expect(scope.rule?.windowDays == 365)
        #expect(scope.rule?.windowFrom == .scope)
    }

    @Test func groupsNestOneLevelAndEachConditionKnowsItsGroup() throws {
        let (rule, problems) = try Self.parse(
            """
            name: R
            behavior:
              conditions:
                - any_of:
                    - {data_point: Deposit, logic: any_value, operator: greater_or_equal, value: 50}
                    - all_of:
                        - {data_point: GEO, logic: any_value, operator: exact_match, value: EU1}
                        - {data_point: conversions, logic: count_of_values, operator: equal, value: 2}
                - {data_point: event, logic: any_value, operator: not_equal, value: refund}
              outcome: {payout: {type: fixed, amount: 5}}
            """)
        #expect(problems == [])
        #expect(
            rule?.groups == [
                ConditionGroup(id: 1, parent: 0, combine: .any), ConditionGroup(id: 2, parent: 1, combine: .all),
            ])
        #expect(rule?.conditions.map(\.subject) == ["Deposit", "GEO", "conversions", "event"])
        #expect(rule?.conditions.map(\.group) == [1, 2, 2, 0])
        #expect(rule?.conditions.last?.valueType == .text)
        #expect(rule?.conditions.last?.textValue == "refund")
    }

    @Test func aGroupTooDeepOrEmptyIsNamed() throws {
        #expect(
            try Self.behaviorProblems(
                """
                  conditions:
                    - any_of:
                        - all_of:
                            - any_of: [{data_point: Deposit, logic: any_value, operator: equal, value: 1}]
                    - all_of: []
                  outcome: {payout: {type: fixed, amount: 5}}
                """) == [
                    "rules/bonus.yaml: rules[2].behavior.conditions[0].any_of[0].all_of[0].any_of: groups nest one level: an any_of / all_of inside a group holds conditions only",
                    "rules/bonus.yaml: rules[2].behavior.conditions[1].all_of: expected a non-empty list of conditions",
                ])
    }

    @Test func conditionsOverSomeEventsCountTextAsNumbers() throws {
        let (rule, problems) = try Self.parse(
            """
            name: R
            behavior:
              conditions:
                - {data_point: GEO, logic: count_of_values, operator: greater_or_equal, value: 3, events: [deposit, trade]}
              apply_on: {events: [trade]}
              outcome: {payout: {type: fixed, amount: 5}}
            """)
        #expect(problems == [])
        #expect(rule?.conditions.first?.events == ["deposit", "trade"])
        #expect(rule?.conditions.first?.valueType == .number)
        #expect(rule?.conditions.first?.numberValue == "3")
        #expect(rule?.applyOn == .events(["trade"]))
    }

    @Test func topLevelProblemsNameFileAndField() throws {
        #expect(try Self.parse("status: active").problems == ["rules/bonus.yaml: rules[2].name: missing"])
        #expect(try Self.parse("status: active").rule == nil)
        #expect(
            try Self.parse(
                """
                name: R
                priority: 1
                scope: {grouping: everyone, apply_to: {countries: [DE]}}
                timeframe: {start: 2025-02-01, end: 2025-01-01, window: forever}
                behavior: {outcome: {payout: {type: fixed, amount: 1}}}
                """
            ).problems == [
                "rules/bonus.yaml: rules[2].priority: unknown field (expected name, status, scope, timeframe, behavior)",
                "rules/bonus.yaml: rules[2].scope.grouping: 'everyone' is not all_together or {separately_by: offer|partner|advertiser}",
                "rules/bonus.yaml: rules[2].scope.apply_to.countries: unknown field (expected offers, partners, advertisers)",
                "rules/bonus.yaml: rules[2].timeframe.end: 2025-01-01 is before the start 2025-02-01",
                "rules/bonus.yaml: rules[2].timeframe.window: expected rule_duration or {from_first_conversion: 365d}",
            ])
        #expect(
            try Self.parse(
                """
                name: R
                timeframe: {window: {from_first_conversion: 0d, first_conversion_in: partner}}
                behavior: {outcome: {payout: {type: fixed, amount: 1}}}
                """
            ).problems == [
                "rules/bonus.yaml: rules[2].timeframe.window.first_conversion_in: 'partner' is not customer (any offer or partner) or scope (the rule's scope group)",
                "rules/bonus.yaml: rules[2].timeframe.window.from_first_conversion: '0d' is not a duration in whole days or weeks such as 365d or 4w",
            ])
    }

    @Test func conditionProblemsNameTheConditionAndItsField() throws {
        #expect(
            try Self.behaviorProblems(
                """
                  conditions:
                    - {logic: any_value, operator: equal, value: 1}
                    - {data_point: Deposit, logic: average, operator: equal, value: 1}
                    - {data_point: Deposit, logic: any_value, value: 1}
                    - {data_point: Deposit, logic: any_value, operator: above, value: 1}
                    - {data_point: Deposit, logic: any_value, operator: equal, value: lots}
                    - {data_point: GEO, logic: any_value, operator: exact_match}
                    - {data_point: GEO, logic: any_value, operator: in_list, value: EU1}
                    - {data_point: GEO, logic: any_value, operator: exact_match, value: EU1, events: []}
                    - {data_point: GEO, logic: any_value, operator: exact_match, value: EU1, weight: 2}
                  outcome: {payout: {type: fixed, amount: 5}}
                """) == [
                    "rules/bonus.yaml: rules[2].behavior.conditions[0].data_point: missing",
                    "rules/bonus.yaml: rules[2].behavior.conditions[1].logic: expected any_value, sum_of_values or count_of_values",
                    "rules/bonus.yaml: rules[2].behavior.conditions[2].operator: missing",
                    "rules/bonus.yaml: rules[2].behavior.conditions[3].operator: unknown operator 'above' (for number: greater_than, greater_or_equal, less_than, less_or_equal, equal, between)",
                    "rules/bonus.yaml: rules[2].behavior.conditions[4].value: expected a number",
                    "rules/bonus.yaml: rules[2].behavior.conditions[5].value: missing",
                    "rules/bonus.yaml: rules[2].behavior.conditions[6].value: in_list needs a list of values",
                    "rules/bonus.yaml: rules[2].behavior.conditions[7].events: expected a list of event names",
                    "rules/bonus.yaml: rules[2].behavior.conditions[8].weight: unknown field (expected data_point, logic, operator, value, events)",
                ])
        #expect(
            try Self.behaviorProblems(
                "  conditions: {data_point: Deposit}\n  outcome: {payout: {type: fixed, amount: 5}}")
                == [
                    "rules/bonus.yaml: rules[2].behavior.conditions: expected a list of conditions and any_of / all_of groups"
                ])
    }

    @Test func behaviorAndOutcomeProblemsNameTheirField() throws {
        #expect(
            try Self.behaviorProblems("  apply_on: refunds\n  outcome: {payout: {type: fixed, amount: 5}}") == [
                "rules/bonus.yaml: rules[2].behavior.apply_on: 'refunds' is not all_conversions, base_only or {events: [...]}"
            ])
        #expect(
            try Self.behaviorProblems("  apply_on: {events: []}\n  outcome: {payout: {type: fixed, amount: 5}}") == [
                "rules/bonus.yaml: rules[2].behavior.apply_on.events: expected a list of event names"
            ])
        #expect(
            try Self.behaviorProblems("  frequency: once_per_customer") == [
                "rules/bonus.yaml: rules[2].behavior.outcome: expected payout and/or revenue: {type: fixed, amount: N} or {type: revshare, percent: P}"
            ])
        #expect(
            try Self.behaviorProblems(
                "  outcome:\n    payout: {type: fixed, amount: -1}\n    revenue: {type: revshare, percent: 150}\n    bonus: 1"
            ) == [
                "rules/bonus.yaml: rules[2].behavior.outcome.bonus: unknown field (expected payout, revenue)",
                "rules/bonus.yaml: rules[2].behavior.outcome.payout.amount: expected an amount ≥ 0",
                "rules/bonus.yaml: rules[2].behavior.outcome.revenue.percent: expected a percent between 0 and 100",
            ])
        #expect(
            try Self.behaviorProblems("  outcome: {payout: {type: fixed, amount: 5, percent: 10}}") == [
                "rules/bonus.yaml: rules[2].behavior.outcome.payout.percent: unknown field (expected type, amount)"
            ])
    }

    @Test func aRuleOnModelOutputsIsHeldToWhatItsEvaluationCanDo() throws {
        let (rule, problems) = try Self.parse(
            """
            name: Likely high value
            scope: {grouping: {separately_by: offer}}
            behavior:
              conditions:
                - {data_point: predicted_clv, logic: any_value, operator: greater_than, value: 500}
                - {data_point: conversions, logic: count_of_values, operator: greater_than, value: 1}
                - {data_point: p_alive, logic: sum_of_values, operator: greater_than, value: 0.5}
              frequency: every_conversion
              outcome: {payout: {type: fixed, amount: 10}}
            """)
        #expect(rule?.onModelOutputs == true)
        let why = "a rule on model outputs is evaluated per customer when clv predict publishes a fit"
        #expect(
            problems == [
                "rules/bonus.yaml: rules[2].behavior.conditions[1].data_point: \(why): 'conversions' is not a model output (put conditions on conversions in another rule)",
                "rules/bonus.yaml: rules[2].behavior.conditions[2].logic: \(why): p_alive takes logic any_value and no events",
                "rules/bonus.yaml: rules[2].behavior.frequency: \(why): it pays once_per_customer",
                "rules/bonus.yaml: rules[2].scope.grouping: \(why): it is all_together",
            ])
    }
}
