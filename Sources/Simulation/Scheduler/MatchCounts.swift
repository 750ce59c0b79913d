import KubeModel

/// Per (namespace, label selector): how many non-terminating pods on each node match,
/// for PodTopologySpread, without counting every pod of the cluster in every cycle.
///
/// Every change of a pod a count can see — a bind, a deletion (terminating), a removal, a
/// relabel — reaches `ClusterSimulation.podsChanged(onNode:pod:)` (or `removed:`) through
/// the API store's watcher for the indexes (StoreIndexes.swift). It compares the pod's
/// counted label set with the one it was logged under, and logs the difference (one set out, one in) for the
/// per-domain totals and the node's label sets; a node whose counted sets changed moves
/// its version, and a cached per-node count is recounted when its node's version moved
/// since. With `verify`, every count is checked against a full recount (tests run every
/// shipped scenario so).
struct MatchCountIndex {
    struct Key: Hashable {
        let namespace: String
        let selector: LabelSelector
    }

    var nodeVersion: [UInt32] = []
    var slots: [Key: Int] = [:]
    var counts: [[Int32]] = []
    /// Per slot and node, the node version the count is for (UInt32.max: none yet).
    var seen: [[UInt32]] = []
    var verify = false
    /// Per-domain sums kept current from `changeLog` (`domainTotals`).
    var changeLog = CountChangeLog()
    var totalsIndex: [DomainTotals.Key: Int] = [:]
    var totals: [DomainTotals] = []
    /// Per slot, its totals (the first one's per-node counts start a new key's totals; a
    /// refresh recounts once for all of them that are as far in the log).
    var totalsOfSlot: [Int: [Int]] = [:]
    /// The pods of each node as interned label sets (`countMatchingPods`).
    var labelSets = PodLabelSets()

    /// Pod `id` on node `n` is now counted under `set` (−1: not counted).
    mutating func podCounted(_ id: PodID, onNode n: Int, as set: Int32) {
        let slot = id.number
        if slot >= labelSets.countedAs.count {
            // Pod ids only grow: room for many more at once.
            labelSets.countedAs += Array(
                repeating: -1, count: max(slot + 1, 2 * labelSets.countedAs.count) - labelSets.countedAs.count)
        }
        let old = labelSets.countedAs[slot]
        guard old != set else { return }
        if old >= 0 {
            changeLog.append(CountChange(node: Int32(n), set: old, added: false))
            labelSets.remove(old, fromNode: n)
        }
        if set >= 0 {
            changeLog.append(CountChange(node: Int32(n), set: set, added: true))
            labelSets.add(set, toNode: n)
        }
        labelSets.countedAs[slot] = set
        if n >= nodeVersion.count { nodeVersion += Array(repeating: 0, count: n + 1 - nodeVersion.count) }
        nodeVersion[n] &+= 1
        if nodeVersion[n] == .max { nodeVersion[n] = 0 }
    }

    /// The changes logged from `cursor` on whose pods `selector` (of `slot`) matches, as
    /// (node, +1 or −1).
    mutating func matchingChanges(since cursor: Int, slot: Int, namespace: String, selector: LabelSelector) -> [(Int32, Int32)] {
        labelSets.prepareVerdicts(slot: slot)
        var changes: [(Int32, Int32)] = []
        for e in changeLog.entries[(cursor - changeLog.base)...]
        where labelSets.matches(slot: slot, set: e.set, namespace: namespace, selector: selector) {
            changes.append((e.node, e.added ? 1 : -1))
        }
        return changes
    }

    /// The slot of a (namespace, selector), created on first use.
    mutating func slot(namespace: String, selector: LabelSelector) -> Int {
        let key = Key(namespace: namespace, selector: selector)
        if let s = slots[key] { return s }
        slots[key] = counts.count
        counts.append([])
        seen.append([])
        return counts.count - 1
    }
}

