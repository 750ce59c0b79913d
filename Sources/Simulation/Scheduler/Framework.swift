import KubeModel

/// The scheduling-framework shapes (pkg/scheduler/framework): plugins are small values,
/// a filter returns a failure reason or nil, a score plugin scores one node and may
/// normalise the scores of all feasible nodes.
protocol FilterPlugin {
    var name: String { get }
    /// nil when the node passes; else the reason, as kube-scheduler words it.
    func filter(_ pod: SimPod, _ node: SimNode) -> String?
}

protocol ScorePlugin {
    var name: String { get }
    var weight: Int64 { get }
    /// `PreScore` returning Skip: the plugin contributes nothing for this pod.
    func skip(_ pod: SimPod) -> Bool
    func score(_ pod: SimPod, _ node: SimNode) -> Int64
    func normalize(_ scores: inout [Int64])
}

extension ScorePlugin {
    func skip(_ pod: SimPod) -> Bool { false }
    func normalize(_ scores: inout [Int64]) {}
}

enum Framework {
    static let maxNodeScore: Int64 = 100

    /// `helper.DefaultNormalizeScore(MaxNodeScore, reverse, scores)`.
    static func defaultNormalize(_ scores: inout [Int64], reverse: Bool) {
        let maxCount = scores.max() ?? 0
        if maxCount == 0 {
            if reverse { for i in scores.indices { scores[i] = maxNodeScore } }
            return
        }
        for i in scores.indices {
            var s = maxNodeScore * scores[i] / maxCount
            if reverse { s = maxNodeScore - s }
            scores[i] = s
        }
    }

    /// `numFeasibleNodesToFind` with percentageOfNodesToScore 0 (adaptive): all nodes below
    /// 100; else max(50 − N/125, 5) percent, at least 100 nodes.
    static func numFeasibleNodesToFind(_ n: Int, percentage: Int = 0) -> Int {
        if n < 100 { return n }
        var pct = percentage
        if pct == 0 { pct = max(50 - n / 125, 5) }
        return max(n * pct / 100, 100)
    }
}
