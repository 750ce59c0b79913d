import KubeModel
import Testing

@testable import Simulation

// TaintToleration, against pkg/scheduler/framework/plugins/tainttoleration/taint_toleration_test.go
// (TestTaintTolerationScore, TestTaintTolerationFilter).

private func taint(_ key: String, _ value: String, _ effect: TaintEffect) -> Taint {
    Taint(key: key, value: value, effect: effect)
}
private func tol(_ key: String, _ op: Toleration.Operator = .Equal, _ value: String = "", _ effect: TaintEffect? = nil)
    -> Toleration
{
    Toleration(key: key, operator: op, value: value, effect: effect)
}

struct TaintScoreCase: Sendable, CustomTestStringConvertible {
    var name: String
    var tolerations: [Toleration]
    var nodes: [(String, [Taint])]
    var want: [String: Int64]
    var testDescription: String { name }
}

private let scoreCases: [TaintScoreCase] = [
    // taint_toleration_test.go TestTaintTolerationScore, "node with taints tolerated by the pod, gets a higher score
    // than those node with intolerable taints"
    TaintScoreCase(
        name: "node with taints tolerated by the pod gets a higher score",
        tolerations: [tol("foo", .Equal, "bar", .PreferNoSchedule)],
        nodes: [("nodeA", [taint("foo", "bar", .PreferNoSchedule)]), ("nodeB", [taint("foo", "blah", .PreferNoSchedule)])],
        want: ["nodeA": 100, "nodeB": 0]),
    // TestTaintTolerationScore, "the nodes that all of their taints are tolerated by the pod, get the same score, no
    // matter how many tolerable taints a node has": all raw scores 0, reverse normalisation gives 100.
    TaintScoreCase(
        name: "all taints tolerated: same score however many taints",
        tolerations: [tol("cpu-type", .Equal, "arm64", .PreferNoSchedule), tol("disk-type", .Equal, "ssd", .PreferNoSchedule)],
        nodes: [
            ("nodeA", []), ("nodeB", [taint("cpu-type", "arm64", .PreferNoSchedule)]),
            ("nodeC", [taint("cpu-type", "arm64", .PreferNoSchedule), taint("disk-type", "ssd", .PreferNoSchedule)]),
        ],
        want: ["nodeA": 100, "nodeB": 100, "nodeC": 100]),
    // TestTaintTolerationScore, "the more intolerable taints a node has, the lower score it gets."
    TaintScoreCase(
        name: "the more intolerable taints a node has, the lower score it gets",
        tolerations: [tol("foo", .Equal, "bar", .PreferNoSchedule)],
        nodes: [
            ("nodeA", []), ("nodeB", [taint("cpu-type", "arm64", .PreferNoSchedule)]),
            ("nodeC", [taint("cpu-type", "arm64", .PreferNoSchedule), taint("disk-type", "ssd", .PreferNoSchedule)]),
        ],
        want: ["nodeA": 100, "nodeB": 50, "nodeC": 0]),
    // TestTaintTolerationScore, "only taints and tolerations that have effect PreferNoSchedule are checked by
    // taints-tolerations priority function"
    TaintScoreCase(
        name: "only PreferNoSchedule taints and tolerations count",
        tolerations: [tol("cpu-type", .Equal, "arm64", .NoSchedule), tol("disk-type", .Equal, "ssd", .NoSchedule)],
        nodes: [
            ("nodeA", []), ("nodeB", [taint("cpu-type", "arm64", .NoSchedule)]),
            ("nodeC", [taint("cpu-type", "arm64", .PreferNoSchedule), taint("disk-type", "ssd", .PreferNoSchedule)]),
        ],
        want: ["nodeA": 100, "nodeB": 100, "nodeC": 0]),
    // TestTaintTolerationScore, "Default behaviour No taints and tolerations, lands on node with no taints"
    TaintScoreCase(
        name: "no tolerations: lands on the node without taints",
        tolerations: [],
        nodes: [("nodeA", []), ("nodeB", [taint("cpu-type", "arm64", .PreferNoSchedule)])],
        want: ["nodeA": 100, "nodeB": 0]),
]

struct TaintFilterCase: Sendable, CustomTestStringConvertible {
    var name: String
    var tolerations: [Toleration]
    var taints: [Taint]
    /// nil: the node fits; else UnschedulableAndUnresolvable with this reason.
    var reason: String?
    var testDescription: String { name }
}

