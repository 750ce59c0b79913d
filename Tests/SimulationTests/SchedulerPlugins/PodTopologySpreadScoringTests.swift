import Foundation
import KubeModel
import Testing

@testable import Simulation

// PodTopologySpread scoring, against pkg/scheduler/framework/plugins/podtopologyspread/scoring_test.go
// (TestPodTopologySpreadScore, run there with the System defaulting args, and
// TestPreScoreStateEmptyNodes for the PreScore state). `candidates` are the nodes that passed
// the filters (upstream's `nodes`); the others are upstream's `failedNodes`.

private let h = Spread.hostname
private func hostNode(_ name: String) -> NodeSpec { Spread.node(name, [h: name]) }
private func zoneNode(_ name: String, _ zone: String) -> NodeSpec { Spread.node(name, ["zone": zone, h: name]) }
private let abcd = ["node-a", "node-b", "node-c", "node-d"].map(hostNode)

struct SpreadScoreCase: Sendable, CustomTestStringConvertible {
    var name: String
    var pod: PodManifest
    var nodes: [NodeSpec]
    var existing: [PodManifest] = []
    var terminating: Set<String> = []
    var services: [Service] = []
    /// Nodes that passed the filters; nil: all of them.
    var candidates: [String]?
    var want: [String: Int64]
    var testDescription: String { name }
}

