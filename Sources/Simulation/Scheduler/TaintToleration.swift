import KubeModel

/// TaintToleration: filter on NoSchedule/NoExecute taints the pod does not tolerate;
/// score = number of PreferNoSchedule taints not tolerated, reverse-normalised (weight 3).
struct TaintToleration: FilterPlugin, ScorePlugin {
    let name = "TaintToleration"
    let weight: Int64 = 3

    func filter(_ pod: SimPod, _ node: SimNode) -> String? {
        guard let t = pod.tolerations.untolerated(node.taints, effects: [.NoSchedule, .NoExecute]).first else {
            return nil
        }
        return "node(s) had untolerated taint {\(t.key): \(t.value)}"
    }

    func score(_ pod: SimPod, _ node: SimNode) -> Int64 {
        // Only tolerations with an empty or PreferNoSchedule effect count here.
        let relevant = pod.tolerations.filter { $0.effect == nil || $0.effect == .PreferNoSchedule }
        return Int64(node.taints.filter { $0.effect == .PreferNoSchedule && !relevant.tolerate($0) }.count)
    }

    func normalize(_ scores: inout [Int64]) { Framework.defaultNormalize(&scores, reverse: true) }
}