extension ClusterSimulation {
    /// `pod` on node `n` was bound, deleted (terminating) or relabelled, and is stored so: it
    /// counts, under the set of its labels, while it is on `n` and not terminating.
    ///
    /// Only a bind or a relabel hashes the labels. (The caller's pod: a copy out of `pods` would
    /// retain every field.)
    func podsChanged(onNode n: Int, pod: SimPod) {
        var set: Int32 = -1
        if pod.node == n && pod.deletionTimestamp == nil {
            set = schedulerCache.matchCounts.labelSets.id(namespace: pod.namespace, labels: pod.labels)
        }
        schedulerCache.matchCounts.podCounted(pod.id, onNode: n, as: set)
    }

    /// Pod `id`, on node `n`, is gone from the API.
    func podsChanged(onNode n: Int, removed id: PodID) { schedulerCache.matchCounts.podCounted(id, onNode: n, as: -1) }

    /// Non-terminating pods in `namespace` on node `n` that `selector` matches (the pods a
    /// spread constraint counts), through the index.
    func matchingPods(slot: Int, namespace: String, selector: LabelSelector, onNode n: Int) -> Int {
        let nodeCount = nodes.count
        if schedulerCache.matchCounts.nodeVersion.count < nodeCount {
            schedulerCache.matchCounts.nodeVersion += Array(
                repeating: 0, count: nodeCount - schedulerCache.matchCounts.nodeVersion.count)
        }
        if schedulerCache.matchCounts.counts[slot].count < nodeCount {
            let missing = nodeCount - schedulerCache.matchCounts.counts[slot].count
            schedulerCache.matchCounts.counts[slot] += Array(repeating: 0, count: missing)
            schedulerCache.matchCounts.seen[slot] += Array(repeating: .max, count: missing)
        }
        let version = schedulerCache.matchCounts.nodeVersion[n]
        if schedulerCache.matchCounts.seen[slot][n] == version {
            let cached = Int(schedulerCache.matchCounts.counts[slot][n])
            if schedulerCache.matchCounts.verify {
                precondition(
                    cached == recountMatchingPods(namespace: namespace, selector: selector, onNode: n),
                    "MatchCountIndex: stale count for node \(nodes[n].name)")
            }
            return cached
        }
        let c = countMatchingPods(slot: slot, namespace: namespace, selector: selector, onNode: n)
        schedulerCache.matchCounts.counts[slot][n] = Int32(c)
        schedulerCache.matchCounts.seen[slot][n] = version
        return c
    }

    /// The same count straight from the pods (what `verify` checks against).
    func recountMatchingPods(namespace: String, selector: LabelSelector, onNode n: Int) -> Int {
        var c = 0
        for id in nodes[n].pods {
            guard let p = pods[id] else { continue }
            if !p.isTerminating && p.namespace == namespace && selector.matches(p.labels) { c += 1 }
        }
        return c
    }
}

/// Per label key, each node's value as an index (−1: the node lacks the key), so that
/// PodTopologySpread adds counts per domain in arrays instead of hashing label values for every
/// node in every cycle.
///
/// Node labels are set when a node is created and not changed afterwards; new nodes are added on
/// the next use (with `verify`, every use rechecks).
struct NodeDomains {
    var valueIndex: [Int32] = []
    var values: [String] = []
    var indexOf: [String: Int32] = [:]
}

extension ClusterSimulation {
    func nodeDomains(_ key: String) -> NodeDomains {
        var d = schedulerCache.nodeDomains[key] ?? NodeDomains()
        if d.valueIndex.count < nodes.count {
            let nodes = self.nodes
            for n in d.valueIndex.count..<nodes.count {
                guard let v = nodes[n].labels[key] else { d.valueIndex.append(-1); continue }
                if let i = d.indexOf[v] { d.valueIndex.append(i); continue }
                d.indexOf[v] = Int32(d.values.count)
                d.valueIndex.append(Int32(d.values.count))
                d.values.append(v)
            }
            schedulerCache.nodeDomains[key] = d
        }
        if schedulerCache.matchCounts.verify {
            for n in nodes.indices {
                let i = d.valueIndex[n]
                precondition(
                    nodes[n].labels[key] == (i < 0 ? nil : d.values[Int(i)]), "NodeDomains: labels of \(nodes[n].name) changed")
            }
        }
        return d
    }
}