private let cases: [SpreadScoreCase] = [
    // scoring_test.go TestPodTopologySpreadScore, "one constraint on node, no existing pods"
    SpreadScoreCase(
        name: "one constraint on node, no existing pods", pod: Spread.incoming(Spread.soft(1, h)),
        nodes: ["node-a", "node-b"].map(hostNode), want: ["node-a": 100, "node-b": 100]),
    // TestPodTopologySpreadScore, "one constraint on node, only one node is candidate"
    SpreadScoreCase(
        name: "one constraint on node, only one node is candidate", pod: Spread.incoming(Spread.soft(1, h)),
        nodes: ["node-a", "node-b"].map(hostNode),
        existing: Spread.existing("node-a", 2) + Spread.existing("node-b"),
        candidates: ["node-a"], want: ["node-a": 100]),
    // TestPodTopologySpreadScore, "one constraint on node, all 4 nodes are candidates" (spread 2/1/0/3)
    SpreadScoreCase(
        name: "one constraint on node, all 4 nodes are candidates", pod: Spread.incoming(Spread.soft(1, h)),
        nodes: abcd, existing: Spread.existing("node-a", 2) + Spread.existing("node-b") + Spread.existing("node-d", 3),
        want: ["node-a": 20, "node-b": 60, "node-c": 100, "node-d": 0]),
    // TestPodTopologySpreadScore, "one constraint on node, null selector": matches no pod.
    SpreadScoreCase(
        name: "one constraint on node, null selector", pod: Spread.incoming(Spread.soft(1, h, exists: nil)),
        nodes: abcd, existing: Spread.existing("node-a", 2) + Spread.existing("node-b") + Spread.existing("node-d", 3),
        want: ["node-a": 100, "node-b": 100, "node-c": 100, "node-d": 100]),
    // TestPodTopologySpreadScore, "one constraint on node, all 4 nodes are candidates, maxSkew=2"
    SpreadScoreCase(
        name: "one constraint on node, all 4 nodes are candidates, maxSkew=2", pod: Spread.incoming(Spread.soft(2, h)),
        nodes: abcd, existing: Spread.existing("node-a", 2) + Spread.existing("node-b") + Spread.existing("node-d", 3),
        want: ["node-a": 33, "node-b": 66, "node-c": 100, "node-d": 16]),
    // TestPodTopologySpreadScore, "one constraint on node, all 4 nodes are candidates, maxSkew=3" (spread 4/3/2/1)
    SpreadScoreCase(
        name: "one constraint on node, all 4 nodes are candidates, maxSkew=3", pod: Spread.incoming(Spread.soft(3, h)),
        nodes: abcd,
        existing: Spread.existing("node-a", 4) + Spread.existing("node-b", 3) + Spread.existing("node-c", 2)
            + Spread.existing("node-d"),
        want: ["node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100]),
    // TestPodTopologySpreadScore, "system defaulting, nodes don't have zone, pods match service": the default
    // hostname (maxSkew 3) and zone (maxSkew 5) constraints with the Service's selector.
    SpreadScoreCase(
        name: "system defaulting, nodes don't have zone, pods match service", pod: Spread.incoming(),
        nodes: abcd,
        existing: Spread.existing("node-a", 4) + Spread.existing("node-b", 3) + Spread.existing("node-c", 2)
            + Spread.existing("node-d"),
        services: [Service(metadata: ObjectMeta(name: "svc"), selector: ["foo": ""])],
        want: ["node-a": 44, "node-b": 66, "node-c": 77, "node-d": 100]),
    // TestPodTopologySpreadScore, "one constraint on node, 3 out of 4 nodes are candidates" (4/2/1/~3~)
    SpreadScoreCase(
        name: "one constraint on node, 3 out of 4 nodes are candidates", pod: Spread.incoming(Spread.soft(1, h)),
        nodes: ["node-a", "node-b", "node-x", "node-y"].map(hostNode),
        existing: Spread.existing("node-a", 4) + Spread.existing("node-b", 2) + Spread.existing("node-x")
            + Spread.existing("node-y", 3),
        candidates: ["node-a", "node-b", "node-x"], want: ["node-a": 33, "node-b": 83, "node-x": 100]),
    // TestPodTopologySpreadScore, "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match
    // topology key": node-b is ignored and scores 0.
    SpreadScoreCase(
        name: "3 out of 4 nodes are candidates, one node doesn't match topology key",
        pod: Spread.incoming(Spread.soft(1, h)),
        nodes: [hostNode("node-a"), Spread.node("node-b", ["n": "node-b"]), hostNode("node-x"), hostNode("node-y")],
        existing: Spread.existing("node-a", 4) + Spread.existing("node-b", 2) + Spread.existing("node-x")
            + Spread.existing("node-y", 3),
        candidates: ["node-a", "node-b", "node-x"], want: ["node-a": 16, "node-b": 0, "node-x": 100]),
    // TestPodTopologySpreadScore, "one constraint on zone, 3 out of 4 nodes are candidates"
    SpreadScoreCase(
        name: "one constraint on zone, 3 out of 4 nodes are candidates", pod: Spread.incoming(Spread.soft(1, "zone")),
        nodes: [
            zoneNode("node-a", "zone1"), zoneNode("node-b", "zone1"), zoneNode("node-x", "zone2"),
            zoneNode("node-y", "zone2"),
        ],
        existing: Spread.existing("node-a", 4) + Spread.existing("node-b", 2) + Spread.existing("node-x")
            + Spread.existing("node-y", 3),
        candidates: ["node-a", "node-b", "node-x"], want: ["node-a": 75, "node-b": 75, "node-x": 100]),
    // TestPodTopologySpreadScore, "two Constraints on zone and node, 2 out of 4 nodes are candidates"
    SpreadScoreCase(
        name: "two Constraints on zone and node, 2 out of 4 nodes are candidates",
        pod: Spread.incoming(Spread.soft(1, "zone"), Spread.soft(1, h)),
        nodes: [
            zoneNode("node-a", "zone1"), zoneNode("node-b", "zone1"), zoneNode("node-x", "zone2"),
            zoneNode("node-y", "zone2"),
        ],
        existing: Spread.existing("node-a", 2) + Spread.existing("node-b") + Spread.existing("node-x", 2)
            + Spread.existing("node-y", 4),
        candidates: ["node-a", "node-x"], want: ["node-a": 100, "node-x": 63]),
    // TestPodTopologySpreadScore, "two Constraints on zone and node, with different labelSelectors"
    SpreadScoreCase(
        name: "two Constraints on zone and node, with different labelSelectors",
        pod: Spread.incoming(labels: ["foo": "", "bar": ""], Spread.soft(1, "zone"), Spread.soft(1, h, exists: "bar")),
        nodes: [
            zoneNode("node-a", "zone1"), zoneNode("node-b", "zone1"), zoneNode("node-x", "zone2"),
            zoneNode("node-y", "zone2"),
        ],
        existing: Spread.existing("node-a") + Spread.existing("node-b", labels: ["foo": "", "bar": ""])
            + Spread.existing("node-y") + Spread.existing("node-y", labels: ["bar": ""]),
        want: ["node-a": 60, "node-b": 20, "node-x": 100, "node-y": 60]),
    // TestPodTopologySpreadScore, "existing pods in a different namespace do not count"
    SpreadScoreCase(
        name: "existing pods in a different namespace do not count", pod: Spread.incoming(Spread.soft(1, h)),
        nodes: ["node-a", "node-b"].map(hostNode),
        existing: Spread.existing("node-a", namespace: "ns1", name: "p-a1") + Spread.existing("node-a")
            + Spread.existing("node-b", 2),
        want: ["node-a": 100, "node-b": 33]),
    // TestPodTopologySpreadScore, "terminating Pods should be excluded"
    SpreadScoreCase(
        name: "terminating Pods should be excluded", pod: Spread.incoming(Spread.soft(1, h)),
        nodes: ["node-a", "node-b"].map(hostNode),
        existing: Spread.existing("node-a", name: "p-a") + Spread.existing("node-b", name: "p-b"),
        terminating: ["p-a"], want: ["node-a": 100, "node-b": 0]),
    // TestPodTopologySpreadScore, "minDomains has no effect when ScheduleAnyway"
    SpreadScoreCase(
        name: "minDomains has no effect when ScheduleAnyway", pod: Spread.incoming(Spread.soft(2, "node", minDomains: 10)),
        nodes: ["node-a", "node-b", "node-c"].map { Spread.node($0, ["node": $0]) },
        existing: Spread.existing("node-a", 2) + Spread.existing("node-b", 2) + Spread.existing("node-c"),
        want: ["node-a": 75, "node-b": 75, "node-c": 100]),
    // TestPodTopologySpreadScore, "NodeAffinityPolicy honoed with labelSelectors": node-c's pods are not counted.
    SpreadScoreCase(
        name: "NodeAffinityPolicy honored with labelSelectors",
        pod: Spread.incoming(nodeSelector: ["foo": ""], Spread.soft(1, "node")),
        nodes: [
            Spread.node("node-a", ["node": "node-a", "foo": ""]), Spread.node("node-b", ["node": "node-b", "foo": ""]),
            Spread.node("node-c", ["node": "node-c"]),
        ],
        existing: Spread.existing("node-a", 2) + Spread.existing("node-b") + Spread.existing("node-c"),
        want: ["node-a": 0, "node-b": 33, "node-c": 100]),
    // TestPodTopologySpreadScore, "NodeAffinityPolicy ignored with labelSelectors"
    SpreadScoreCase(
        name: "NodeAffinityPolicy ignored with labelSelectors",
        pod: Spread.incoming(nodeSelector: ["foo": ""], Spread.soft(1, "node", nodeAffinityPolicy: "Ignore")),
        nodes: [
            Spread.node("node-a", ["node": "node-a", "foo": ""]), Spread.node("node-b", ["node": "node-b", "foo": ""]),
            Spread.node("node-c", ["node": "node-c"]),
        ],
        existing: Spread.existing("node-a", 2) + Spread.existing("node-b") + Spread.existing("node-c"),
        want: ["node-a": 66, "node-b": 100, "node-c": 100]),
    // TestPodTopologySpreadScore, "NodeTaintsPolicy honored"
    SpreadScoreCase(
        name: "NodeTaintsPolicy honored", pod: Spread.incoming(Spread.soft(1, "node", nodeTaintsPolicy: "Honor")),
        nodes: [
            Spread.node("node-a", ["node": "node-a"]), Spread.node("node-b", ["node": "node-b"]),
            Spread.node("node-c", ["node": "node-c"], taints: Spread.unschedulableTaint),
        ],
        existing: Spread.existing("node-a", 2) + Spread.existing("node-b") + Spread.existing("node-c"),
        want: ["node-a": 0, "node-b": 33, "node-c": 100]),
    // TestPodTopologySpreadScore, "matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty"
    SpreadScoreCase(
        name: "matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty",
        pod: Spread.incoming(
            labels: ["foo": "", "bar": "", "baz": ""], Spread.soft(1, "zone"),
            Spread.soft(1, h, exists: "bar", matchLabelKeys: ["baz"])),
        nodes: [
            zoneNode("node-a", "zone1"), zoneNode("node-b", "zone1"), zoneNode("node-c", "zone2"),
            zoneNode("node-d", "zone2"),
        ],
        existing: Spread.existing("node-a") + Spread.existing("node-b", labels: ["foo": "", "bar": "", "baz": ""])
            + Spread.existing("node-c") + Spread.existing("node-c", labels: ["bar": ""])
            + Spread.existing("node-c", labels: ["bar": "", "baz": ""]),
        want: ["node-a": 60, "node-b": 20, "node-c": 60, "node-d": 100]),
]

@Suite("PodTopologySpread scoring (podtopologyspread/scoring_test.go)")
struct PodTopologySpreadScoringTests {
    @Test(arguments: cases)
    func score(_ c: SpreadScoreCase) {
        let harness = PluginHarness(nodes: c.nodes, pods: c.existing, services: c.services, terminating: c.terminating)
        let plugin = PodTopologySpread(defaultConstraints: [], defaultingType: "System")
        #expect(harness.scores(plugin, c.pod, candidates: c.candidates) == c.want)
    }

    // scoring_test.go TestPreScoreStateEmptyNodes, "normal case": weights ln(2+2) for the two
    // zones and ln(3+2) for the three candidate hostnames; zone counts start at 0.
    @Test func preScoreStateNormalCase() throws {
        let harness = PluginHarness(nodes: [
            zoneNode("node-a", "zone1"), zoneNode("node-b", "zone1"), zoneNode("node-x", "zone2"),
        ])
        let state = CycleState()
        let pod = harness.incoming(Spread.incoming(Spread.soft(1, "zone"), Spread.soft(1, h)))
        let plugin = PodTopologySpread(defaultConstraints: [], defaultingType: "List")
        _ = harness.scores(plugin, pod, state: state)
        let s = try #require(state.topologySpreadScore)
        #expect(s.ignoredNodes.isEmpty)
        #expect(s.counts[0] == ["zone1": 0, "zone2": 0])
        #expect(s.weights == [log(4.0), log(5.0)])
    }

    // TestPreScoreStateEmptyNodes, "node-x doesn't have label zone": with the pod's own
    // constraints every topology key is required, so node-x is ignored.
    @Test func preScoreStateIgnoresNodesWithoutTheKeys() throws {
        let harness = PluginHarness(nodes: [zoneNode("node-a", "zone1"), zoneNode("node-b", "zone1"), hostNode("node-x")])
        let state = CycleState()
        let pod = harness.incoming(Spread.incoming(Spread.soft(1, "zone"), Spread.soft(1, h, exists: "bar")))
        _ = harness.scores(PodTopologySpread(defaultConstraints: [], defaultingType: "List"), pod, state: state)
        let s = try #require(state.topologySpreadScore)
        #expect(s.ignoredNodes == ["node-x"])
        #expect(s.counts[0] == ["zone1": 0])
        #expect(s.weights == [log(3.0), log(4.0)])
    }

    // TestPreScoreStateEmptyNodes, "system default constraints and a replicaset": with the system
    // defaults nodes without a zone are not ignored; they form one more zone (the empty value),
    // so the zone weight is ln(2+2).
    @Test func preScoreStateSystemDefaultsCountZonelessNodesAsOneZone() throws {
        let rs = Fixture.decode(
            ReplicaSetManifest.self,
            """
            {"metadata": {"name": "rs1", "namespace": "default"},
             "spec": {"replicas": 0, "selector": {"matchExpressions": [{"key": "foo", "operator": "Exists"}]},
                      "template": {"metadata": {"labels": {"foo": "tar"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}}}
            """)
        let zone = "topology.kubernetes.io/zone"
        let harness = PluginHarness(
            nodes: [
                Spread.node("node-a", [h: "node-a", zone: "mars"]), Spread.node("node-b", [h: "node-b", zone: "mars"]),
                Spread.node("node-c", [h: "node-c"]), Spread.node("node-d", [h: "node-d"]),
            ],
            replicaSets: [rs])
        let state = CycleState()
        let pod = harness.incoming(Fixture.pod("p", labels: ["foo": "tar", "baz": "sup"]), owner: .replicaSet(0))
        _ = harness.scores(PodTopologySpread(defaultConstraints: [], defaultingType: "System"), pod, state: state)
        let s = try #require(state.topologySpreadScore)
        #expect(s.constraints.map(\.topologyKey) == [h, zone])
        #expect(s.constraints.map(\.maxSkew) == [3, 5])
        #expect(s.ignoredNodes.isEmpty)
        #expect(s.counts[1] == ["mars": 0, "": 0])
        #expect(s.weights == [log(6.0), log(4.0)])
    }
}
