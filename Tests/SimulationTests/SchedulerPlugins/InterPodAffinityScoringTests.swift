import KubeModel
import Testing

@testable import Simulation

// InterPodAffinity scoring, against pkg/scheduler/framework/plugins/interpodaffinity/scoring_test.go
// (TestPreferredAffinity with hardPodAffinityWeight 1, and
// TestPreferredAffinityWithHardPodAffinitySymmetricWeight). Normalisation is
// 100 · (s − min) / (max − min), so preferred anti-affinity's negative weights matter only
// relatively. Upstream's empty namespace is "default" here; k3sim has no Namespace objects,
// so the cases that select namespaces by their labels are left out.

private typealias J = PodAffinityJSON

private let rgChina = ["region": "China"], rgIndia = ["region": "India"], azAz1 = ["az": "az1"], azAz2 = ["az": "az2"]
private let rgChinaAzAz1 = ["region": "China", "az": "az1"]
private let s1 = ["security": "S1"], s2 = ["security": "S2"]

private func w(_ weight: Int, _ key: String, _ values: [String], _ topologyKey: String) -> String {
    J.weighted(weight, J.term([J.expr(key, "In", values)], topologyKey))
}
private let stayWithS1InRegion = J.affinity(preferredAffinity: [w(5, "security", ["S1"], "region")])
private let stayWithS2InRegion = J.affinity(preferredAffinity: [w(6, "security", ["S2"], "region")])
private let affinity3 = J.affinity(preferredAffinity: [
    J.weighted(8, J.term([J.expr("security", "NotIn", ["S1"]), J.expr("security", "In", ["S2"])], "region")),
    J.weighted(2, J.term([J.expr("security", "Exists"), J.expr("wrongkey", "DoesNotExist")], "region")),
])
private let hardAffinity = J.affinity(requiredAffinity: [
    J.term([J.expr("security", "In", ["S1", "value2"])], "region"),
    J.term([J.expr("security", "Exists"), J.expr("wrongkey", "DoesNotExist")], "region"),
])
private let awayFromS1InAz = J.affinity(preferredAnti: [w(5, "security", ["S1"], "az")])
private let awayFromS2InAz = J.affinity(preferredAnti: [w(5, "security", ["S2"], "az")])
private let stayWithS1InRegionAwayFromS2InAz = J.affinity(
    preferredAffinity: [w(8, "security", ["S1"], "region")],
    preferredAnti: [w(5, "security", ["S2"], "az")])
