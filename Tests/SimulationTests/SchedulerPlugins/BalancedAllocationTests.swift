import KubeModel
import Testing

@testable import Simulation

// NodeResourcesBalancedAllocation, against
// pkg/scheduler/framework/plugins/noderesources/balanced_allocation_test.go
// (TestNodeResourcesBalancedAllocation). Requests are taken as they are (no non-zero
// defaults); nodes are built with makeNode(name, milli-cpu, memory bytes, extended).

private func n(_ name: String, milliCPU: Int, memory: Int, gpu: Int? = nil) -> NodeSpec {
    var capacity = ["cpu": "\(milliCPU)m", "memory": "\(memory)"]
    if let gpu { capacity["nvidia.com/gpu"] = "\(gpu)" }
    return Fixture.node(name, capacity: capacity)
}

// The upstream pod specs.
private let cpuAndMemory: [[String: String]] = [["cpu": "1000m", "memory": "2000"], ["cpu": "2000m", "memory": "3000"]]
private let cpuOnly: [[String: String]] = [["cpu": "1000m", "memory": "0"], ["cpu": "2000m", "memory": "0"]]
private let cpuAndMemoryAndGPU: [[String: String]] = [
    ["cpu": "1000m", "memory": "2000"],
    ["cpu": "2000m", "memory": "3000", "nvidia.com/gpu": "3"],
]
private func incoming(_ requests: [[String: String]]) -> PodManifest { Fixture.pod("incoming", requests: requests) }
private let withGPU = weights(("cpu", 1), ("memory", 1), ("nvidia.com/gpu", 1))

private let cases: [ResourceScoreCase] = [
    // balanced_allocation_test.go, "nothing scheduled, nothing requested, skip in PreScore": a best-effort pod.
    ResourceScoreCase(
        name: "nothing scheduled, nothing requested, skip in PreScore",
        nodes: [n("node1", milliCPU: 4000, memory: 10000), n("node2", milliCPU: 4000, memory: 10000)],
        pod: incoming([]), want: nil),
    // balanced_allocation_test.go, "nothing scheduled, resources requested, differently sized nodes"
    ResourceScoreCase(
        name: "nothing scheduled, resources requested, differently sized nodes",
        nodes: [n("node1", milliCPU: 4000, memory: 10000), n("node2", milliCPU: 6000, memory: 10000)],
        pod: incoming(cpuAndMemory), want: ["node1": 87, "node2": 100]),
    // balanced_allocation_test.go, "resources requested, pods scheduled with resources"
    ResourceScoreCase(
        name: "resources requested, pods scheduled with resources",
        nodes: [n("node1", milliCPU: 10000, memory: 20000), n("node2", milliCPU: 10000, memory: 20000)],
        existing: [Fixture.pod(node: "node1", requests: cpuOnly), Fixture.pod(node: "node2", requests: cpuAndMemory)],
        pod: incoming(cpuAndMemory), want: ["node1": 82, "node2": 95]),
    // balanced_allocation_test.go, "resources requested, pods scheduled with resources, differently sized nodes"
    ResourceScoreCase(
        name: "resources requested, pods scheduled with resources, differently sized nodes",
        nodes: [n("node1", milliCPU: 10000, memory: 20000), n("node2", milliCPU: 10000, memory: 50000)],
        existing: [Fixture.pod(node: "node1", requests: cpuOnly), Fixture.pod(node: "node2", requests: cpuAndMemory)],
        pod: incoming(cpuAndMemory), want: ["node1": 82, "node2": 80]),
    // balanced_allocation_test.go, "requested resources at node capacity"
    ResourceScoreCase(
        name: "requested resources at node capacity",
        nodes: [n("node1", milliCPU: 6000, memory: 10000), n("node2", milliCPU: 6000, memory: 10000)],
        existing: [Fixture.pod(node: "node1", requests: cpuOnly), Fixture.pod(node: "node2", requests: cpuAndMemory)],
        pod: incoming(cpuOnly), want: ["node1": 50, "node2": 75]),
    // balanced_allocation_test.go, "include scalar resource on a node for balanced resource allocation":
    // three fractions, population standard deviation.
    ResourceScoreCase(
        name: "include scalar resource on a node for balanced resource allocation",
        nodes: [n("node1", milliCPU: 3500, memory: 40000, gpu: 8), n("node2", milliCPU: 3500, memory: 40000, gpu: 8)],
        existing: [
            Fixture.pod(node: "node2", requests: cpuAndMemory),
            Fixture.pod(node: "node1", requests: cpuAndMemoryAndGPU),
        ],
        pod: incoming([["memory": "0", "nvidia.com/gpu": "1"]]), resources: withGPU,
        want: ["node1": 70, "node2": 65]),
    // balanced_allocation_test.go, "node without the scalar resource should skip the scalar resource"
    ResourceScoreCase(
        name: "node without the scalar resource should skip the scalar resource",
        nodes: [n("node1", milliCPU: 3500, memory: 40000, gpu: 8), n("node2", milliCPU: 3500, memory: 40000)],
        pod: incoming(cpuAndMemory), resources: withGPU, want: ["node1": 63, "node2": 63]),
]

@Suite("NodeResourcesBalancedAllocation (balanced_allocation_test.go)")
struct BalancedAllocationTests {
    @Test(arguments: cases)
    func score(_ c: ResourceScoreCase) {
        let h = PluginHarness(nodes: c.nodes, pods: c.existing)
        #expect(h.scores(BalancedAllocation(resources: c.resources), c.pod) == c.want)
    }

    /// The args as a KubeSchedulerConfiguration gives them, through the profile and `explain`
    /// ("include scalar resource on a node for balanced resource allocation").
    @Test func explainWithConfiguredResources() throws {
        let c = cases[5]
        let config = Fixture.decode(
            SchedulerConfiguration.self,
            """
            {"profiles": [{"pluginConfig": [{"name": "NodeResourcesBalancedAllocation",
                                             "args": {"resources": \(c.resourcesJSON)}}]}]}
            """)
        let h = PluginHarness(nodes: c.nodes, pods: c.existing, scheduler: config)
        #expect(try h.explainScores("NodeResourcesBalancedAllocation", c.pod) == c.want)
    }

    /// A best-effort pod gets no BalancedAllocation score in `explain` (PreScore Skip).
    @Test func explainSkipsBestEffortPods() throws {
        let c = cases[0]
        let h = PluginHarness(nodes: c.nodes)
        #expect(try h.explainScores("NodeResourcesBalancedAllocation", c.pod) == nil)
    }
}
