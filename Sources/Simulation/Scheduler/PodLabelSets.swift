import KubeModel

/// The pods on each node as interned (namespace, labels) sets, with each slot's verdict
/// per set remembered, so that recounting a node for a selector is array reads instead of
/// matching (and hashing) every pod's labels again. The pods of one ReplicaSet share one
/// set, so a cluster of 150,000 pods has a few hundred sets; with thousands of nodes
/// logged as changed per cycle for every spread selector, the matching was most of a
/// large run.
struct PodLabelSets {
    struct LabelSet: Hashable {
        let namespace: String
        let labels: [String: String]
    }

    var ids: [LabelSet: Int32] = [:]
    var sets: [LabelSet] = []
    /// Per node: the sets of its non-terminating pods (one entry per pod), for the node
    /// version `version[n]` (UInt32.max: none yet).
    var ofNode: [[Int32]] = []
    var version: [UInt32] = []
    /// Per slot, per set: 0 not yet matched, 1 no match, 2 match.
    var verdicts: [[UInt8]] = []
    /// Per pod id, its set (−1: not yet known), so that a node's recount hashes no labels
    /// for the pods it had already; reset when any pod is relabelled (`podLabelsChanged`).
    var setOfPod: [Int32] = []

    mutating func id(namespace: String, labels: [String: String]) -> Int32 {
        let s = LabelSet(namespace: namespace, labels: labels)
        if let i = ids[s] { return i }
        let i = Int32(sets.count)
        ids[s] = i
        sets.append(s)
        return i
    }

    /// Pods of node `n` (whose sets are current) in `namespace` that `selector` matches.
    mutating func count(slot: Int, namespace: String, selector: LabelSelector, onNode n: Int) -> Int {
        while verdicts.count <= slot { verdicts.append([]) }
        if verdicts[slot].count < sets.count {
            verdicts[slot] += Array(repeating: 0, count: sets.count - verdicts[slot].count)
        }
        var c = 0
        for id in ofNode[n] {
            let i = Int(id)
            var v = verdicts[slot][i]
            if v == 0 {
                v = sets[i].namespace == namespace && selector.matches(sets[i].labels) ? 2 : 1
                verdicts[slot][i] = v
            }
            if v == 2 { c += 1 }
        }
        return c
    }
}

extension ClusterSimulation {
    /// Non-terminating pods in `namespace` on node `n` that `selector` (the selector of
    /// `slot`) matches, recounted from the node's label sets.
    func countMatchingPods(slot: Int, namespace: String, selector: LabelSelector, onNode n: Int) -> Int {
        let nodeCount = nodes.count
        if scheduler.matchCounts.nodeVersion.count < nodeCount {
            scheduler.matchCounts.nodeVersion += Array(repeating: 0, count: nodeCount - scheduler.matchCounts.nodeVersion.count)
        }
        if scheduler.matchCounts.labelSets.ofNode.count < nodeCount {
            let missing = nodeCount - scheduler.matchCounts.labelSets.ofNode.count
            scheduler.matchCounts.labelSets.ofNode += Array(repeating: [], count: missing)
            scheduler.matchCounts.labelSets.version += Array(repeating: .max, count: missing)
        }
        let version = scheduler.matchCounts.nodeVersion[n]
        if scheduler.matchCounts.labelSets.version[n] != version {
            if scheduler.matchCounts.labelSets.setOfPod.count < nextPodID {
                let missing = nextPodID - scheduler.matchCounts.labelSets.setOfPod.count
                scheduler.matchCounts.labelSets.setOfPod += Array(repeating: -1, count: missing)
            }
            var entries: [Int32] = []
            for id in nodes[n].pods {
                // Reads single fields in the dictionary's storage: a whole SimPod copy (the
                // spec box, labels, tolerations retained) per pod was a tenth of a large run.
                guard let i = pods.index(forKey: id), pods.values[i].deletionTimestamp == nil else { continue }
                var set = scheduler.matchCounts.labelSets.setOfPod[id]
                if set < 0 {
                    set = scheduler.matchCounts.labelSets.id(namespace: pods.values[i].namespace, labels: pods.values[i].labels)
                    scheduler.matchCounts.labelSets.setOfPod[id] = set
                }
                entries.append(set)
            }
            scheduler.matchCounts.labelSets.ofNode[n] = entries
            scheduler.matchCounts.labelSets.version[n] = version
        }
        let c = scheduler.matchCounts.labelSets.count(slot: slot, namespace: namespace, selector: selector, onNode: n)
        if scheduler.matchCounts.verify {
            precondition(c == recountMatchingPods(namespace: namespace, selector: selector, onNode: n),
                         "MatchCountIndex: stale pod labels for node \(nodes[n].name)")
        }
        return c
    }
}
