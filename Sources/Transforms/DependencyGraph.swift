import Core

/// Which transform reads which; gives a deterministic build order and finds cycles.
public struct DependencyGraph: Sendable {
    /// node → the nodes it depends on.
    public let edges: [String: [String]]

    public init(edges: [String: [String]]) {
        self.edges = edges
    }

    /// Dependencies before dependents; ties in name order. A cycle is an error that prints it.
    public func topologicalOrder() throws -> [String] {
        var remaining = edges.mapValues { Set($0) }
        var order: [String] = []
        while !remaining.isEmpty {
            let ready = remaining.filter { $0.value.isEmpty }.keys.sorted()
            guard !ready.isEmpty else {
                throw WarehouseError(
                    "dependency cycle: " + findCycle(among: Set(remaining.keys)).joined(separator: " → "))
            }
            for node in ready {
                order.append(node)
                remaining[node] = nil
            }
            for key in remaining.keys { remaining[key]!.subtract(ready) }
        }
        return order
    }

    /// Everything downstream of `node` (not including it).
    public func downstream(of node: String) -> Set<String> {
        var result: Set<String> = []
        var frontier = [node]
        while let current = frontier.popLast() {
            for (candidate, dependencies) in edges where dependencies.contains(current) && !result.contains(candidate) {
                result.insert(candidate)
                frontier.append(candidate)
            }
        }
        return result
    }

    /// Everything upstream of `node` (not including it).
    public func upstream(of node: String) -> Set<String> {
        var result: Set<String> = []
        var frontier = [node]
        while let current = frontier.popLast() {
            for dependency in edges[current] ?? [] where !result.contains(dependency) {
                result.insert(dependency)
                frontier.append(dependency)
            }
        }
        return result
    }

    /// A cycle through the given nodes, first node repeated at the end: `a → b → a`.
    private func findCycle(among nodes: Set<String>) -> [String] {
        let start = nodes.sorted()[0]
        var path = [start]
        var seen: [String: Int] = [start: 0]
        var current = start
        while true {
            let next = (edges[current] ?? []).filter { nodes.contains($0) }.sorted()[0]
            if let index = seen[next] { return Array(path[index...]) + [next] }
            seen[next] = path.count
            path.append(next)
            current = next
        }
    }
}
