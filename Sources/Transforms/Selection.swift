import Core

/// `--select` arguments: `NAME` (just it), `NAME+` (it and everything downstream), `+NAME` (it and
/// everything upstream). A bare relation name matches `schema.relation` when unambiguous.
public struct Selection: Sendable {
    public var patterns: [String]

    public init(_ patterns: [String]) {
        self.patterns = patterns
    }

    /// The selected transform names, or all of them when no pattern is given.
    public func resolve(in catalog: TransformCatalog) throws -> Set<String> {
        let all = Set(catalog.ordered.map(\.name))
        guard !patterns.isEmpty else { return all }
        var selected: Set<String> = []
        for pattern in patterns {
            var name = pattern.lowercased()
            let downstream = name.hasSuffix("+")
            let upstream = name.hasPrefix("+")
            if downstream { name.removeLast() }
            if upstream { name.removeFirst() }
            let matches = all.contains(name) ? [name] : all.filter { $0.hasSuffix("." + name) }
            guard matches.count == 1, let match = matches.first else {
                throw WarehouseError(
                    matches.isEmpty
                        ? "--select \(pattern): no transform named \(name)"
                        : "--select \(pattern): ambiguous, matches \(matches.sorted().joined(separator: ", "))")
            }
            selected.insert(match)
            if downstream { selected.formUnion(catalog.graph.downstream(of: match)) }
            if upstream { selected.formUnion(catalog.graph.upstream(of: match)) }
        }
        return selected
    }
}
