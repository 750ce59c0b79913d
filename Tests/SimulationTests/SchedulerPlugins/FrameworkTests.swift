import Testing

@testable import Simulation

// The framework helpers, against pkg/scheduler/schedule_one_test.go (TestNumFeasibleNodesToFind)
// and pkg/scheduler/framework/plugins/helper/normalize_score_test.go (TestDefaultNormalizeScore).

struct FeasibleNodesCase: Sendable, CustomTestStringConvertible {
    var name: String
    var percentage: Int  // 0: not set (adaptive)
    var nodes: Int
    var want: Int
    var testDescription: String { name }
}

private let feasibleCases: [FeasibleNodesCase] = [
    // schedule_one_test.go TestNumFeasibleNodesToFind, "not set percentageOfNodesToScore and nodes number not more than 50"
    FeasibleNodesCase(
        name: "not set percentageOfNodesToScore and nodes number not more than 50", percentage: 0, nodes: 10, want: 10),
    // TestNumFeasibleNodesToFind, "set percentageOfNodesToScore and nodes number not more than 50"
    FeasibleNodesCase(
        name: "set percentageOfNodesToScore and nodes number not more than 50", percentage: 40, nodes: 10, want: 10),
    // TestNumFeasibleNodesToFind, "not set percentageOfNodesToScore and nodes number more than 50": 50 − 1000/125 = 42%.
    FeasibleNodesCase(
        name: "not set percentageOfNodesToScore and nodes number more than 50", percentage: 0, nodes: 1000, want: 420),
    // TestNumFeasibleNodesToFind, "set percentageOfNodesToScore and nodes number more than 50"
    FeasibleNodesCase(name: "set percentageOfNodesToScore and nodes number more than 50", percentage: 40, nodes: 1000, want: 400),
    // TestNumFeasibleNodesToFind, "not set percentageOfNodesToScore and nodes number more than 50*125": at least 5%.
    FeasibleNodesCase(
        name: "not set percentageOfNodesToScore and nodes number more than 50*125", percentage: 0, nodes: 6000, want: 300),
    // TestNumFeasibleNodesToFind, "set percentageOfNodesToScore and nodes number more than 50*125"
    FeasibleNodesCase(
        name: "set percentageOfNodesToScore and nodes number more than 50*125", percentage: 40, nodes: 6000, want: 2400),
]

struct NormalizeCase: Sendable, CustomTestStringConvertible {
    var reverse: Bool
    var scores: [Int64]
    var want: [Int64]
    var testDescription: String { "\(reverse ? "reverse " : "")\(scores)" }
}

// normalize_score_test.go TestDefaultNormalizeScore, its cases in order; the last two (all
// zero) are the edge the plugins rely on: reverse gives every node the maximum.
private let normalizeCases: [NormalizeCase] = [
    NormalizeCase(reverse: false, scores: [1, 2, 3, 4], want: [25, 50, 75, 100]),
    NormalizeCase(reverse: true, scores: [1, 2, 3, 4], want: [75, 50, 25, 0]),
    NormalizeCase(reverse: false, scores: [1000, 10, 20, 30], want: [100, 1, 2, 3]),
    NormalizeCase(reverse: true, scores: [1000, 10, 20, 30], want: [0, 99, 98, 97]),
    NormalizeCase(reverse: false, scores: [1, 1, 1, 1], want: [100, 100, 100, 100]),
    NormalizeCase(reverse: false, scores: [1000, 1, 1, 1], want: [100, 0, 0, 0]),
    NormalizeCase(reverse: true, scores: [0, 1, 1, 1], want: [100, 0, 0, 0]),
    NormalizeCase(reverse: false, scores: [0, 0, 0, 0], want: [0, 0, 0, 0]),
    NormalizeCase(reverse: true, scores: [0, 0, 0, 0], want: [100, 100, 100, 100]),
]

@Suite("Framework helpers (schedule_one_test.go, normalize_score_test.go)")
struct FrameworkTests {
    @Test(arguments: feasibleCases)
    func numFeasibleNodesToFind(_ c: FeasibleNodesCase) {
        #expect(Framework.numFeasibleNodesToFind(c.nodes, percentage: c.percentage) == c.want)
    }

    @Test(arguments: normalizeCases)
    func defaultNormalize(_ c: NormalizeCase) {
        var scores = c.scores
        Framework.defaultNormalize(&scores, reverse: c.reverse)
        #expect(scores == c.want)
    }
}
