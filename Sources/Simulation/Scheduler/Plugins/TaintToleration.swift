import KubeModel

/// TaintToleration: filter on NoSchedule/NoExecute taints the pod does not tolerate;
/// score = number of PreferNoSchedule taints not tolerated, reverse-normalised.
struct TaintToleration: FilterPlugin, ScorePlugin {
    let name = "TaintToleration"

    func filter(_ pod: SimPod, _ node: SimNode, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        // The first NoSchedule/NoExecute taint not tolerated (`untolerated(...).first`, without
        // building the set and the array for every node).
        guard let t = node.taints.first(where: { ($0.effect == .NoSchedule || $0.effect == .NoExecute) && !pod.tolerations.tolerate($0) })
        else { return nil }
        return FilterFailure("node(s) had untolerated taint {\(t.key): \(t.value)}", unresolvable: true)
    }

    func score(_ pod: SimPod, _ node: SimNode, _ ctx: SchedulingContext, _ state: CycleState) -> Int64 {
        // Only tolerations with an empty or PreferNoSchedule effect count here.
        var count: Int64 = 0
        for taint in node.taints where taint.effect == .PreferNoSchedule {
            if !pod.tolerations.contains(where: { ($0.effect == nil || $0.effect == .PreferNoSchedule) && $0.tolerates(taint) }) { count += 1 }
        }
        return count
    }

    func normalize(_ scores: inout [Int64], _ nodes: [SimNode], _ state: CycleState) {
        Framework.defaultNormalize(&scores, reverse: true)
    }
}
