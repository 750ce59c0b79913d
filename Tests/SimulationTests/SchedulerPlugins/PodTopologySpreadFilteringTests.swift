import KubeModel
import Testing

@testable import Simulation

// PodTopologySpread filtering, against pkg/scheduler/framework/plugins/podtopologyspread/filtering_test.go
// (TestSingleConstraint, TestMultipleConstraints; List defaulting without default constraints).
// Upstream runs only this plugin's PreFilter and Filter, so nodes other filters would reject
// (node affinity, taints) still get this plugin's verdict.

private func zoneNode(_ name: String, _ zone: String) -> NodeSpec { Spread.node(name, ["zone": zone, "node": name]) }
private let fourNodes = [
    zoneNode("node-a", "zone1"), zoneNode("node-b", "zone1"), zoneNode("node-x", "zone2"), zoneNode("node-y", "zone2"),
]
/// Matching pods spread 2/1/0/3 over node-a, node-b, node-x, node-y.
private let spread2103 = Spread.existing("node-a", 2) + Spread.existing("node-b") + Spread.existing("node-y", 3)

struct SpreadFilterCase: Sendable, CustomTestStringConvertible {
    var name: String
    var pod: PodManifest
    var nodes: [NodeSpec] = fourNodes
    var existing: [PodManifest] = []
    var terminating: Set<String> = []
    var want: [String: Verdict]
    var testDescription: String { name }
}

private let ok = Verdict.success, no = Verdict.unschedulable, never = Verdict.unresolvable

