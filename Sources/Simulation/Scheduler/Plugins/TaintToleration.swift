import KubeModel

/// TaintToleration: filter on NoSchedule/NoExecute taints the pod does not tolerate;
/// score = number of PreferNoSchedule taints not tolerated, reverse-normalised.
struct TaintToleration: FilterPlugin, ScorePlugin {
    let name = "TaintToleration"

    func filter(_ pod: SimPod, _ node: SimNode, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        guard let t = pod.tolerations.untolerated(node.taints, effects: [.NoSchedule, .NoExecute]).first else { return nil }
        return FilterFailure("node(s) had untolerated taint {\(t.key): \(t.value)}", unresolvable: true)
    }

    func score(_ pod: SimPod, _ node: SimNode, _ ctx: SchedulingContext, _ state: CycleState) -> Int64 {
        // Only tolerations with an empty or PreferNoSchedule effect count here.
        let relevant = pod.tolerations.filter { $0.effect == nil || $0.effect == .PreferNoSchedule }
        return Int64(node.taints.filter { $0.effect == .PreferNoSchedule && !relevant.tolerate($0) }.count)
    }

    func normalize(_ scores: inout [Int64], _ nodes: [SimNode], _ state: CycleState) {
        Framework.defaultNormalize(&scores, reverse: true)
    }
}
