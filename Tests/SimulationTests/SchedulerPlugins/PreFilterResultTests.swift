import KubeModel
import Testing

@testable import Simulation

// PreFilterResult: NodeAffinity's PreFilter narrows a pod to the nodes its required terms
// name (nodeaffinity/node_affinity.go PreFilter), findNodesThatFitPod evaluates only those,
// the others get the absent-nodes status "node(s) didn't satisfy plugin(s) [NodeAffinity]"
// (kubernetes#125197), and the start index moves on by the nodes evaluated, modulo all the
// nodes (kubernetes#124933).

private func named(_ names: [String]) -> String {
    #"{"key": "metadata.name", "operator": "In", "values": ["# + names.map { "\"\($0)\"" }.joined(separator: ", ") + "]}"
}
private func required(_ terms: [String]) -> String {
    #"{"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": ["#
        + terms.joined(separator: ", ") + "]}}}"
}
private func fields(_ exprs: String...) -> String { #"{"matchFields": ["# + exprs.joined(separator: ", ") + "]}" }
private let labelTerm = #"{"matchExpressions": [{"key": "foo", "operator": "In", "values": ["bar"]}]}"#
private let bothTerm =
    #"{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node1"]}], "matchExpressions": [{"key": "foo", "operator": "In", "values": ["bar"]}]}"#

struct PreFilterResultCase: Sendable, CustomTestStringConvertible {
    var name: String
    var affinity: String
    /// nil: every node.
    var want: Set<String>?
    var conflict = false
    var testDescription: String { name }
}

private let preFilterCases: [PreFilterResultCase] = [
    PreFilterResultCase(name: "one term naming one node", affinity: required([fields(named(["node1"]))]), want: ["node1"]),
    PreFilterResultCase(name: "a term with names and labels still narrows", affinity: required([bothTerm]), want: ["node1"]),
    PreFilterResultCase(
        name: "a term without names lets every node in", affinity: required([fields(named(["node1"])), labelTerm]), want: nil),
    PreFilterResultCase(
        name: "terms are ORed: the union", affinity: required([fields(named(["node1"])), fields(named(["node2"]))]),
        want: ["node1", "node2"]),
    PreFilterResultCase(
        name: "fields of one term are ANDed: the intersection",
        affinity: required([fields(named(["node1", "node2"]), named(["node2", "node3"]))]), want: ["node2"]),
    PreFilterResultCase(
        name: "no name in common: conflict", affinity: required([fields(named(["node1"]), named(["node2"]))]),
        want: [], conflict: true),
    PreFilterResultCase(
        name: "one conflicting term among others is only empty",
        affinity: required([fields(named(["node1"]), named(["node2"])), fields(named(["node3"]))]), want: ["node3"]),
]

struct PreFilterResultTests {
    static let nodes = (1...6).map { Fixture.node("node\($0)", capacity: ["cpu": "2", "memory": "4Gi"]) }

    @Test(arguments: preFilterCases)
    func nodeAffinityNarrowsToTheNamedNodes(_ c: PreFilterResultCase) {
        let h = PluginHarness(nodes: Self.nodes)
        let pod = h.incoming(Fixture.pod("p", affinity: c.affinity))
        let plugin = NodeAffinityPlugin()
        #expect(plugin.preFilterNodeNames(pod, h.context) == c.want)
        let failure = plugin.preFilter(pod, h.context, CycleState())
        #expect(failure?.reasons == (c.conflict ? ["pod affinity terms conflict"] : nil))
        #expect(failure?.unresolvable ?? c.conflict == c.conflict)
    }

    func place(_ h: PluginHarness, _ m: PodManifest, startingAt start: Int) -> (node: String?, message: String?, next: Int) {
        let sim = h.sim
        sim.scheduler.startNextSearch(at: start)
        let pod = h.incoming(m)
        let (chosen, evaluations) = sim.scheduler.place(pod, sim.scheduler.profile(for: pod)!, in: sim)
        return (
            chosen.map { sim.nodes[$0].name }, chosen == nil ? sim.scheduler.fitErrorMessage(evaluations) : nil,
            sim.scheduler.nextStartNodeIndex
        )
    }

    /// A DaemonSet-style pod is evaluated on its node only and moves the start index by one;
    /// a pod that may go anywhere examines all six nodes (fewer than 100: all are searched)
    /// and leaves it where it was.
    @Test func narrowedPodMovesTheStartIndexByOne() {
        let h = PluginHarness(nodes: Self.nodes)
        let pinned = Fixture.pod("ds", requests: [["cpu": "100m"]], affinity: required([fields(named(["node4"]))]))
        let placed = place(h, pinned, startingAt: 2)
        #expect(placed.node == "node4")
        #expect(placed.next == 3)
        let free = place(h, Fixture.pod("web", requests: [["cpu": "100m"]]), startingAt: 3)
        #expect(free.node != nil)
        #expect(free.next == 3)
        // The start index wraps modulo all the nodes, not modulo the one evaluated.
        #expect(place(h, pinned, startingAt: 5).next == 0)
    }

    /// When the named node has no room: its own reason once, the other nodes with the
    /// absent-nodes status; the start index still moves by the one node evaluated.
    @Test func fitErrorCountsTheNodesLeftOut() {
        let full = Fixture.pod("big", node: "node4", requests: [["cpu": "2"]])
        let h = PluginHarness(nodes: Self.nodes, pods: [full])
        h.sim.settle()
        let pinned = Fixture.pod("ds", requests: [["cpu": "100m"]], affinity: required([fields(named(["node4"]))]))
        let placed = place(h, pinned, startingAt: 1)
        #expect(placed.node == nil)
        #expect(
            placed.message == "0/6 nodes are available: 1 Insufficient cpu, 5 node(s) didn't satisfy plugin(s) [NodeAffinity].")
        #expect(placed.next == 2)
    }

    /// A name of no node: nothing is evaluated, every node has the absent-nodes status, and
    /// the start index stays.
    @Test func namedNodeThatIsGone() {
        let h = PluginHarness(nodes: Self.nodes)
        let placed = place(h, Fixture.pod("ds", affinity: required([fields(named(["node9"]))])), startingAt: 4)
        #expect(placed.node == nil)
        #expect(placed.message == "0/6 nodes are available: 6 node(s) didn't satisfy plugin(s) [NodeAffinity].")
        #expect(placed.next == 4)
    }

    /// A PreFilter rejection is reported once, not per node (`FitError` with PreFilterMsg).
    @Test func conflictIsAPreFilterMessage() {
        let h = PluginHarness(nodes: Self.nodes)
        let placed = place(h, Fixture.pod("p", affinity: required([fields(named(["node1"]), named(["node2"]))])), startingAt: 0)
        #expect(placed.message == "0/6 nodes are available: pod affinity terms conflict.")
    }

    /// `explain` shows the nodes PreFilter left out with the absent-nodes status.
    @Test func explainShowsTheNodesLeftOut() throws {
        let h = PluginHarness(nodes: Self.nodes)
        h.sim.settle()
        let result = try h.sim.explain(Fixture.pod("ds", affinity: required([fields(named(["node2"]))])))
        #expect(result.selectedNode == "node2")
        for n in result.nodes where n.name != "node2" {
            #expect(n.reasons == ["node(s) didn't satisfy plugin(s) [NodeAffinity]"])
            #expect(n.rejectedBy == "NodeAffinity")
        }
    }
}