private let cases: [SpreadFilterCase] = [
    // filtering_test.go TestSingleConstraint, "no existing pods"
    SpreadFilterCase(
        name: "no existing pods", pod: Spread.incoming(Spread.hard(1, "zone")),
        want: ["node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok]),
    // TestSingleConstraint, "no existing pods, incoming pod doesn't match itself"
    SpreadFilterCase(
        name: "no existing pods, incoming pod doesn't match itself", pod: Spread.incoming(Spread.hard(1, "zone", exists: "bar")),
        want: ["node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok]),
    // TestSingleConstraint, "existing pods in a different namespace do not count"
    SpreadFilterCase(
        name: "existing pods in a different namespace do not count", pod: Spread.incoming(Spread.hard(1, "zone")),
        existing: Spread.existing("node-a", namespace: "ns1", name: "p-a1")
            + Spread.existing("node-a", namespace: "ns2", name: "p-b1")
            + Spread.existing("node-x") + Spread.existing("node-y"),
        want: ["node-a": ok, "node-b": ok, "node-x": no, "node-y": no]),
    // TestSingleConstraint, "pods spread across zones as 3/3, all nodes fit"
    SpreadFilterCase(
        name: "pods spread across zones as 3/3, all nodes fit", pod: Spread.incoming(Spread.hard(1, "zone")),
        existing: spread2103, want: ["node-a": ok, "node-b": ok, "node-x": ok, "node-y": ok]),
    // TestSingleConstraint, "pods spread across zones as 1/2 due to absence of label 'zone' on node-b"
    SpreadFilterCase(
        name: "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
        pod: Spread.incoming(Spread.hard(1, "zone")),
        nodes: [
            zoneNode("node-a", "zone1"), Spread.node("node-b", ["zon": "zone1", "node": "node-b"]),
            zoneNode("node-x", "zone2"), zoneNode("node-y", "zone2"),
        ],
        existing: Spread.existing("node-a") + Spread.existing("node-b") + Spread.existing("node-x") + Spread.existing("node-y"),
        want: ["node-a": ok, "node-b": never, "node-x": no, "node-y": no]),
    // TestSingleConstraint, "pod cannot be scheduled as all nodes don't have label 'rack'"
    SpreadFilterCase(
        name: "pod cannot be scheduled as all nodes don't have label 'rack'", pod: Spread.incoming(Spread.hard(1, "rack")),
        nodes: [zoneNode("node-a", "zone1"), zoneNode("node-x", "zone2")], want: ["node-a": never, "node-x": never]),
    // TestSingleConstraint, "pods spread across nodes as 2/1/0/3, only node-x fits"
    SpreadFilterCase(
        name: "pods spread across nodes as 2/1/0/3, only node-x fits", pod: Spread.incoming(Spread.hard(1, "node")),
        existing: spread2103, want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
    // TestSingleConstraint, "pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit"
    SpreadFilterCase(
        name: "pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
        pod: Spread.incoming(Spread.hard(2, "node")), existing: spread2103,
        want: ["node-a": no, "node-b": ok, "node-x": ok, "node-y": no]),
    // TestSingleConstraint, "pods spread across nodes as 2/1/0/3, but pod doesn't match itself"
    SpreadFilterCase(
        name: "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
        pod: Spread.incoming(labels: ["bar": ""], Spread.hard(1, "node")), existing: spread2103,
        want: ["node-a": no, "node-b": ok, "node-x": ok, "node-y": no]),
    // TestSingleConstraint, "incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits"
    SpreadFilterCase(
        name: "incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits",
        pod: Spread.incoming(affinity: Spread.requiredNodeAffinity("node", "In", ["node-a", "node-y"]), Spread.hard(1, "node")),
        existing: spread2103, want: ["node-a": ok, "node-b": ok, "node-x": ok, "node-y": no]),
    // TestSingleConstraint, "terminating Pods should be excluded"
    SpreadFilterCase(
        name: "terminating Pods should be excluded", pod: Spread.incoming(Spread.hard(1, "node")),
        nodes: [Spread.node("node-a", ["node": "node-a"]), Spread.node("node-b", ["node": "node-b"])],
        existing: Spread.existing("node-a", name: "p-a") + Spread.existing("node-b", name: "p-b"),
        terminating: ["p-a"], want: ["node-a": ok, "node-b": no]),
    // TestSingleConstraint, "pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains < minDomains,
    // then the third node fits": the global minimum counts as 0.
    SpreadFilterCase(
        name: "2/2/1, maxSkew 2, domains < minDomains: only the third node fits",
        pod: Spread.incoming(Spread.hard(2, "node", minDomains: 4)),
        nodes: ["node-a", "node-b", "node-c"].map { Spread.node($0, ["node": $0]) },
        existing: Spread.existing("node-a", 2) + Spread.existing("node-b", 2) + Spread.existing("node-c"),
        want: ["node-a": no, "node-b": no, "node-c": ok]),
    // TestSingleConstraint, "pods spread across nodes as 2/2/1, maxSkew is 2, and the number of domains > minDomains,
    // then the all nodes fit"
    SpreadFilterCase(
        name: "2/2/1, maxSkew 2, domains > minDomains: all nodes fit",
        pod: Spread.incoming(Spread.hard(2, "node", minDomains: 2)),
        nodes: ["node-a", "node-b", "node-c"].map { Spread.node($0, ["node": $0]) },
        existing: Spread.existing("node-a", 2) + Spread.existing("node-b", 2) + Spread.existing("node-c"),
        want: ["node-a": ok, "node-b": ok, "node-c": ok]),
    // TestSingleConstraint, "pods spread across zone as 2/1, maxSkew is 2 and the number of domains < minDomains,
    // then the third and fourth nodes fit"
    SpreadFilterCase(
        name: "zones 2/1, maxSkew 2, domains < minDomains: the zone2 nodes fit",
        pod: Spread.incoming(Spread.hard(2, "zone", minDomains: 3)),
        existing: Spread.existing("node-a") + Spread.existing("node-b") + Spread.existing("node-y"),
        want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": ok]),
    // TestSingleConstraint, "NodeTaintsPolicy honored" (spread 1/1/0/~0~)
    SpreadFilterCase(
        name: "NodeTaintsPolicy honored", pod: Spread.incoming(Spread.hard(1, "node", nodeTaintsPolicy: "Honor")),
        nodes: [
            Spread.node("node-a", ["node": "node-a", "foo": ""]), Spread.node("node-b", ["node": "node-b", "foo": ""]),
            Spread.node("node-x", ["node": "node-x", "foo": ""]),
            Spread.node("node-y", ["node": "node-y"], taints: Spread.unschedulableTaint),
        ],
        existing: Spread.existing("node-a") + Spread.existing("node-b") + Spread.existing("node-y"),
        want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": ok]),
    // TestSingleConstraint, "NodeAffinityPolicy ignored with labelSelectors" (spread 1/1/0/~1~)
    SpreadFilterCase(
        name: "NodeAffinityPolicy ignored with labelSelectors",
        pod: Spread.incoming(nodeSelector: ["foo": ""], Spread.hard(1, "node", nodeAffinityPolicy: "Ignore")),
        nodes: [
            Spread.node("node-a", ["node": "node-a", "foo": ""]), Spread.node("node-b", ["node": "node-b", "foo": ""]),
            Spread.node("node-x", ["node": "node-x", "foo": ""]), Spread.node("node-y", ["node": "node-y"]),
        ],
        existing: Spread.existing("node-a") + Spread.existing("node-b") + Spread.existing("node-y"),
        want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
    // filtering_test.go TestMultipleConstraints, "two Constraints on zone and node, spreads = [3/3, 2/1/0/3]"
    SpreadFilterCase(
        name: "two Constraints on zone and node, spreads = [3/3, 2/1/0/3]",
        pod: Spread.incoming(Spread.hard(1, "zone"), Spread.hard(1, "node")), existing: spread2103,
        want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
    // TestMultipleConstraints, "two Constraints on zone and node, spreads = [3/4, 2/1/0/4]"
    SpreadFilterCase(
        name: "two Constraints on zone and node, spreads = [3/4, 2/1/0/4]",
        pod: Spread.incoming(Spread.hard(1, "zone"), Spread.hard(1, "node")),
        existing: Spread.existing("node-a", 2) + Spread.existing("node-b") + Spread.existing("node-y", 4),
        want: ["node-a": no, "node-b": no, "node-x": no, "node-y": no]),
    // TestMultipleConstraints, "Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]"
    SpreadFilterCase(
        name: "Constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]",
        pod: Spread.incoming(labels: ["foo": "", "bar": ""], Spread.hard(1, "zone"), Spread.hard(1, "node", exists: "bar")),
        existing: Spread.existing("node-a") + Spread.existing("node-y", labels: ["bar": ""]),
        want: ["node-a": no, "node-b": no, "node-x": ok, "node-y": no]),
]

@Suite("PodTopologySpread filtering (podtopologyspread/filtering_test.go)")
struct PodTopologySpreadFilteringTests {
    @Test(arguments: cases)
    func filter(_ c: SpreadFilterCase) {
        let h = PluginHarness(nodes: c.nodes, pods: c.existing, terminating: c.terminating)
        #expect(h.verdicts(PodTopologySpread(defaultConstraints: [], defaultingType: "List"), c.pod) == c.want)
    }
}
