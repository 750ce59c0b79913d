import KubeModel
import Testing

@testable import Simulation

// NodeResourcesFit with the MostAllocated strategy, against the cases of
// pkg/scheduler/framework/plugins/noderesources/most_allocated_test.go
// (TestMostAllocatedScoringStrategy).

private let ext = "abc.com/xyz"  // upstream's extendedRes
private let extendedSet = weights(("cpu", 1), ("memory", 1), (ext, 1))

private func n(_ name: String, _ capacity: [String: String]) -> NodeSpec { Fixture.node(name, capacity: capacity) }
private func on(_ node: String, _ requests: [String: String]...) -> PodManifest { Fixture.pod(node: node, requests: requests) }
private func req(_ requests: [String: String]...) -> PodManifest { Fixture.pod("incoming", requests: requests) }

private let cases: [ResourceScoreCase] = [
    // most_allocated_test.go, "nothing scheduled, nothing requested"
    ResourceScoreCase(
        name: "nothing scheduled, nothing requested",
        nodes: [n("node1", ["cpu": "4000", "memory": "10000"]), n("node2", ["cpu": "4000", "memory": "10000"])],
        pod: req(), want: ["node1": 0, "node2": 0]),
    // most_allocated_test.go, "nothing scheduled, resources requested, differently sized nodes"
    ResourceScoreCase(
        name: "nothing scheduled, resources requested, differently sized nodes",
        nodes: [n("node1", ["cpu": "4000", "memory": "10000"]), n("node2", ["cpu": "6000", "memory": "10000"])],
        pod: req(["cpu": "1000", "memory": "2000"], ["cpu": "2000", "memory": "3000"]),
        want: ["node1": 62, "node2": 50]),
    // most_allocated_test.go, "no resources requested, pods scheduled with resources"
    ResourceScoreCase(
        name: "no resources requested, pods scheduled with resources",
        nodes: [n("node1", ["cpu": "10000", "memory": "20000"]), n("node2", ["cpu": "10000", "memory": "20000"])],
        existing: [
            on("node1", ["cpu": "3000", "memory": "0"]), on("node1", ["cpu": "3000", "memory": "0"]),
            on("node2", ["cpu": "3000", "memory": "0"]), on("node2", ["cpu": "3000", "memory": "5000"]),
        ],
        pod: req(), want: ["node1": 30, "node2": 42]),
    // most_allocated_test.go, "resources requested, pods scheduled with resources"
    ResourceScoreCase(
        name: "resources requested, pods scheduled with resources",
        nodes: [n("node1", ["cpu": "10000", "memory": "20000"]), n("node2", ["cpu": "10000", "memory": "20000"])],
        existing: [on("node1", ["cpu": "3000", "memory": "0"]), on("node2", ["cpu": "3000", "memory": "5000"])],
        pod: req(["cpu": "1000", "memory": "2000"], ["cpu": "2000", "memory": "3000"]),
        want: ["node1": 42, "node2": 55]),
    // most_allocated_test.go, "resources requested equal node capacity"
    ResourceScoreCase(
        name: "resources requested equal node capacity",
        nodes: [n("node1", ["cpu": "5000", "memory": "10000"]), n("node2", ["cpu": "10000", "memory": "9000"])],
        pod: req(["cpu": "2000", "memory": "4000"], ["cpu": "3000", "memory": "5000"]),
        want: ["node1": 95, "node2": 75]),
    // most_allocated_test.go, the second "nothing scheduled, resources requested, differently sized nodes"
    // (memory weight 2, cpu weight 1)
    ResourceScoreCase(
        name: "different weights on cpu and memory, differently sized nodes",
        nodes: [n("node1", ["cpu": "4000", "memory": "10000"]), n("node2", ["cpu": "6000", "memory": "10000"])],
        pod: req(["cpu": "1000", "memory": "2000"], ["cpu": "2000", "memory": "3000"]),
        resources: weights(("memory", 2), ("cpu", 1)), want: ["node1": 58, "node2": 50]),
    // most_allocated_test.go, "no resources requested, pods scheduled, nonzero request for resource":
    // containers without requests count as 100m cpu and 200Mi memory; the fraction is capped at 100%.
    ResourceScoreCase(
        name: "no resources requested, pods scheduled, nonzero request for resource",
        nodes: [n("node1", ["cpu": "250m", "memory": "1000Mi"]), n("node2", ["cpu": "250m", "memory": "1000Mi"])],
        existing: [Fixture.pod(node: "node1", emptyContainers: 1), Fixture.pod(node: "node1", emptyContainers: 1)],
        pod: Fixture.pod("incoming", emptyContainers: 1), want: ["node1": 80, "node2": 30]),
    // most_allocated_test.go, "bypass extended resource if the pod does not request"
    ResourceScoreCase(
        name: "bypass extended resource if the pod does not request",
        nodes: [n("node1", ["cpu": "6000", "memory": "10000"]), n("node2", ["cpu": "6000", "memory": "10000", ext: "4"])],
        pod: req(["cpu": "1000", "memory": "2000"], ["cpu": "2000", "memory": "3000"]),
        resources: extendedSet, want: ["node1": 50, "node2": 50]),
    // most_allocated_test.go, "honor extended resource if the pod request"
    ResourceScoreCase(
        name: "honor extended resource if the pod request",
        nodes: [
            n("node1", ["cpu": "6000", "memory": "10000", ext: "4"]),
            n("node2", ["cpu": "6000", "memory": "10000", ext: "10"]),
        ],
        pod: req(["cpu": "3000", "memory": "5000", ext: "2"]),
        resources: extendedSet, want: ["node1": 50, "node2": 40]),
    // most_allocated_test.go, "if the node doesn't have a resource"
    ResourceScoreCase(
        name: "if the node doesn't have a resource",
        nodes: [n("node1", ["cpu": "6000", "memory": "10000"]), n("node2", ["cpu": "6000", "memory": "10000", ext: "4"])],
        pod: req(["cpu": "3000", "memory": "4000"]),
        resources: weights((ext, 2), ("cpu", 1), ("memory", 1)), want: ["node1": 45, "node2": 45]),
]

@Suite("NodeResourcesFit MostAllocated (most_allocated_test.go)")
struct MostAllocatedTests {
    @Test(arguments: cases)
    func score(_ c: ResourceScoreCase) {
        let h = PluginHarness(nodes: c.nodes, pods: c.existing)
        let plugin = Fixture.fitPlugin(
            scoringStrategy: """
                {"type": "MostAllocated", "resources": \(c.resourcesJSON)}
                """)
        #expect(h.scores(plugin, c.pod) == c.want)
    }

    /// A KubeSchedulerConfiguration selecting MostAllocated, through `explain`
    /// ("resources requested, pods scheduled with resources").
    @Test func explainWithConfiguredStrategy() throws {
        let c = cases[3]
        let config = Fixture.decode(
            SchedulerConfiguration.self,
            """
            {"apiVersion": "kubescheduler.config.k8s.io/v1", "kind": "KubeSchedulerConfiguration",
             "profiles": [{"schedulerName": "default-scheduler", "pluginConfig": [{"name": "NodeResourcesFit",
               "args": {"scoringStrategy": {"type": "MostAllocated", "resources": [{"name": "cpu", "weight": 1},
                                                                                   {"name": "memory", "weight": 1}]}}}]}]}
            """)
        let h = PluginHarness(nodes: c.nodes, pods: c.existing, scheduler: config)
        #expect(try h.explainScores("NodeResourcesFit", c.pod) == c.want)
    }
}
