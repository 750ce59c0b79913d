import KubeModel
import Testing

@testable import Simulation

// NodeAffinity, against pkg/scheduler/framework/plugins/nodeaffinity/node_affinity_test.go
// (TestNodeAffinity for the filter, TestNodeAffinityPriority for the score). Affinity is
// given as the API's JSON.

private let errReasonPod = "node(s) didn't match Pod's node affinity/selector"
private let errReasonEnforced = "node(s) didn't match scheduler-enforced node affinity"

/// `{"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [terms]}}}`
private func required(_ terms: String) -> String {
    #"{"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": ["# + terms + "]}}}"
}
private func expr(_ key: String, _ op: String, _ values: [String] = []) -> String {
    let v = values.map { "\"\($0)\"" }.joined(separator: ", ")
    return #"{"key": "\#(key)", "operator": "\#(op)", "values": [\#(v)]}"#
}
private func term(_ exprs: String...) -> String { #"{"matchExpressions": ["# + exprs.joined(separator: ", ") + "]}" }
private func fieldTerm(_ exprs: String...) -> String { #"{"matchFields": ["# + exprs.joined(separator: ", ") + "]}" }

struct NodeAffinityFilterCase: Sendable, CustomTestStringConvertible {
    var name: String
    var nodeSelector: [String: String] = [:]
    var affinity: String?
    var nodeName = "node1"
    var labels: [String: String] = [:]
    /// NodeAffinityArgs.addedAffinity, as JSON.
    var added: String?
    /// nil: fits; else UnschedulableAndUnresolvable with this reason.
    var reason: String?
    var testDescription: String { name }
}

private let filterCases: [NodeAffinityFilterCase] = [
    // node_affinity_test.go TestNodeAffinity, "missing labels"
    NodeAffinityFilterCase(name: "missing labels", nodeSelector: ["foo": "bar"], reason: errReasonPod),
    // TestNodeAffinity, "node labels are superset"
    NodeAffinityFilterCase(
        name: "node labels are superset", nodeSelector: ["foo": "bar"], labels: ["foo": "bar", "baz": "blah"]),
    // TestNodeAffinity, "node labels are subset"
    NodeAffinityFilterCase(
        name: "node labels are subset", nodeSelector: ["foo": "bar", "baz": "blah"], labels: ["foo": "bar"],
        reason: errReasonPod),
    // TestNodeAffinity, "Pod with matchExpressions using Gt operator that matches the existing node"
    NodeAffinityFilterCase(
        name: "Gt operator matches", affinity: required(term(expr("kernel-version", "Gt", ["0204"]))),
        labels: ["kernel-version": "0206"]),
    // TestNodeAffinity, "Pod with affinity that don't match node's labels won't schedule onto the node"
    NodeAffinityFilterCase(
        name: "In operator does not match", affinity: required(term(expr("foo", "In", ["value1", "value2"]))),
        labels: ["foo": "bar"], reason: errReasonPod),
    // TestNodeAffinity, "Pod with empty MatchExpressions is not a valid value will match no objects and won't
    // schedule onto the node"
    NodeAffinityFilterCase(
        name: "empty matchExpressions match nothing", affinity: required(term()), labels: ["foo": "bar"],
        reason: errReasonPod),
    // TestNodeAffinity, "Pod with multiple matchExpressions ANDed that doesn't match the existing node"
    NodeAffinityFilterCase(
        name: "matchExpressions are ANDed",
        affinity: required(term(expr("GPU", "Exists"), expr("GPU", "In", ["AMD", "INTER"]))),
        labels: ["GPU": "NVIDIA-GRID-K1"], reason: errReasonPod),
    // TestNodeAffinity, "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will
    // schedule onto the node"
    NodeAffinityFilterCase(
        name: "terms are ORed",
        affinity: required(
            term(expr("foo", "In", ["bar", "value2"])) + ", "
                + term(expr("diffkey", "In", ["wrong", "value2"]))),
        labels: ["foo": "bar"]),
    // TestNodeAffinity, "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that
    // we are deprecating) is not satisfied, won't schedule onto the node"
    NodeAffinityFilterCase(
        name: "nodeSelector not satisfied although affinity is", nodeSelector: ["foo": "bar"],
        affinity: required(term(expr("foo", "Exists"))), labels: ["foo": "barrrrrr"], reason: errReasonPod),
    // TestNodeAffinity, "Pod with an invalid value in Affinity term won't be scheduled onto the node": the term does
    // not parse, so it matches nothing.
    NodeAffinityFilterCase(
        name: "invalid value in a term", affinity: required(term(expr("foo", "NotIn", ["invalid value: ___@#$%^"]))),
        labels: ["foo": "bar"], reason: errReasonPod),
    // TestNodeAffinity, "Pod with matchFields using In operator that does not match the existing node"
    NodeAffinityFilterCase(
        name: "matchFields metadata.name does not match",
        affinity: required(fieldTerm(expr("metadata.name", "In", ["node1"]))), nodeName: "node2",
        reason: errReasonPod),
    // TestNodeAffinity, "Pod with two terms: matchFields does not match, but matchExpressions matches"
    NodeAffinityFilterCase(
        name: "two terms: matchFields does not match, matchExpressions does",
        affinity: required(
            fieldTerm(expr("metadata.name", "In", ["node1"])) + ", "
                + term(expr("foo", "In", ["bar"]))),
        nodeName: "node2", labels: ["foo": "bar"]),
    // TestNodeAffinity, "Matches added affinity but not Pod's node affinity"
    NodeAffinityFilterCase(
        name: "matches added affinity but not the pod's", affinity: required(term(expr("zone", "In", ["bar"]))),
        nodeName: "node2", labels: ["zone": "foo"],
        added: required(fieldTerm(expr("metadata.name", "In", ["node2"]))), reason: errReasonPod),
    // TestNodeAffinity, "Doesn't match added affinity"
    NodeAffinityFilterCase(
        name: "does not match added affinity", nodeName: "node2", labels: ["zone": "foo"],
        added: required(term(expr("zone", "In", ["bar"]))), reason: errReasonEnforced),
]

struct NodeAffinityScoreCase: Sendable, CustomTestStringConvertible {
    var name: String
    var affinity: String?
    var nodes: [(String, [String: String])]
    var added: String?
    /// nil: PreScore skips.
    var want: [String: Int64]?
    var testDescription: String { name }
}

private let label1 = ["foo": "bar"], label2 = ["key": "value"], label3 = ["az": "az1"]
private let label4 = ["abc": "az11", "def": "az22"], label5 = ["foo": "bar", "key": "value", "az": "az1"]
/// A NodeAffinity with preferred terms (the shape of NodeAffinityArgs.addedAffinity).
private func preferredNodeAffinity(_ weighted: [(Int, String)]) -> String {
    let terms = weighted.map { #"{"weight": \#($0.0), "preference": \#($0.1)}"# }.joined(separator: ", ")
    return #"{"preferredDuringSchedulingIgnoredDuringExecution": ["# + terms + "]}"
}
private func preferred(_ weighted: [(Int, String)]) -> String { #"{"nodeAffinity": "# + preferredNodeAffinity(weighted) + "}" }
private let affinity1 = preferred([(2, term(expr("foo", "In", ["bar"])))])
private let affinity2 = preferred([
    (2, term(expr("foo", "In", ["bar"]))), (4, term(expr("key", "In", ["value"]))),
    (5, term(expr("foo", "In", ["bar"]), expr("key", "In", ["value"]), expr("az", "In", ["az1"]))),
])

private let scoreCases: [NodeAffinityScoreCase] = [
    // node_affinity_test.go TestNodeAffinityPriority, "Skip is returned in PreScore when NodeAffinity is nil"
    NodeAffinityScoreCase(name: "Skip is returned in PreScore when NodeAffinity is nil", nodes: [("node1", label1)], want: nil),
    // TestNodeAffinityPriority, "no node matches preferred scheduling requirements in NodeAffinity of pod so all
    // nodes' priority is zero"
    NodeAffinityScoreCase(
        name: "no node matches the preferred terms", affinity: affinity1,
        nodes: [("node1", label4), ("node2", label2), ("node3", label3)],
        want: ["node1": 0, "node2": 0, "node3": 0]),
    // TestNodeAffinityPriority, "only node1 matches the preferred scheduling requirements of pod"
    NodeAffinityScoreCase(
        name: "only node1 matches the preferred terms", affinity: affinity1,
        nodes: [("node1", label1), ("node2", label2), ("node3", label3)],
        want: ["node1": 100, "node2": 0, "node3": 0]),
    // TestNodeAffinityPriority, "all nodes matches the preferred scheduling requirements of pod but with different
    // priorities": raw 2, 11, 4.
    NodeAffinityScoreCase(
        name: "all nodes match with different priorities", affinity: affinity2,
        nodes: [("node1", label1), ("node5", label5), ("node2", label2)],
        want: ["node1": 18, "node5": 100, "node2": 36]),
    // TestNodeAffinityPriority, "added affinity"
    NodeAffinityScoreCase(
        name: "added affinity", nodes: [("node1", label1), ("node2", label2)],
        added: affinity1, want: ["node1": 100, "node2": 0]),
    // TestNodeAffinityPriority, "added affinity and pod has default affinity": raw 2, 3, 5.
    NodeAffinityScoreCase(
        name: "added affinity and pod has default affinity", affinity: affinity1,
        nodes: [("node1", label1), ("node2", label2), ("node3", label5)],
        added: preferred([(3, term(expr("key", "In", ["value"])))]),
        want: ["node1": 40, "node2": 60, "node3": 100]),
]

private func plugin(added: String?) -> NodeAffinityPlugin {
    NodeAffinityPlugin(addedAffinity: added.map { Fixture.decode(Affinity.self, $0).nodeAffinity! })
}

@Suite("NodeAffinity (node_affinity_test.go)")
struct NodeAffinityTests {
    @Test(arguments: filterCases)
    func filter(_ c: NodeAffinityFilterCase) {
        let h = PluginHarness(nodes: [Fixture.node(c.nodeName, labels: c.labels)])
        let pod = Fixture.pod("pod", nodeSelector: c.nodeSelector, affinity: c.affinity)
        let failure = h.failures(plugin(added: c.added), h.incoming(pod))[c.nodeName]!
        #expect(failure?.reasons == c.reason.map { [$0] })
        #expect(Verdict(failure) == (c.reason == nil ? .success : .unresolvable))
    }

    @Test(arguments: scoreCases)
    func score(_ c: NodeAffinityScoreCase) {
        let h = PluginHarness(nodes: c.nodes.map { Fixture.node($0.0, labels: $0.1) })
        #expect(h.scores(plugin(added: c.added), Fixture.pod("pod", affinity: c.affinity)) == c.want)
    }

    /// addedAffinity from a KubeSchedulerConfiguration, and the pod's preferred terms, through
    /// `explain` ("added affinity and pod has default affinity").
    @Test func explainWithConfiguredAddedAffinity() throws {
        let c = scoreCases[5]
        let added = preferredNodeAffinity([(3, term(expr("key", "In", ["value"])))])
        let config = Fixture.decode(
            SchedulerConfiguration.self,
            """
            {"profiles": [{"pluginConfig": [{"name": "NodeAffinity", "args": {"addedAffinity": \(added)}}]}]}
            """)
        let h = PluginHarness(nodes: c.nodes.map { Fixture.node($0.0, labels: $0.1) }, scheduler: config)
        #expect(try h.explainScores("NodeAffinity", Fixture.pod("pod", affinity: c.affinity)) == c.want)
    }
}
