import KubeModel

/// TaintToleration: filter on NoSchedule/NoExecute taints the pod does not tolerate;
/// score = number of PreferNoSchedule taints not tolerated, reverse-normalised.
struct TaintToleration: FilterPlugin, ScorePlugin {
    let name = "TaintToleration"

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        // The first NoSchedule/NoExecute taint not tolerated (`untolerated(...).first`, without
        // building the set and the array for every node).
        guard !ctx.nodes[node].taints.isEmpty,
            let t = ctx.nodes[node].taints.first(where: {
                ($0.effect == .NoSchedule || $0.effect == .NoExecute) && !pod.tolerations.tolerate($0)
            })
        else { return nil }
        return FilterFailure("node(s) had untolerated taint {\(t.key): \(t.value)}", unresolvable: true)
    }

    func filterAll(
        _ pod: SimPod, _ nodes: [Int], _ ctx: SchedulingContext, _ state: CycleState, into verdicts: inout FilterVerdicts
    ) {
        for j in nodes.indices where !ctx.nodes[nodes[j]].taints.isEmpty && !verdicts.isRejected(j) {
            if let failure = filter(pod, nodes[j], ctx, state) { verdicts.reject(j, failure, plugin: name) }
        }
    }

    func score(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState, into scores: inout [Int64]) {
        for (j, n) in feasible.enumerated() {
            // Only tolerations with an empty or PreferNoSchedule effect count here.
            var count: Int64 = 0
            if !ctx.nodes[n].taints.isEmpty {
                for taint in ctx.nodes[n].taints where taint.effect == .PreferNoSchedule {
                    if !pod.tolerations.contains(where: {
                        ($0.effect == nil || $0.effect == .PreferNoSchedule) && $0.tolerates(taint)
                    }) {
                        count += 1
                    }
                }
            }
            scores[j] = count
        }
    }

    func normalize(_ scores: inout [Int64], _ feasible: [Int], _ state: CycleState) {
        Framework.defaultNormalize(&scores, reverse: true)
    }
}
