import KubeModel
import Testing

@testable import Simulation

// InterPodAffinity filtering, against pkg/scheduler/framework/plugins/interpodaffinity/filtering_test.go
// (TestRequiredAffinitySingleNode, TestRequiredAffinityMultipleNodes). Upstream's empty
// namespace is "default" here.

private typealias J = PodAffinityJSON

/// The filter's outcome on a node, with upstream's status code and reason.
enum PodAffinityOutcome: Sendable, CustomStringConvertible {
    case fits, affinity, antiAffinity, existingAntiAffinity

    var verdict: Verdict { self == .fits ? .success : self == .affinity ? .unresolvable : .unschedulable }
    var reason: String? {
        switch self {
        case .fits: nil
        case .affinity: "node(s) didn't match pod affinity rules"
        case .antiAffinity: "node(s) didn't match pod anti-affinity rules"
        case .existingAntiAffinity: "node(s) didn't satisfy existing pods anti-affinity rules"
        }
    }
    var description: String { reason.map { "\(verdict): \($0)" } ?? "Success" }
}

struct PodAffinityFilterCase: Sendable, CustomTestStringConvertible {
    var name: String
    var pod: PodManifest
    var existing: [PodManifest] = []
    var nodes: [(String, [String: String])]
    var want: [String: PodAffinityOutcome]
    var testDescription: String { name }
}

private let podLabel = ["service": "securityscan"], podLabel2 = ["security": "S1"]
private let node1 = [("node1", ["region": "r1", "zone": "z11"])]
/// TestRequiredAffinitySingleNode's existing pod.
private let securityscan = Fixture.pod(labels: podLabel, node: "node1")
private let rgChina = ["region": "China"], rgChinaAzAz1 = ["region": "China", "az": "az1"], rgIndia = ["region": "India"]

private func incoming(
    _ labels: [String: String] = [:], namespace: String = "default",
    affinity: [String] = [], anti: [String] = []
) -> PodManifest {
    Fixture.pod(
        "incoming", namespace: namespace, labels: labels,
        affinity: affinity.isEmpty && anti.isEmpty ? nil : J.affinity(requiredAffinity: affinity, requiredAnti: anti))
}
private func on(_ node: String, _ labels: [String: String] = [:], namespace: String = "default", anti: [String] = [])
    -> PodManifest
{
    Fixture.pod(namespace: namespace, labels: labels, node: node, affinity: anti.isEmpty ? nil : J.affinity(requiredAnti: anti))
}