/// TestPreferredAffinityWithHardPodAffinitySymmetricWeight's hardPodAffinity (upstream's "" namespace is "default").
private let hardPodAffinity = J.affinity(requiredAffinity: [
    J.term(
        [J.expr("service", "In", ["S1"])], "region", namespaces: ["default", "subteam2.team2"],
        namespaceSelector: #"{"matchExpressions": [{"key": "team", "operator": "In", "values": ["team1"]}]}"#)
])

struct PodAffinityScoreCase: Sendable, CustomTestStringConvertible {
    var name: String
    var pod: PodManifest
    var existing: [PodManifest] = []
    var nodes: [(String, [String: String])]
    var hardPodAffinityWeight: Int64 = 1
    var ignorePreferredTermsOfExistingPods = false
    /// nil: PreScore skips.
    var want: [String: Int64]?
    var testDescription: String { name }
}

private func incoming(_ labels: [String: String] = [:], _ affinity: String? = nil, namespace: String = "default") -> PodManifest {
    Fixture.pod("incoming", namespace: namespace, labels: labels, affinity: affinity)
}
private func on(_ node: String, _ labels: [String: String] = [:], _ affinity: String? = nil) -> PodManifest {
    Fixture.pod(labels: labels, node: node, affinity: affinity)
}

private let cases: [PodAffinityScoreCase] = [
    // scoring_test.go TestPreferredAffinity, "all nodes are same priority as Affinity is nil"
    PodAffinityScoreCase(
        name: "all nodes are same priority as Affinity is nil", pod: incoming(s1),
        nodes: [("node1", rgChina), ("node2", rgIndia), ("node3", azAz1)], want: nil),
    // TestPreferredAffinity, "Affinity: pod that matches topology key & pods in nodes will get high score comparing to
    // others which doesn't match either pods in nodes or in topology key"
    PodAffinityScoreCase(
        name: "affinity: matching topology key and pods gets the high score", pod: incoming(s1, stayWithS1InRegion),
        existing: [on("node1", s1), on("node2", s2), on("node3", s1)],
        nodes: [("node1", rgChina), ("node2", rgIndia), ("node3", azAz1)],
        want: ["node1": 100, "node2": 0, "node3": 0]),
    // TestPreferredAffinity, "All the nodes that have the same topology key & label value with one of them has an
    // existing pod that match the affinity rules, have the same score"
    PodAffinityScoreCase(
        name: "nodes in the same topology domain share the score", pod: incoming([:], stayWithS1InRegion),
        existing: [on("node1", s1)],
        nodes: [("node1", rgChina), ("node2", rgChinaAzAz1), ("node3", rgIndia)],
        want: ["node1": 100, "node2": 100, "node3": 0]),
    // TestPreferredAffinity, "Affinity: nodes in one region has more matching pods comparing to other region, so the
    // region which has more matches will get high score"
    PodAffinityScoreCase(
        name: "the region with more matching pods gets the high score", pod: incoming(s1, stayWithS2InRegion),
        existing: [on("node1", s2), on("node1", s2), on("node2", s2), on("node3", s2), on("node4", s2), on("node5", s2)],
        nodes: [("node1", rgChina), ("node2", rgIndia), ("node3", rgChina), ("node4", rgChina), ("node5", rgIndia)],
        want: ["node1": 100, "node2": 0, "node3": 100, "node4": 100, "node5": 0]),
    // TestPreferredAffinity, "Affinity: different Label operators and values for pod affinity scheduling preference,
    // including some match failures": raw 2, 10, 0.
    PodAffinityScoreCase(
        name: "different label operators and values", pod: incoming(s1, affinity3),
        existing: [on("node1", s1), on("node2", s2), on("node3", s1)],
        nodes: [("node1", rgChina), ("node2", rgIndia), ("node3", azAz1)],
        want: ["node1": 20, "node2": 100, "node3": 0]),
    // TestPreferredAffinity, "Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in
    // pod affinity symmetry"
    PodAffinityScoreCase(
        name: "symmetry of existing pods' preferred affinity", pod: incoming(s2),
        existing: [on("node1", s1, stayWithS1InRegion), on("node2", s2, stayWithS2InRegion)],
        nodes: [("node1", rgChina), ("node2", rgIndia), ("node3", azAz1)],
        want: ["node1": 0, "node2": 100, "node3": 0]),
    // TestPreferredAffinity, "Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod
    // affinity symmetry": existing pods' required terms count with hardPodAffinityWeight.
    PodAffinityScoreCase(
        name: "symmetry of existing pods' required affinity", pod: incoming(s1),
        existing: [on("node1", s1, hardAffinity), on("node2", s2, hardAffinity)],
        nodes: [("node1", rgChina), ("node2", rgIndia), ("node3", azAz1)],
        want: ["node1": 100, "node2": 100, "node3": 0]),
    // TestPreferredAffinity, "Anti Affinity: pod that does not match existing pods in node will get high score "
    PodAffinityScoreCase(
        name: "anti-affinity: the node without matching pods gets the high score", pod: incoming(s1, awayFromS1InAz),
        existing: [on("node1", s1), on("node2", s2)], nodes: [("node1", azAz1), ("node2", rgChina)],
        want: ["node1": 0, "node2": 100]),
    // TestPreferredAffinity, "Anti Affinity: one node has more matching pods comparing to other node, so the node
    // which has more unmatches will get high score"
    PodAffinityScoreCase(
        name: "anti-affinity: more matching pods, lower score", pod: incoming(s1, awayFromS1InAz),
        existing: [on("node1", s1), on("node1", s1), on("node2", s2)], nodes: [("node1", azAz1), ("node2", rgIndia)],
        want: ["node1": 0, "node2": 100]),
    // TestPreferredAffinity, "Anti Affinity symmetry: the existing pods in node which has anti affinity match will get
    // high score"
    PodAffinityScoreCase(
        name: "symmetry of existing pods' preferred anti-affinity", pod: incoming(s2),
        existing: [on("node1", s1, awayFromS2InAz), on("node2", s2, awayFromS1InAz)],
        nodes: [("node1", azAz1), ("node2", azAz2)], want: ["node1": 0, "node2": 100]),
    // TestPreferredAffinity, "Affinity and Anti Affinity: considered only preferredDuringSchedulingIgnoredDuringExecution
    // in both pod affinity & anti affinity"
    PodAffinityScoreCase(
        name: "affinity and anti-affinity together", pod: incoming(s1, stayWithS1InRegionAwayFromS2InAz),
        existing: [on("node1", s1), on("node2", s1)], nodes: [("node1", rgChina), ("node2", azAz1)],
        want: ["node1": 100, "node2": 0]),
    // TestPreferredAffinity, "Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution
    // in both pod affinity & anti affinity & symmetry": weights 8, -5, 8, -5.
    PodAffinityScoreCase(
        name: "affinity, anti-affinity and symmetry together", pod: incoming(s1, stayWithS1InRegionAwayFromS2InAz),
        existing: [
            on("node1", s1), on("node2", s2), on("node3", [:], stayWithS1InRegionAwayFromS2InAz),
            on("node4", [:], awayFromS1InAz),
        ],
        nodes: [("node1", rgChina), ("node2", azAz1), ("node3", rgIndia), ("node4", azAz2)],
        want: ["node1": 100, "node2": 0, "node3": 100, "node4": 0]),
    // TestPreferredAffinity, "Avoid panic when partial nodes in a topology don't have pods with affinity"
    PodAffinityScoreCase(
        name: "partial nodes in a topology without pods with affinity", pod: incoming(s1),
        existing: [on("node1", s1), on("node2", [:], stayWithS1InRegionAwayFromS2InAz)],
        nodes: [("node1", rgChina), ("node2", rgChina)], want: ["node1": 0, "node2": 0]),
    // TestPreferredAffinity, "Ignore preferred terms of existing pods"
    PodAffinityScoreCase(
        name: "Ignore preferred terms of existing pods", pod: incoming(s2),
        existing: [on("node1", s1, stayWithS1InRegionAwayFromS2InAz), on("node2", s2, stayWithS2InRegion)],
        nodes: [("node1", rgChina), ("node2", rgIndia)], ignorePreferredTermsOfExistingPods: true, want: nil),
    // TestPreferredAffinity, "Do not ignore preferred terms of existing pods"
    PodAffinityScoreCase(
        name: "Do not ignore preferred terms of existing pods", pod: incoming(s2),
        existing: [on("node1", s1, stayWithS1InRegionAwayFromS2InAz), on("node2", s2, stayWithS2InRegion)],
        nodes: [("node1", rgChina), ("node2", rgIndia)], want: ["node1": 0, "node2": 100]),
    // TestPreferredAffinityWithHardPodAffinitySymmetricWeight, "with default weight"
    PodAffinityScoreCase(
        name: "hardPodAffinityWeight: with default weight", pod: incoming(["service": "S1"]),
        existing: [on("node1", [:], hardPodAffinity), on("node2", [:], hardPodAffinity)],
        nodes: [("node1", rgChina), ("node2", rgIndia), ("node3", azAz1)],
        want: ["node1": 100, "node2": 100, "node3": 0]),
    // TestPreferredAffinityWithHardPodAffinitySymmetricWeight, "with zero weight"
    PodAffinityScoreCase(
        name: "hardPodAffinityWeight: with zero weight", pod: incoming(["service": "S1"]),
        existing: [on("node1", [:], hardPodAffinity), on("node2", [:], hardPodAffinity)],
        nodes: [("node1", rgChina), ("node2", rgIndia), ("node3", azAz1)], hardPodAffinityWeight: 0, want: nil),
    // TestPreferredAffinityWithHardPodAffinitySymmetricWeight, "with no matching namespace"
    PodAffinityScoreCase(
        name: "hardPodAffinityWeight: with no matching namespace",
        pod: incoming(["service": "S1"], namespace: "subteam1.team2"),
        existing: [on("node1", [:], hardPodAffinity), on("node2", [:], hardPodAffinity)],
        nodes: [("node1", rgChina), ("node2", rgIndia), ("node3", azAz1)], want: nil),
    // TestPreferredAffinityWithHardPodAffinitySymmetricWeight, "with matching Namespaces"
    PodAffinityScoreCase(
        name: "hardPodAffinityWeight: with matching Namespaces",
        pod: incoming(["service": "S1"], namespace: "subteam2.team2"),
        existing: [on("node1", [:], hardPodAffinity), on("node2", [:], hardPodAffinity)],
        nodes: [("node1", rgChina), ("node2", rgIndia), ("node3", azAz1)],
        want: ["node1": 100, "node2": 100, "node3": 0]),
]

@Suite("InterPodAffinity scoring (interpodaffinity/scoring_test.go)")
struct InterPodAffinityScoringTests {
    @Test(arguments: cases)
    func score(_ c: PodAffinityScoreCase) {
        let h = PluginHarness(nodes: c.nodes.map { Fixture.node($0.0, labels: $0.1) }, pods: c.existing)
        let plugin = InterPodAffinity(
            hardPodAffinityWeight: c.hardPodAffinityWeight,
            ignorePreferredTermsOfExistingPods: c.ignorePreferredTermsOfExistingPods)
        #expect(h.scores(plugin, c.pod) == c.want)
    }

    /// InterPodAffinityArgs from a KubeSchedulerConfiguration, through `explain`
    /// ("with zero weight": the existing pods' required terms no longer score, so the plugin is
    /// skipped and explain reports no InterPodAffinity score).
    @Test func explainWithConfiguredHardPodAffinityWeight() throws {
        let c = cases.first { $0.name == "hardPodAffinityWeight: with zero weight" }!
        let config = Fixture.decode(
            SchedulerConfiguration.self,
            """
            {"profiles": [{"pluginConfig": [{"name": "InterPodAffinity", "args": {"hardPodAffinityWeight": 0}}]}]}
            """)
        let nodes = c.nodes.map { Fixture.node($0.0, labels: $0.1) }
        #expect(
            try PluginHarness(nodes: nodes, pods: c.existing, scheduler: config).explainScores("InterPodAffinity", c.pod) == nil)
        #expect(
            try PluginHarness(nodes: nodes, pods: c.existing).explainScores("InterPodAffinity", c.pod)
                == ["node1": 100, "node2": 100, "node3": 0])
    }
}
