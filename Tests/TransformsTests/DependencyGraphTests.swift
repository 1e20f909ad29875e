import Testing

@testable import Core
@testable import Transforms

/// The dependency graph on its own: build order with ties by name, reachability, and the cycle it prints.
@Suite struct DependencyGraphTests {
    /// d reads b and c, which both read a; e stands alone.
    static let diamond = DependencyGraph(edges: ["d": ["c", "b"], "c": ["a"], "b": ["a"], "a": [], "e": []])

    @Test func dependenciesComeFirstAndTiesGoByName() throws {
        #expect(try Self.diamond.topologicalOrder() == ["a", "e", "b", "c", "d"])
    }

    @Test func upstreamAndDownstreamFollowEveryPath() {
        #expect(Self.diamond.upstream(of: "d") == ["a", "b", "c"])
        #expect(Self.diamond.downstream(of: "a") == ["b", "c", "d"])
        #expect(Self.diamond.downstream(of: "d").isEmpty)
        #expect(Self.diamond.upstream(of: "e").isEmpty)
    }

    @Test func aCycleBehindAcyclicNodesIsPrintedFromItsFirstNode() {
        // a is fine; b → c → b is the cycle, and d waits on it.
        let graph = DependencyGraph(edges: ["a": [], "b": ["a", "c"], "c": ["b"], "d": ["c"]])
        let error = #expect(throws: WarehouseError.self) { try graph.topologicalOrder() }
        #expect(error?.message == "dependency cycle: b → c → b")
    }

    @Test func aNodeReadingItselfIsACycle() {
        let error = #expect(throws: WarehouseError.self) {
            try DependencyGraph(edges: ["a": ["a"]]).topologicalOrder()
        }
        #expect(error?.message == "dependency cycle: a → a")
    }
}
