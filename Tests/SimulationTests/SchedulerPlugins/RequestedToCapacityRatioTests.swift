import KubeModel
import Testing

@testable import Simulation

// NodeResourcesFit with the RequestedToCapacityRatio strategy, against
// pkg/scheduler/framework/plugins/noderesources/requested_to_capacity_ratio_test.go
// (TestRequestedToCapacityRatioScoringStrategy, TestResourceBinPackingSingleExtended,
// TestResourceBinPackingMultipleExtended, TestBrokenLinearFunction). Shape scores are 0..10
// in the configuration and scaled by 10 to node scores.

private func n(_ name: String, _ capacity: [String: String]) -> NodeSpec { Fixture.node(name, capacity: capacity) }
private func on(_ node: String, _ requests: [String: String]...) -> PodManifest { Fixture.pod(node: node, requests: requests) }
private func req(_ requests: [String: String]...) -> PodManifest { Fixture.pod("incoming", requests: requests) }

struct RatioCase: Sendable, CustomTestStringConvertible {
    var base: ResourceScoreCase
    /// `[{"utilization": 0, "score": 10}, …]`
    var shape: String
    var testDescription: String { base.name }
}

/// TestRequestedToCapacityRatioScoringStrategy's shape: least requested first.
private let leastShape = #"[{"utilization": 0, "score": 10}, {"utilization": 100, "score": 0}]"#
/// The bin-packing tests' shape: most requested first.
private let packShape = #"[{"utilization": 0, "score": 0}, {"utilization": 100, "score": 1}]"#

// The bin-packing tests build nodes with makeNode(name, 4000 milli-cpu, 10000 MiB, extended).
private func packNode(_ name: String, _ extended: [String: String]) -> NodeSpec {
    n(name, ["cpu": "4000m", "memory": "10000Mi"].merging(extended) { a, _ in a })
}
private let singleNodes = [packNode("node1", ["intel.com/foo": "8"]), packNode("node2", ["intel.com/foo": "4"])]
private let multiNodes = [
    packNode("node1", ["intel.com/foo": "8", "intel.com/bar": "4"]),
    packNode("node2", ["intel.com/foo": "4", "intel.com/bar": "8"]),
]
private let foo = weights(("intel.com/foo", 1))
private let fooBar = weights(("intel.com/foo", 3), ("intel.com/bar", 5))

private let cases: [RatioCase] = [
    // requested_to_capacity_ratio_test.go TestRequestedToCapacityRatioScoringStrategy,
    // "nothing scheduled, nothing requested (default - least requested nodes have priority)"
    RatioCase(
        base: ResourceScoreCase(
            name: "nothing scheduled, nothing requested (default - least requested nodes have priority)",
            nodes: [n("node1", ["cpu": "4000", "memory": "10000"]), n("node2", ["cpu": "4000", "memory": "10000"])],
            existing: [Fixture.pod(node: "node1"), Fixture.pod(node: "node1")],
            pod: req(), want: ["node1": 100, "node2": 100]), shape: leastShape),
    // TestRequestedToCapacityRatioScoringStrategy, "nothing scheduled, resources requested, differently sized nodes
    // (default - least requested nodes have priority)": (25 + 50) / 2 rounds to 38.
    RatioCase(
        base: ResourceScoreCase(
            name:
                "nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)",
            nodes: [n("node1", ["cpu": "4000", "memory": "10000"]), n("node2", ["cpu": "6000", "memory": "10000"])],
            existing: [Fixture.pod(node: "node1"), Fixture.pod(node: "node1")],
            pod: req(["cpu": "1000", "memory": "2000"], ["cpu": "2000", "memory": "3000"]),
            want: ["node1": 38, "node2": 50]), shape: leastShape),
    // TestRequestedToCapacityRatioScoringStrategy, "no resources requested, pods scheduled with resources
    // (default - least requested nodes have priority)"
    RatioCase(
        base: ResourceScoreCase(
            name: "no resources requested, pods scheduled with resources (default - least requested nodes have priority)",
            nodes: [n("node1", ["cpu": "4000", "memory": "10000"]), n("node2", ["cpu": "6000", "memory": "10000"])],
            existing: [on("node1", ["cpu": "3000", "memory": "5000"]), on("node2", ["cpu": "3000", "memory": "5000"])],
            pod: req(), want: ["node1": 38, "node2": 50]), shape: leastShape),
    // TestResourceBinPackingSingleExtended, "nothing scheduled, nothing requested": the pod requests no
    // extended resource, so nothing is scored.
    RatioCase(
        base: ResourceScoreCase(
            name: "single extended: nothing scheduled, nothing requested", nodes: singleNodes,
            pod: req(), resources: foo, want: ["node1": 0, "node2": 0]), shape: packShape),
    // TestResourceBinPackingSingleExtended, "resources requested, pods scheduled with less resources"
    RatioCase(
        base: ResourceScoreCase(
            name: "single extended: resources requested, pods scheduled with less resources",
            nodes: singleNodes, pod: req(["intel.com/foo": "2"]), resources: foo,
            want: ["node1": 2, "node2": 5]), shape: packShape),
    // TestResourceBinPackingSingleExtended, "resources requested, pods scheduled with resources, on node with existing
    // pod running": node2 reaches full utilization.
    RatioCase(
        base: ResourceScoreCase(
            name: "single extended: on node with existing pod running", nodes: singleNodes,
            existing: [on("node2", ["intel.com/foo": "2"])], pod: req(["intel.com/foo": "2"]),
            resources: foo, want: ["node1": 2, "node2": 10]), shape: packShape),
    // TestResourceBinPackingSingleExtended, "resources requested, pods scheduled with more resources"
    RatioCase(
        base: ResourceScoreCase(
            name: "single extended: resources requested, pods scheduled with more resources",
            nodes: singleNodes, pod: req(["intel.com/foo": "4"]), resources: foo,
            want: ["node1": 5, "node2": 10]), shape: packShape),
    // TestResourceBinPackingMultipleExtended, "nothing scheduled, nothing requested"
    RatioCase(
        base: ResourceScoreCase(
            name: "multiple extended: nothing scheduled, nothing requested", nodes: multiNodes,
            pod: req(), resources: fooBar, want: ["node1": 0, "node2": 0]), shape: packShape),
    // TestResourceBinPackingMultipleExtended, "resources requested, pods scheduled with less resources":
    // (2·3 + 5·5) / 8 and (5·3 + 2·5) / 8, rounded.
    RatioCase(
        base: ResourceScoreCase(
            name: "multiple extended: resources requested, pods scheduled with less resources",
            nodes: multiNodes, pod: req(["intel.com/foo": "2", "intel.com/bar": "2"]),
            resources: fooBar, want: ["node1": 4, "node2": 3]), shape: packShape),
    // TestResourceBinPackingMultipleExtended, "resources requested, pods scheduled with resources, on node with
    // existing pod running": node2's foo goes over capacity and scores the shape's maximum.
    RatioCase(
        base: ResourceScoreCase(
            name: "multiple extended: on node with existing pod running", nodes: multiNodes,
            existing: [on("node2", ["intel.com/foo": "4", "intel.com/bar": "2"])],
            pod: req(["intel.com/foo": "2", "intel.com/bar": "2"]),
            resources: fooBar, want: ["node1": 4, "node2": 7]), shape: packShape),
    // TestResourceBinPackingMultipleExtended, "resources requested, pods scheduled with more resources"
    RatioCase(
        base: ResourceScoreCase(
            name: "multiple extended: resources requested, pods scheduled with more resources",
            nodes: multiNodes, pod: req(["intel.com/foo": "4", "intel.com/bar": "2"]),
            resources: fooBar, want: ["node1": 5, "node2": 5]), shape: packShape),
]

