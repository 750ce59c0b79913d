import KubeModel
import Testing

@testable import Simulation

// NodeResourcesFit with the LeastAllocated strategy, against the cases of
// pkg/scheduler/framework/plugins/noderesources/least_allocated_test.go
// (TestLeastAllocatedScoringStrategy). Upstream scores every node after PreScore; the scores
// are not normalised further.

private let ext = "abc.com/xyz"  // upstream's extendedRes
private let extendedSet = weights(("cpu", 1), ("memory", 1), (ext, 1))

private func n(_ name: String, _ capacity: [String: String]) -> NodeSpec { Fixture.node(name, capacity: capacity) }
private func on(_ node: String, _ requests: [String: String]...) -> PodManifest { Fixture.pod(node: node, requests: requests) }
private func req(_ requests: [String: String]...) -> PodManifest { Fixture.pod("incoming", requests: requests) }

private let cases: [ResourceScoreCase] = [
    // least_allocated_test.go, "nothing scheduled, nothing requested"
    ResourceScoreCase(
        name: "nothing scheduled, nothing requested",
        nodes: [n("node1", ["cpu": "4000", "memory": "10000"]), n("node2", ["cpu": "4000", "memory": "10000"])],
        pod: req(), want: ["node1": 100, "node2": 100]),
    // least_allocated_test.go, "nothing scheduled, resources requested, differently sized nodes"
    ResourceScoreCase(
        name: "nothing scheduled, resources requested, differently sized nodes",
        nodes: [n("node1", ["cpu": "4000", "memory": "10000"]), n("node2", ["cpu": "6000", "memory": "10000"])],
        pod: req(["cpu": "1000", "memory": "2000"], ["cpu": "2000", "memory": "3000"]),
        want: ["node1": 37, "node2": 50]),
    // least_allocated_test.go, "no resources requested, pods scheduled with resources"
    ResourceScoreCase(
        name: "no resources requested, pods scheduled with resources",
        nodes: [n("node1", ["cpu": "10000", "memory": "20000"]), n("node2", ["cpu": "10000", "memory": "20000"])],
        existing: [
            on("node1", ["cpu": "3000", "memory": "0"]), on("node1", ["cpu": "3000", "memory": "0"]),
            on("node2", ["cpu": "3000", "memory": "0"]), on("node2", ["cpu": "3000", "memory": "5000"]),
        ],
        pod: req(), want: ["node1": 70, "node2": 57]),
    // least_allocated_test.go, "resources requested, pods scheduled with resources"
    ResourceScoreCase(
        name: "resources requested, pods scheduled with resources",
        nodes: [n("node1", ["cpu": "10000", "memory": "20000"]), n("node2", ["cpu": "10000", "memory": "20000"])],
        existing: [on("node1", ["cpu": "3000", "memory": "0"]), on("node2", ["cpu": "3000", "memory": "5000"])],
        pod: req(["cpu": "1000", "memory": "2000"], ["cpu": "2000", "memory": "3000"]),
        want: ["node1": 57, "node2": 45]),
    // least_allocated_test.go, "resources requested, pods scheduled with resources, differently sized nodes"
    ResourceScoreCase(
        name: "resources requested, pods scheduled with resources, differently sized nodes",
        nodes: [n("node1", ["cpu": "10000", "memory": "20000"]), n("node2", ["cpu": "10000", "memory": "50000"])],
        existing: [on("node1", ["cpu": "3000", "memory": "0"]), on("node2", ["cpu": "3000", "memory": "5000"])],
        pod: req(["cpu": "1000", "memory": "2000"], ["cpu": "2000", "memory": "3000"]),
        want: ["node1": 57, "node2": 60]),
    // least_allocated_test.go, "requested resources exceed node capacity"
    ResourceScoreCase(
        name: "requested resources exceed node capacity",
        nodes: [n("node1", ["cpu": "4000", "memory": "10000"]), n("node2", ["cpu": "4000", "memory": "10000"])],
        existing: [on("node1", ["cpu": "3000", "memory": "0"]), on("node2", ["cpu": "3000", "memory": "5000"])],
        pod: req(["cpu": "3000", "memory": "0"]), want: ["node1": 50, "node2": 25]),
    // least_allocated_test.go, "zero node resources, pods scheduled with resources"
    ResourceScoreCase(
        name: "zero node resources, pods scheduled with resources",
        nodes: [n("node1", [:]), n("node2", [:])],
        existing: [on("node1", ["cpu": "3000", "memory": "0"]), on("node2", ["cpu": "3000", "memory": "5000"])],
        pod: req(), want: ["node1": 0, "node2": 0]),
    // least_allocated_test.go, "nothing scheduled, resources requested with different weight on CPU and memory,
    // differently sized nodes"
    ResourceScoreCase(
        name: "different weights on cpu and memory, differently sized nodes",
        nodes: [n("node1", ["cpu": "4000", "memory": "10000"]), n("node2", ["cpu": "6000", "memory": "10000"])],
        pod: req(["cpu": "1000", "memory": "2000"], ["cpu": "2000", "memory": "3000"]),
        resources: weights(("memory", 2), ("cpu", 1)), want: ["node1": 41, "node2": 50]),
    // least_allocated_test.go, "bypass extended resource if the pod does not request"
    ResourceScoreCase(
        name: "bypass extended resource if the pod does not request",
        nodes: [n("node1", ["cpu": "6000", "memory": "10000"]), n("node2", ["cpu": "6000", "memory": "10000", ext: "4"])],
        pod: req(["cpu": "1000", "memory": "2000"], ["cpu": "2000", "memory": "3000"]),
        resources: extendedSet, want: ["node1": 50, "node2": 50]),
    // least_allocated_test.go, "honor extended resource if the pod requests"
    ResourceScoreCase(
        name: "honor extended resource if the pod requests",
        nodes: [
            n("node1", ["cpu": "6000", "memory": "10000", ext: "4"]),
            n("node2", ["cpu": "6000", "memory": "10000", ext: "10"]),
        ],
        pod: req(["cpu": "3000", "memory": "5000", ext: "2"]),
        resources: extendedSet, want: ["node1": 50, "node2": 60]),
    // least_allocated_test.go, "if the node doesn't have a resource"
    ResourceScoreCase(
        name: "if the node doesn't have a resource",
        nodes: [n("node1", ["cpu": "6000", "memory": "10000"]), n("node2", ["cpu": "6000", "memory": "10000", ext: "4"])],
        pod: req(["cpu": "3000", "memory": "4000"]),
        resources: weights((ext, 2), ("cpu", 1), ("memory", 1)), want: ["node1": 55, "node2": 55]),
]

@Suite("NodeResourcesFit LeastAllocated (least_allocated_test.go)")
struct LeastAllocatedTests {
    @Test(arguments: cases)
    func score(_ c: ResourceScoreCase) {
        let h = PluginHarness(nodes: c.nodes, pods: c.existing)
        let plugin = Fixture.fitPlugin(
            scoringStrategy: """
                {"type": "LeastAllocated", "resources": \(c.resourcesJSON)}
                """)
        #expect(h.scores(plugin, c.pod) == c.want)
    }

    /// The default profile's NodeResourcesFit (LeastAllocated, cpu and memory weight 1) through
    /// `explain`, on the "resources requested, pods scheduled with resources" case: every node
    /// passes the filters, so explain scores them all.
    @Test func explainUsesTheDefaultProfile() throws {
        let c = cases[3]
        let h = PluginHarness(nodes: c.nodes, pods: c.existing)
        #expect(try h.explainScores("NodeResourcesFit", c.pod) == c.want)
    }
}