private let filterCases: [TaintFilterCase] = [
    // taint_toleration_test.go TestTaintTolerationFilter, "A pod having no tolerations can't be scheduled onto a node
    // with nonempty taints"
    TaintFilterCase(
        name: "no tolerations, NoSchedule taint", tolerations: [],
        taints: [taint("dedicated", "user1", .NoSchedule)], reason: "node(s) had untolerated taint {dedicated: user1}"),
    // TestTaintTolerationFilter, "A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule"
    TaintFilterCase(
        name: "toleration matches the dedicated taint", tolerations: [tol("dedicated", .Equal, "user1", .NoSchedule)],
        taints: [taint("dedicated", "user1", .NoSchedule)], reason: nil),
    // TestTaintTolerationFilter, "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule"
    TaintFilterCase(
        name: "toleration for another value", tolerations: [tol("dedicated", .Equal, "user2", .NoSchedule)],
        taints: [taint("dedicated", "user1", .NoSchedule)], reason: "node(s) had untolerated taint {dedicated: user1}"),
    // TestTaintTolerationFilter, "A pod can be scheduled onto the node, with a toleration uses operator Exists that
    // tolerates the taints on the node"
    TaintFilterCase(
        name: "Exists toleration", tolerations: [tol("foo", .Exists, "", .NoSchedule)],
        taints: [taint("foo", "bar", .NoSchedule)], reason: nil),
    // TestTaintTolerationFilter, "A pod has multiple tolerations, node has multiple taints, all the taints are
    // tolerated, pod can be scheduled onto the node"
    TaintFilterCase(
        name: "multiple tolerations cover multiple taints",
        tolerations: [tol("dedicated", .Equal, "user2", .NoSchedule), tol("foo", .Exists, "", .NoSchedule)],
        taints: [taint("dedicated", "user2", .NoSchedule), taint("foo", "bar", .NoSchedule)], reason: nil),
    // TestTaintTolerationFilter, "A pod has a toleration that keys and values match the taint on the node, but
    // (non-empty) effect doesn't match, can't be scheduled onto the node"
    TaintFilterCase(
        name: "effect mismatch", tolerations: [tol("foo", .Equal, "bar", .PreferNoSchedule)],
        taints: [taint("foo", "bar", .NoSchedule)], reason: "node(s) had untolerated taint {foo: bar}"),
    // TestTaintTolerationFilter, "The pod has a toleration that keys and values match the taint on the node, the effect
    // of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node"
    TaintFilterCase(
        name: "empty toleration effect matches every effect", tolerations: [tol("foo", .Equal, "bar")],
        taints: [taint("foo", "bar", .NoSchedule)], reason: nil),
    // TestTaintTolerationFilter, "The pod has no toleration, but the effect of taint on node is PreferNoSchedule.
    // Pod can be scheduled onto the node"
    TaintFilterCase(
        name: "PreferNoSchedule taints do not filter", tolerations: [],
        taints: [taint("dedicated", "user1", .PreferNoSchedule)], reason: nil),
]

@Suite("TaintToleration (taint_toleration_test.go)")
struct TaintTolerationTests {
    @Test(arguments: scoreCases)
    func score(_ c: TaintScoreCase) {
        let h = PluginHarness(nodes: c.nodes.map { Fixture.node($0.0, taints: $0.1) })
        #expect(h.scores(TaintToleration(), Fixture.pod("pod1", tolerations: c.tolerations)) == c.want)
    }

    @Test(arguments: filterCases)
    func filter(_ c: TaintFilterCase) {
        let h = PluginHarness(nodes: [Fixture.node("nodeA", taints: c.taints)])
        let failure = h.failures(TaintToleration(), h.incoming(Fixture.pod("pod1", tolerations: c.tolerations)))["nodeA"]!
        #expect(failure?.reasons == c.reason.map { [$0] })
        #expect(Verdict(failure) == (c.reason == nil ? .success : .unresolvable))
    }

    /// The score through `explain`, where every node passes the filters (PreferNoSchedule only).
    @Test func explainScores() throws {
        let c = scoreCases[2]
        let h = PluginHarness(nodes: c.nodes.map { Fixture.node($0.0, taints: $0.1) })
        #expect(try h.explainScores("TaintToleration", Fixture.pod("pod1", tolerations: c.tolerations)) == c.want)
    }
}
