import KubeModel

/// The counted pods on each node as interned (namespace, labels) sets, with each slot's verdict per
/// set remembered, so that counting for a selector is array reads instead of matching (and hashing)
/// every pod's labels again.
///
/// The pods of one ReplicaSet share one set, so a cluster of 150,000 pods has a few hundred sets.
///
/// Kept current one pod at a time (`MatchCountIndex.podCounted`): a counted pod is a
/// bound, non-terminating one, under the set of its labels when it was last logged.
struct PodLabelSets {
    struct LabelSet: Hashable {
        let namespace: String
        let labels: [String: String]
    }

    var ids: [LabelSet: Int32] = [:]
    var sets: [LabelSet] = []
    /// Per node: the sets of its counted pods (one entry per pod, in no particular order).
    var ofNode: [[Int32]] = []
    /// Per slot, per set: 0 not yet matched, 1 no match, 2 match.
    var verdicts: [[UInt8]] = []
    /// Per pod id: the set it is counted under, −1 when not counted (not bound, terminating
    /// or gone).
    var countedAs: [Int32] = []
    /// Counted pods on all nodes.
    var counted = 0

    mutating func id(namespace: String, labels: [String: String]) -> Int32 {
        let s = LabelSet(namespace: namespace, labels: labels)
        if let i = ids[s] { return i }
        let i = Int32(sets.count)
        ids[s] = i
        sets.append(s)
        return i
    }

    mutating func add(_ set: Int32, toNode n: Int) {
        if n >= ofNode.count { ofNode += Array(repeating: [], count: n + 1 - ofNode.count) }
        ofNode[n].append(set)
        counted += 1
    }

    mutating func remove(_ set: Int32, fromNode n: Int) {
        guard let j = ofNode[n].firstIndex(of: set) else {
            preconditionFailure("PodLabelSets: set \(set) not counted on node \(n)")
        }
        ofNode[n].swapAt(j, ofNode[n].count - 1)
        ofNode[n].removeLast()
        counted -= 1
    }

    /// Whether `selector` (the selector of `slot`) in `namespace` matches the pods of `set`.
    mutating func matches(slot: Int, set: Int32, namespace: String, selector: LabelSelector) -> Bool {
        let i = Int(set)
        var v = verdicts[slot][i]
        if v == 0 {
            v = sets[i].namespace == namespace && selector.matches(sets[i].labels) ? 2 : 1
            verdicts[slot][i] = v
        }
        return v == 2
    }

    /// Sizes the verdicts of `slot` for every set known.
    mutating func prepareVerdicts(slot: Int) {
        while verdicts.count <= slot { verdicts.append([]) }
        if verdicts[slot].count < sets.count {
            verdicts[slot] += Array(repeating: 0, count: sets.count - verdicts[slot].count)
        }
    }

    /// Per node below `nodeCount`: its counted pods in `namespace` that `selector` matches.
    mutating func counts(slot: Int, namespace: String, selector: LabelSelector, nodeCount: Int) -> [Int32] {
        prepareVerdicts(slot: slot)
        var counts = [Int32](repeating: 0, count: nodeCount)
        for n in 0..<min(nodeCount, ofNode.count) {
            var c: Int32 = 0
            for set in ofNode[n] where matches(slot: slot, set: set, namespace: namespace, selector: selector) { c += 1 }
            counts[n] = c
        }
        return counts
    }

    /// Counted pods of node `n` in `namespace` that `selector` matches.
    mutating func count(slot: Int, namespace: String, selector: LabelSelector, onNode n: Int) -> Int {
        guard n < ofNode.count else { return 0 }
        prepareVerdicts(slot: slot)
        var c = 0
        for set in ofNode[n] where matches(slot: slot, set: set, namespace: namespace, selector: selector) { c += 1 }
        return c
    }
}

extension ClusterSimulation {
    /// Non-terminating pods in `namespace` on node `n` that `selector` (the selector of
    /// `slot`) matches, counted from the node's label sets.
    func countMatchingPods(slot: Int, namespace: String, selector: LabelSelector, onNode n: Int) -> Int {
        let c = schedulerCache.matchCounts.labelSets.count(slot: slot, namespace: namespace, selector: selector, onNode: n)
        if schedulerCache.matchCounts.verify {
            precondition(
                c == recountMatchingPods(namespace: namespace, selector: selector, onNode: n),
                "MatchCountIndex: stale pod labels for node \(nodes[n].name)")
        }
        return c
    }
}