/// TestBrokenLinearFunction: shape points and (utilization, expected score) assertions.
struct BrokenLinearCase: Sendable, CustomTestStringConvertible {
    var points: [Int64]  // utilization, score, utilization, score, …
    var assertions: [(Int64, Int64)]
    var testDescription: String { "points \(points)" }
}

private let brokenLinearCases: [BrokenLinearCase] = [
    // requested_to_capacity_ratio_test.go TestBrokenLinearFunction, case_0
    BrokenLinearCase(
        points: [10, 1, 90, 9],
        assertions: [
            (-10, 1), (0, 1), (9, 1), (10, 1), (15, 1), (19, 1), (20, 2), (89, 8), (90, 9),
            (99, 9), (100, 9), (110, 9),
        ]),
    // TestBrokenLinearFunction, case_1
    BrokenLinearCase(
        points: [0, 2, 40, 10, 100, 0],
        assertions: [(-10, 2), (0, 2), (20, 6), (30, 8), (40, 10), (70, 5), (100, 0), (110, 0)]),
    // TestBrokenLinearFunction, case_2
    BrokenLinearCase(
        points: [0, 2, 40, 2, 100, 2],
        assertions: [(-10, 2), (0, 2), (20, 2), (30, 2), (40, 2), (70, 2), (100, 2), (110, 2)]),
]

@Suite("NodeResourcesFit RequestedToCapacityRatio (requested_to_capacity_ratio_test.go)")
struct RequestedToCapacityRatioTests {
    @Test(arguments: cases)
    func score(_ c: RatioCase) {
        let h = PluginHarness(nodes: c.base.nodes, pods: c.base.existing)
        let plugin = Fixture.fitPlugin(
            scoringStrategy: """
                {"type": "RequestedToCapacityRatio", "resources": \(c.base.resourcesJSON),
                 "requestedToCapacityRatio": {"shape": \(c.shape)}}
                """)
        #expect(h.scores(plugin, c.base.pod) == c.base.want)
    }

    @Test(arguments: brokenLinearCases)
    func brokenLinearFunction(_ c: BrokenLinearCase) {
        let shape = stride(from: 0, to: c.points.count, by: 2).map { (c.points[$0], c.points[$0 + 1]) }
        for (p, want) in c.assertions {
            #expect(NodeResourcesFit.brokenLinear(shape, p) == want, "p = \(p)")
        }
    }

    /// The strategy and shape configured in a KubeSchedulerConfiguration, through `explain`.
    @Test func explainWithConfiguredShape() throws {
        let c = cases[1].base
        let config = Fixture.decode(
            SchedulerConfiguration.self,
            """
            {"profiles": [{"pluginConfig": [{"name": "NodeResourcesFit", "args": {"scoringStrategy": {
                "type": "RequestedToCapacityRatio",
                "requestedToCapacityRatio": {"shape": \(leastShape)}}}}]}]}
            """)
        let h = PluginHarness(nodes: c.nodes, pods: c.existing, scheduler: config)
        #expect(try h.explainScores("NodeResourcesFit", c.pod) == c.want)
    }
}
