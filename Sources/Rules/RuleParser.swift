import Core
import Foundation
import PostgresClient
import Yams

/// Parses and checks one rule of a rules file.
struct RuleParser {
    let file: String
    let field: String
    let node: Node
    let points: [String: DataPoint]
    var problems: [ConfigError] = []

    mutating func problem(_ path: String, _ reason: String) {
        problems.append(.init(file: file, field: "\(field).\(path)", reason: reason))
    }

    mutating func parse() -> PayoutRule? {
        unknownKeys(node, ["name", "status", "scope", "timeframe", "behavior"], at: nil)
        guard let name = node["name"]?.string, !name.isEmpty else {
            problem("name", "missing")
            return nil
        }
        var active = true
        switch node["status"]?.string ?? "active" {
        case "active": active = true
        case "inactive": active = false
        case let other: problem("status", "'\(other)' is not active or inactive")
        }
        // scope
        let scope = node["scope"]
        unknownKeys(scope, ["grouping", "apply_to"], at: "scope")
        var grouping = PayoutRule.Grouping.allTogether
        if let by = scope?["grouping"]?["separately_by"]?.string {
            if let value = PayoutRule.Grouping(rawValue: by), value != .allTogether {
                grouping = value
            } else {
                problem("scope.grouping.separately_by", "'\(by)' is not offer, partner or advertiser")
            }
        } else if let text = scope?["grouping"]?.string, text != "all_together" {
            problem("scope.grouping", "'\(text)' is not all_together or {separately_by: offer|partner|advertiser}")
        }
        let applyTo = scope?["apply_to"]
        unknownKeys(applyTo, ["offers", "partners", "advertisers"], at: "scope.apply_to")
        // timeframe
        let timeframe = node["timeframe"]
        unknownKeys(timeframe, ["start", "end", "goal_cycle", "window"], at: "timeframe")
        let start = date(timeframe?["start"], "timeframe.start")
        let end = date(timeframe?["end"], "timeframe.end")
        if let start, let end, end < start { problem("timeframe.end", "\(end) is before the start \(start)") }
        let cycleText = timeframe?["goal_cycle"]?.string ?? "continuous"
        let cycle = PayoutRule.Cycle(rawValue: cycleText) ?? .continuous
        if PayoutRule.Cycle(rawValue: cycleText) == nil {
            problem("timeframe.goal_cycle", "'\(cycleText)' is not continuous, daily, weekly or monthly")
        }
        var windowDays: Int?
        var windowFrom = PayoutRule.WindowStart.customer
        if let window = timeframe?["window"] {
            if window.mapping != nil {
                unknownKeys(window, ["from_first_conversion", "first_conversion_in"], at: "timeframe.window")
            }
            if let text = window["first_conversion_in"]?.string {
                if let value = PayoutRule.WindowStart(rawValue: text) {
                    windowFrom = value
                } else {
                    problem(
                        "timeframe.window.first_conversion_in",
                        "'\(text)' is not customer (any offer or partner) or scope (the rule's scope group)")
                }
            }
            if let text = window["from_first_conversion"]?.string {
                if let days = DurationText.parse(text)?.days, days > 0 {
                    windowDays = days
                } else {
                    problem(
                        "timeframe.window.from_first_conversion",
                        "'\(text)' is not a duration in whole days or weeks such as 365d or 4w")
                }
            } else if window.string != "rule_duration" {
                problem("timeframe.window", "expected rule_duration or {from_first_conversion: 365d}")
            }
        }
        // behavior
        let behavior = node["behavior"]
        unknownKeys(behavior, ["conditions", "frequency", "apply_on", "outcome"], at: "behavior")
        var conditions: [Condition] = []
        var groups: [ConditionGroup] = []
        if let list = behavior?["conditions"], list.sequence == nil {
            problem("behavior.conditions", "expected a list of conditions and any_of / all_of groups")
        }
        members(
            Array(behavior?["conditions"]?.sequence ?? []), group: 0, at: "behavior.conditions",
            conditions: &conditions,
            groups: &groups)
        let frequencyText = behavior?["frequency"]?.string ?? "once_per_customer"
        let frequency = PayoutRule.Frequency(rawValue: frequencyText) ?? .oncePerCustomer
        if PayoutRule.Frequency(rawValue: frequencyText) == nil {
            problem(
                "behavior.frequency", "'\(frequencyText)' is not once_per_customer, once_per_cycle or every_conversion")
        }
        var applyOn = PayoutRule.ApplyOn.allConversions
        if let events = behavior?["apply_on"]?["events"] {
            let list = strings(events)
            if list.isEmpty { problem("behavior.apply_on.events", "expected a list of event names") }
            applyOn = .events(list)
        } else if let text = behavior?["apply_on"]?.string {
            switch text {
            case "all_conversions": applyOn = .allConversions
            case "base_only": applyOn = .baseOnly
            default: problem("behavior.apply_on", "'\(text)' is not all_conversions, base_only or {events: [...]}")
            }
        }
        let outcomeNode = behavior?["outcome"]
        unknownKeys(outcomeNode, ["payout", "revenue"], at: "behavior.outcome")
        let outcome = outcomeNode?["payout"].map { self.outcome($0, at: "behavior.outcome.payout") } ?? nil
        let revenueOutcome = outcomeNode?["revenue"].map { self.outcome($0, at: "behavior.outcome.revenue") } ?? nil
        if outcomeNode?["payout"] == nil && outcomeNode?["revenue"] == nil {
            problem(
                "behavior.outcome",
                "expected payout and/or revenue: {type: fixed, amount: N} or {type: revshare, percent: P}")
        }
        let rule = PayoutRule(
            name: name, file: file, active: active, grouping: grouping,
            offers: applyTo?["offers"].map(strings), partners: applyTo?["partners"].map(strings),
            advertisers: applyTo?["advertisers"].map(strings), start: start, end: end, cycle: cycle,
            windowDays: windowDays, windowFrom: windowFrom, conditions: conditions, groups: groups,
            frequency: frequency, applyOn: applyOn, outcome: outcome, revenueOutcome: revenueOutcome)
        if rule.onModelOutputs { checkModelRule(rule) }
        return rule
    }

