/// One field of a cron expression: the set of values it allows.
struct CronField: Sendable, Equatable {
    let name: String
    let range: ClosedRange<Int>
    /// Allowed values (a 128-bit set is enough for every field).
    private(set) var allowed: Set<Int>
    /// True when written as `*` (or `*/1`): matters for the day-of-month / day-of-week rule.
    let isWildcard: Bool

    func contains(_ value: Int) -> Bool { allowed.contains(value) }

    /// Parses `*`, `5`, `1-5`, `*/15`, `10-40/10`, `mon-fri`, `jan,jul` … (lists of those).
    init(_ text: Substring, name: String, range: ClosedRange<Int>, names: [String] = [], sundaySeven: Bool = false)
        throws
    {
        self.name = name
        self.range = range
        var allowed = Set<Int>()
        func value(_ token: Substring) throws -> Int {
            if let number = Int(token) {
                let upper = sundaySeven ? 7 : range.upperBound
                guard number >= range.lowerBound, number <= upper else {
                    throw CronError(field: name, reason: "\(number) is outside \(range.lowerBound)-\(upper)")
                }
                return sundaySeven && number == 7 ? 0 : number
            }
            if let index = names.firstIndex(of: token.lowercased()) { return index + range.lowerBound }
            throw CronError(field: name, reason: "'\(token)' is not a number\(names.isEmpty ? "" : " or a name")")
        }
        guard !text.isEmpty else { throw CronError(field: name, reason: "empty") }
        var wildcard = false
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { throw CronError(field: name, reason: "empty list item in '\(text)'") }
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { throw CronError(field: name, reason: "more than one '/' in '\(part)'") }
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else {
                    throw CronError(field: name, reason: "step '\(pieces[1])' must be a positive number")
                }
                step = parsed
            }
            let base = pieces[0]
            var low: Int
            var high: Int
            if base == "*" {
                (low, high) = (range.lowerBound, range.upperBound)
                if step == 1 { wildcard = true }
            } else if let dash = base.firstIndex(of: "-") {
                low = try value(base[..<dash])
                high = try value(base[base.index(after: dash)...])
                if sundaySeven && high == 0 { high = 7 }
                guard low <= high else { throw CronError(field: name, reason: "range '\(base)' runs backwards") }
            } else {
                low = try value(base)
                high = pieces.count == 2 ? range.upperBound : low
            }
            for number in stride(from: low, through: high, by: step) {
                allowed.insert(sundaySeven && number == 7 ? 0 : number)
            }
        }
        self.allowed = allowed
        self.isWildcard = wildcard && text.split(separator: ",").count == 1
    }
}
