import KubeModel

/// NodeAffinity: `nodeSelector`, required node affinity and the profile's `addedAffinity`
/// must match (filter); the weights of matching preferred terms are summed and
/// normalised (score).
struct NodeAffinityPlugin: FilterPlugin, ScorePlugin {
    let name = "NodeAffinity"
    var addedAffinity: NodeAffinity? = nil

    func filter(_ pod: SimPod, _ node: SimNode, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        if let added = addedAffinity?.required,
           !added.matches(labels: node.labels, fields: Framework.fields(node)) {
            return FilterFailure("node(s) didn't match scheduler-enforced node affinity", unresolvable: true)
        }
        return NodeAffinityPlugin.matches(pod.spec, node)
            ? nil : FilterFailure("node(s) didn't match Pod's node affinity/selector", unresolvable: true)
    }

    /// nodeSelector and required node affinity (`GetRequiredNodeAffinity(pod).Match`).
    static func matches(_ spec: PodSpec, _ node: SimNode) -> Bool {
        for (k, v) in spec.nodeSelector where node.labels[k] != v { return false }
        if let required = spec.affinity?.nodeAffinity?.required {
            return required.matches(labels: node.labels, fields: Framework.fields(node))
        }
        return true
    }

    func preScore(_ pod: SimPod, _ feasible: [SimNode], _ ctx: SchedulingContext, _ state: CycleState) -> Bool {
        !(pod.spec.affinity?.nodeAffinity?.preferred.isEmpty ?? true) || !(addedAffinity?.preferred.isEmpty ?? true)
    }

    func score(_ pod: SimPod, _ node: SimNode, _ ctx: SchedulingContext, _ state: CycleState) -> Int64 {
        var total: Int64 = 0
        let terms = (pod.spec.affinity?.nodeAffinity?.preferred ?? []) + (addedAffinity?.preferred ?? [])
        for term in terms where term.weight != 0 && term.preference.matches(labels: node.labels, fields: Framework.fields(node)) {
            total += Int64(term.weight)
        }
        return total
    }

    func normalize(_ scores: inout [Int64], _ nodes: [SimNode], _ state: CycleState) {
        Framework.defaultNormalize(&scores, reverse: false)
    }
}