    /// A rule on model outputs is evaluated per customer when a fit is published: its conditions
    /// are all on model outputs (a value, not an accumulation), in the top level, and it pays
    /// once per customer, on their latest conversion in scope.
    private mutating func checkModelRule(_ rule: PayoutRule) {
        let why = "a rule on model outputs is evaluated per customer when clv predict publishes a fit"
        for (index, condition) in rule.conditions.enumerated() {
            let at = "behavior.conditions[\(index)]"
            if !Condition.modelMetrics.contains(condition.subject) || condition.parameter != nil {
                problem(
                    "\(at).data_point",
                    "\(why): '\(condition.subject)' is not a model output (put conditions on conversions in another rule)"
                )
            } else if condition.logic != .anyValue || condition.events != nil {
                problem("\(at).logic", "\(why): \(condition.subject) takes logic any_value and no events")
            }
        }
        if !rule.groups.isEmpty { problem("behavior.conditions", "\(why): any_of / all_of groups are not supported") }
        if rule.frequency != .oncePerCustomer { problem("behavior.frequency", "\(why): it pays once_per_customer") }
        if rule.grouping != .allTogether { problem("scope.grouping", "\(why): it is all_together") }
        if rule.cycle != .continuous { problem("timeframe.goal_cycle", "\(why): it is continuous") }
        if rule.applyOn != .allConversions {
            problem("behavior.apply_on", "\(why): the outcome lands on the customer's latest conversion")
        }
    }

    /// A payout or revenue outcome: a fixed amount, or a share of the conversion's revenue.
    private mutating func outcome(_ node: Node, at path: String) -> PayoutRule.Outcome? {
        switch node["type"]?.string {
        case "fixed":
            unknownKeys(node, ["type", "amount"], at: path)
            if let amount = node["amount"]?.string, let value = Decimal(string: amount), value >= 0 {
                return .fixed(amount: amount)
            }
            problem("\(path).amount", "expected an amount ≥ 0")
        case "revshare":
            unknownKeys(node, ["type", "percent"], at: path)
            if let percent = node["percent"]?.string, let value = Decimal(string: percent), value >= 0, value <= 100 {
                return .revshare(percent: percent)
            }
            problem("\(path).percent", "expected a percent between 0 and 100")
        default:
            problem("\(path).type", "expected fixed (with amount) or revshare (with percent)")
        }
        return nil
    }

    /// Parses a list of conditions and `any_of` / `all_of` groups into `group`. A group holds
    /// conditions and, in the top level only, groups of its own (one level of nesting).
    private mutating func members(
        _ nodes: [Node], group: Int, at path: String, conditions: inout [Condition], groups: inout [ConditionGroup]
    ) {
        for (index, node) in nodes.enumerated() {
            let at = "\(path)[\(index)]"
            let keys = node.mapping?.keys.compactMap(\.string) ?? []
            guard let combine = keys.first(where: { $0 == "any_of" || $0 == "all_of" }) else {
                if var parsed = condition(node, at: at) {
                    parsed.group = group
                    conditions.append(parsed)
                }
                continue
            }
            let groupPath = "\(at).\(combine)"
            unknownKeys(node, [combine], at: at)
            let parentDepth = group == 0 ? 0 : (groups.first { $0.id == group }?.parent == 0 ? 1 : 2)
            guard parentDepth < 2 else {
                problem(groupPath, "groups nest one level: an any_of / all_of inside a group holds conditions only")
                continue
            }
            guard let children = node[combine]?.sequence, !children.isEmpty else {
                problem(groupPath, "expected a non-empty list of conditions")
                continue
            }
            let id = groups.count + 1
            groups.append(ConditionGroup(id: id, parent: group, combine: combine == "any_of" ? .any : .all))
            members(Array(children), group: id, at: groupPath, conditions: &conditions, groups: &groups)
        }
    }