private let cases: [PodAffinityFilterCase] = [
    // filtering_test.go TestRequiredAffinitySingleNode, "satisfies with requiredDuringSchedulingIgnoredDuringExecution
    // in PodAffinity using In operator that matches the existing pod"
    PodAffinityFilterCase(
        name: "affinity In matches the existing pod",
        pod: incoming(podLabel2, affinity: [J.requiredIn("service", "region", ["securityscan", "value2"])]),
        existing: [securityscan], nodes: node1, want: ["node1": .fits]),
    // TestRequiredAffinitySingleNode, "satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in
    // PodAffinity using not in operator in labelSelector that matches the existing pod"
    PodAffinityFilterCase(
        name: "affinity NotIn matches the existing pod",
        pod: incoming(podLabel2, affinity: [J.requiredNotIn("service", "region", ["securityscan3", "value3"])]),
        existing: [securityscan], nodes: node1, want: ["node1": .fits]),
    // TestRequiredAffinitySingleNode, "Does not satisfy the PodAffinity with labelSelector because of diff Namespace"
    PodAffinityFilterCase(
        name: "affinity does not match a pod in another namespace",
        pod: incoming(
            podLabel2,
            affinity: [
                J.term(
                    [J.expr("service", "In", ["securityscan", "value2"])], "",
                    namespaces: ["DiffNameSpace"])
            ]),
        existing: [on("node1", podLabel, namespace: "ns")], nodes: node1, want: ["node1": .affinity]),
    // TestRequiredAffinitySingleNode, "Doesn't satisfy the PodAffinity because of unmatching labelSelector with the
    // existing pod"
    PodAffinityFilterCase(
        name: "affinity selector matches no pod",
        pod: incoming(podLabel, affinity: [J.requiredIn("service", "", ["antivirusscan", "value2"])]),
        existing: [securityscan], nodes: node1, want: ["node1": .affinity]),
    // TestRequiredAffinitySingleNode, "The labelSelector requirements(items of matchExpressions) are ANDed, the pod
    // cannot schedule onto the node because one of the matchExpression item don't match."
    PodAffinityFilterCase(
        name: "selector requirements are ANDed",
        pod: incoming(
            podLabel2,
            affinity: [
                J.term([J.expr("service", "Exists"), J.expr("wrongkey", "DoesNotExist")], "region"),
                J.term([J.expr("service", "In", ["securityscan2"]), J.expr("service", "NotIn", ["WrongValue"])], "region"),
            ]),
        existing: [securityscan], nodes: node1, want: ["node1": .affinity]),
    // TestRequiredAffinitySingleNode, "satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the
    // existing pod"
    PodAffinityFilterCase(
        name: "affinity satisfied, anti-affinity not",
        pod: incoming(
            podLabel2, affinity: [J.requiredIn("service", "region", ["securityscan", "value2"])],
            anti: [J.requiredIn("service", "zone", ["securityscan", "value2"])]),
        existing: [securityscan], nodes: node1, want: ["node1": .antiAffinity]),
    // TestRequiredAffinitySingleNode, "satisfies the PodAffinity and PodAntiAffinity but doesn't satisfy PodAntiAffinity
    // symmetry with the existing pod"
    PodAffinityFilterCase(
        name: "existing pod's anti-affinity rejects the node",
        pod: incoming(
            podLabel, affinity: [J.requiredIn("service", "region", ["securityscan", "value2"])],
            anti: [J.requiredIn("service", "node", ["antivirusscan", "value2"])]),
        existing: [on("node1", podLabel, anti: [J.requiredIn("service", "zone", ["securityscan", "value2"])])],
        nodes: node1, want: ["node1": .existingAntiAffinity]),
    // TestRequiredAffinitySingleNode, "verify that PodAntiAffinity from existing pod is respected when pod has no
    // AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod"
    PodAffinityFilterCase(
        name: "existing pod's anti-affinity does not match the pod",
        pod: incoming(podLabel),
        existing: [on("node1", podLabel, anti: [J.requiredNotIn("service", "zone", ["securityscan", "value2"])])],
        nodes: node1, want: ["node1": .fits]),
    // TestRequiredAffinitySingleNode, "PodAntiAffinity symmetry check a2: incoming pod and existing pod partially match
    // each other on AffinityTerms"
    PodAffinityFilterCase(
        name: "anti-affinity symmetry a2",
        pod: incoming(podLabel2, anti: [J.requiredExists("security", "zone")]),
        existing: [on("node1", podLabel, anti: [J.requiredExists("service", "zone"), J.requiredExists("security", "zone")])],
        nodes: node1, want: ["node1": .existingAntiAffinity]),
    // filtering_test.go TestRequiredAffinityMultipleNodes, "A pod can be scheduled onto all the nodes that have the
    // same topology key & label value with one of them has an existing pod that matches the affinity rules"
    PodAffinityFilterCase(
        name: "affinity: nodes sharing the matching pod's region fit",
        pod: incoming(affinity: [J.requiredIn("foo", "region", ["bar"])]),
        existing: [on("node1", ["foo": "bar"])],
        nodes: [("node1", rgChina), ("node2", rgChinaAzAz1), ("node3", rgIndia)],
        want: ["node1": .fits, "node2": .fits, "node3": .affinity]),
    // TestRequiredAffinityMultipleNodes, "The affinity rule is to schedule all of the pods of this collection to the
    // same zone. The first pod of the collection should not be blocked from being scheduled onto any node, even
    // there's no existing pod that matches the rule anywhere."
    PodAffinityFilterCase(
        name: "the first pod of a self-affine collection may go anywhere",
        pod: incoming(
            ["foo": "bar", "service": "securityscan"],
            affinity: [J.requiredIn("foo", "zone", ["bar"]), J.requiredIn("service", "zone", ["securityscan"])]),
        existing: [on("nodeA", ["foo": "bar"])],
        nodes: [("nodeA", ["zone": "az1", "hostname": "h1"]), ("nodeB", ["zone": "az2", "hostname": "h2"])],
        want: ["nodeA": .fits, "nodeB": .fits]),
    // TestRequiredAffinityMultipleNodes, "The first pod of the collection can only be scheduled on nodes labelled with
    // the requested topology keys"
    PodAffinityFilterCase(
        name: "the first pod of a collection needs the topology keys on the node",
        pod: incoming(
            ["foo": "bar", "service": "securityscan"],
            affinity: [J.requiredIn("foo", "zone", ["bar"]), J.requiredIn("service", "zone", ["securityscan"])]),
        existing: [on("nodeA", ["foo": "bar"])],
        nodes: [("nodeA", ["zoneLabel": "az1", "hostname": "h1"]), ("nodeB", ["zoneLabel": "az2", "hostname": "h2"])],
        want: ["nodeA": .affinity, "nodeB": .affinity]),
    // TestRequiredAffinityMultipleNodes, "NodeA and nodeB have same topologyKey and label value. NodeA has an existing
    // pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB."
    PodAffinityFilterCase(
        name: "anti-affinity covers the whole region",
        pod: incoming(anti: [J.requiredIn("foo", "region", ["abc"])]),
        existing: [on("nodeA", ["foo": "abc"])],
        nodes: [("nodeA", ["region": "r1", "hostname": "nodeA"]), ("nodeB", ["region": "r1", "hostname": "nodeB"])],
        want: ["nodeA": .antiAffinity, "nodeB": .antiAffinity]),
    // TestRequiredAffinityMultipleNodes, "NodeA and nodeB have same topologyKey and label value. NodeA has an existing
    // pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA, nodeB, but can be scheduled
    // onto nodeC (NodeC has an existing pod that match the inter pod affinity rule but in different namespace)"
    PodAffinityFilterCase(
        name: "anti-affinity across namespaces",
        pod: incoming(["foo": "123"], namespace: "NS1", anti: [J.requiredIn("foo", "region", ["bar"])]),
        existing: [
            on("nodeA", ["foo": "bar"], namespace: "NS1"),
            on("nodeC", namespace: "NS2", anti: [J.requiredIn("foo", "region", ["123"])]),
        ],
        nodes: [("nodeA", rgChina), ("nodeB", rgChinaAzAz1), ("nodeC", rgIndia)],
        want: ["nodeA": .antiAffinity, "nodeB": .antiAffinity, "nodeC": .fits]),
    // TestRequiredAffinityMultipleNodes, "Test existing pod's anti-affinity: if an existing pod has a term with invalid
    // topologyKey, labelSelector of the term is firstly checked, and then topologyKey of the term is also checked"
    PodAffinityFilterCase(
        name: "existing pod's anti-affinity with a topology key no node has",
        pod: incoming(["foo": ""]),
        existing: [on("nodeA", anti: [J.requiredExists("foo", "invalid-node-label")])],
        nodes: [
            ("nodeA", ["region": "r1", "zone": "z1", "hostname": "nodeA"]),
            ("nodeB", ["region": "r1", "zone": "z1", "hostname": "nodeB"]),
        ],
        want: ["nodeA": .fits, "nodeB": .fits]),
]

@Suite("InterPodAffinity filtering (interpodaffinity/filtering_test.go)")
struct InterPodAffinityFilteringTests {
    @Test(arguments: cases)
    func filter(_ c: PodAffinityFilterCase) {
        let h = PluginHarness(nodes: c.nodes.map { Fixture.node($0.0, labels: $0.1) }, pods: c.existing)
        let failures = h.failures(InterPodAffinity(), h.incoming(c.pod))
        #expect(failures.mapValues(Verdict.init) == c.want.mapValues(\.verdict))
        #expect(failures.mapValues { $0?.reasons } == c.want.mapValues { $0.reason.map { [$0] } })
    }
}
