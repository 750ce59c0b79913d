import KubeModel

/// NodeAffinity: `nodeSelector` and required node affinity must match (filter); the
/// weights of matching preferred terms are summed and normalised (score, weight 2).
struct NodeAffinityPlugin: FilterPlugin, ScorePlugin {
    let name = "NodeAffinity"
    let weight: Int64 = 2

    func filter(_ pod: SimPod, _ node: SimNode) -> String? {
        NodeAffinityPlugin.matches(pod.spec, node) ? nil : "node(s) didn't match Pod's node affinity/selector"
    }

    static func matches(_ spec: PodSpec, _ node: SimNode) -> Bool {
        for (k, v) in spec.nodeSelector where node.labels[k] != v { return false }
        if let required = spec.affinity?.nodeAffinity?.required {
            return required.matches(labels: node.labels, fields: ["metadata.name": node.name])
        }
        return true
    }

    func skip(_ pod: SimPod) -> Bool { pod.spec.affinity?.nodeAffinity?.preferred.isEmpty ?? true }

    func score(_ pod: SimPod, _ node: SimNode) -> Int64 {
        var total: Int64 = 0
        for term in pod.spec.affinity?.nodeAffinity?.preferred ?? []
        where term.weight != 0 && term.preference.matches(labels: node.labels, fields: ["metadata.name": node.name]) {
            total += Int64(term.weight)
        }
        return total
    }

    func normalize(_ scores: inout [Int64]) { Framework.defaultNormalize(&scores, reverse: false) }
}