    private mutating func condition(_ node: Node, at path: String) -> Condition? {
        unknownKeys(node, ["data_point", "logic", "operator", "value", "events"], at: path)
        guard let subject = node["data_point"]?.string else {
            problem("\(path).data_point", "missing")
            return nil
        }
        let kind: DataPoint.Kind
        let parameter: String?
        if let point = points[subject] {
            kind = point.type
            parameter = point.parameter
        } else if Condition.builtInMetrics.contains(subject) {
            kind = .number
            parameter = nil
        } else if Condition.modelMetrics.contains(subject) {
            kind = .number
            parameter = nil
        } else if Condition.builtInTextMetrics.contains(subject) {
            kind = .text
            parameter = nil
        } else {
            problem(
                "\(path).data_point",
                "unknown data point '\(subject)' (declare it under data_points, or use conversions, revenue, payout, event, or a model output: predicted_clv, p_alive, predicted_decile, clv_decile)"
            )
            return nil
        }
        var events: [String]?
        if let node = node["events"] {
            let list = strings(node)
            if list.isEmpty || list.contains(where: \.isEmpty) {
                problem("\(path).events", "expected a list of event names")
                return nil
            }
            events = list
        }
        guard let logicText = node["logic"]?.string, let logic = Condition.Logic(rawValue: logicText) else {
            problem("\(path).logic", "expected any_value, sum_of_values or count_of_values")
            return nil
        }
        guard let op = node["operator"]?.string else {
            problem("\(path).operator", "missing")
            return nil
        }
        // A count is a number whatever the data point's type; a sum needs numbers.
        let compared: DataPoint.Kind = logic == .countOfValues ? .number : kind
        if logic == .sumOfValues && kind == .text {
            problem("\(path).logic", "sum_of_values needs a number data point; \(subject) is text")
            return nil
        }
        let allowed = compared == .text ? Condition.textOperators : Condition.numberOperators
        guard allowed.contains(op) else {
            let other = compared == .text ? "number" : "text"
            problem(
                "\(path).operator",
                Condition.textOperators.contains(op) || Condition.numberOperators.contains(op)
                    ? "\(op) is a \(other) operator; \(subject) is compared as \(compared.rawValue)"
                    : "unknown operator '\(op)' (for \(compared.rawValue): \(allowed.joined(separator: ", ")))")
            return nil
        }
        var condition = Condition(
            subject: subject, parameter: parameter, valueType: compared, logic: logic, op: op, events: events)
        let value = node["value"]
        switch (compared, op) {
        case (.text, "in_list"):
            guard let list = value?.sequence?.compactMap(\.string), !list.isEmpty else {
                problem("\(path).value", "in_list needs a list of values")
                return nil
            }
            condition.textValues = list
        case (.text, _):
            guard let text = value?.string else {
                problem("\(path).value", "missing")
                return nil
            }
            condition.textValue = text
        case (.number, "between"):
            guard let pair = value?.sequence?.compactMap(\.string), pair.count == 2,
                let low = Decimal(string: pair[0]), let high = Decimal(string: pair[1]), low <= high
            else {
                problem("\(path).value", "between needs [low, high] numbers")
                return nil
            }
            condition.numberValue = pair[0]
            condition.numberHigh = pair[1]
        case (.number, _):
            guard let text = value?.string, Decimal(string: text) != nil, Double(text) != nil else {
                problem("\(path).value", "expected a number")
                return nil
            }
            condition.numberValue = text
        }
        return condition
    }

    private mutating func date(_ node: Node?, _ path: String) -> String? {
        guard let node, let text = node.string, text != "null", !text.isEmpty else { return nil }
        guard CivilDate.parse(text) != nil else {
            problem(path, "'\(text)' is not a date (YYYY-MM-DD)")
            return nil
        }
        return text
    }

    private func strings(_ node: Node) -> [String] {
        node.sequence?.compactMap(\.string) ?? node.string.map { [$0] } ?? []
    }

    private mutating func unknownKeys(_ node: Node?, _ known: [String], at path: String?) {
        for key in node?.mapping?.keys.compactMap(\.string) ?? [] where !known.contains(key) {
            problem(path.map { "\($0).\(key)" } ?? key, "unknown field (expected \(known.joined(separator: ", ")))")
        }
    }
}
