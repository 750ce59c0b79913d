import KubeModel

/// Matching pods per topology domain for one (namespace, selector) slot and one topology
/// key, kept up to date from the log of pods counted in or out, so that the spread
/// plugins read per-domain sums instead of adding up every node of the cluster for
/// every pod.
///
/// A node counts when it has every `required` key; it belongs to the domain of its value
/// of `key`, or, without the key, to the domain of the empty value (PodTopologySpread's
/// system defaults read a missing label as ""). `perNode` is every node's own count
/// (what a hostname constraint reads), counted or not.
struct DomainTotals {
    struct Key: Hashable {
        let slot: Int
        let key: String
        let required: [String]
    }
    let key: Key
    /// Per node: its domain (an index into `NodeDomains.values`, or `values.count` for
    /// "no such label" when no node has the empty value), −1 when not counted.
    var domainOf: [Int32] = []
    var sums: [Int] = []
    /// Per domain: some node is counted there.
    var present: [Bool] = []
    var perNode: [Int32] = []
    /// The change-log position up to which the counts are current.
    var cursor = 0
    var nodeCount = 0
}

/// One pod counted in (`added`) or out of the pods of `set` on `node`, in the order they
/// happened (`podsChanged(onNode:pod:)`, `removed:`), read by every `DomainTotals`.
struct CountChange {
    let node: Int32
    let set: Int32
    let added: Bool
}

/// The count changes, with absolute positions (`base` is the position of the first entry
/// kept).
struct CountChangeLog {
    var entries: [CountChange] = []
    var base = 0
    var end: Int { base + entries.count }

    mutating func append(_ c: CountChange) {
        // Totals behind the dropped entries rebuild from scratch on their next use (as they
        // would anyway, with more entries to read than pods to recount).
        if entries.count >= 1 << 20 { base += entries.count; entries.removeAll(keepingCapacity: true) }
        entries.append(c)
    }
}

extension ClusterSimulation {
    /// The totals of (slot, key, required), brought up to date.
    ///
    /// A slot's first totals for another key start from the per-node counts of one it already has.
    func domainTotals(slot: Int, namespace: String, selector: LabelSelector, key: String, required: [String]) -> DomainTotals {
        let k = DomainTotals.Key(slot: slot, key: key, required: required)
        if let i = schedulerCache.matchCounts.totalsIndex[k] {
            refreshTotals(i, namespace: namespace, selector: selector)
            return schedulerCache.matchCounts.totals[i]
        }
        var counts: [Int32]? = nil
        if let sibling = schedulerCache.matchCounts.totalsOfSlot[slot]?.first {
            refreshTotals(sibling, namespace: namespace, selector: selector)
            counts = schedulerCache.matchCounts.totals[sibling].perNode
        }
        let t = buildTotals(k, namespace: namespace, selector: selector, counts: counts)
        schedulerCache.matchCounts.totalsIndex[k] = schedulerCache.matchCounts.totals.count
        schedulerCache.matchCounts.totalsOfSlot[slot, default: []].append(schedulerCache.matchCounts.totals.count)
        schedulerCache.matchCounts.totals.append(t)
        return t
    }

    /// Applies the changes logged since the totals were current — one verdict read per logged pod,
    /// not a recount of its node — or recounts everything when the nodes changed, the log dropped
    /// entries they had not read, or there are more entries to read than nodes and counted pods to
    /// recount.
    ///
    /// The slot's other totals that are as far in the log take the same changes or the same recount
    /// (a spread constraint per zone and per hostname reads two totals of one slot, one after the
    /// other).
    func refreshTotals(_ i: Int, namespace: String, selector: LabelSelector) {
        // Only scalars of the totals are held here: a copy alive across `apply` would make it
        // copy the arrays.
        let key = schedulerCache.matchCounts.totals[i].key
        let nodeCount = schedulerCache.matchCounts.totals[i].nodeCount, cursor = schedulerCache.matchCounts.totals[i].cursor
        let base = schedulerCache.matchCounts.changeLog.base, end = schedulerCache.matchCounts.changeLog.end
        if nodeCount != nodes.count || cursor < base || end - cursor > nodes.count + schedulerCache.matchCounts.labelSets.counted
        {
            let fresh = buildTotals(key, namespace: namespace, selector: selector, counts: nil)
            for j in schedulerCache.matchCounts.totalsOfSlot[key.slot] ?? []
            where j != i
                && schedulerCache.matchCounts.totals[j].cursor == cursor
                && schedulerCache.matchCounts.totals[j].nodeCount == nodeCount
            {
                let sibling = schedulerCache.matchCounts.totals[j].key
                schedulerCache.matchCounts.totals[j] = buildTotals(
                    sibling, namespace: namespace, selector: selector, counts: fresh.perNode)
            }
            schedulerCache.matchCounts.totals[i] = fresh
        } else if cursor < end {
            let changes = schedulerCache.matchCounts.matchingChanges(
                since: cursor, slot: key.slot, namespace: namespace, selector: selector)
            for j in schedulerCache.matchCounts.totalsOfSlot[key.slot] ?? [i]
            where schedulerCache.matchCounts.totals[j].cursor == cursor
                && schedulerCache.matchCounts.totals[j].nodeCount == nodeCount
            {
                schedulerCache.matchCounts.totals[j].apply(changes, cursor: end)
            }
        }
        if schedulerCache.matchCounts.verify {
            let fresh = buildTotals(key, namespace: namespace, selector: selector, counts: nil)
            precondition(
                fresh.sums == schedulerCache.matchCounts.totals[i].sums
                    && fresh.perNode == schedulerCache.matchCounts.totals[i].perNode,
                "DomainTotals: stale counts for \(key.key)")
        }
    }

    /// Fresh totals; `counts`: every node's count, current, when known.
    func buildTotals(_ k: DomainTotals.Key, namespace: String, selector: LabelSelector, counts: [Int32]?) -> DomainTotals {
        let domains = nodeDomains(k.key)
        let requiredDomains = k.required.map { nodeDomains($0).valueIndex }
        let missing = Int32(domains.indexOf[""] ?? Int32(domains.values.count))
        var t = DomainTotals(key: k)
        t.nodeCount = nodes.count
        t.cursor = schedulerCache.matchCounts.changeLog.end
        t.sums = [Int](repeating: 0, count: domains.values.count + 1)
        t.present = [Bool](repeating: false, count: domains.values.count + 1)
        t.domainOf = [Int32](repeating: -1, count: nodes.count)
        if let counts {
            t.perNode = counts
        } else {
            t.perNode = schedulerCache.matchCounts.labelSets.counts(
                slot: k.slot, namespace: namespace, selector: selector, nodeCount: nodes.count)
            if schedulerCache.matchCounts.verify {
                for n in nodes.indices {
                    precondition(
                        Int(t.perNode[n]) == recountMatchingPods(namespace: namespace, selector: selector, onNode: n),
                        "DomainTotals: stale pod labels for node \(nodes[n].name)")
                }
            }
        }
        nodeLoop: for n in 0..<t.nodeCount {
            for r in requiredDomains where r[n] < 0 { continue nodeLoop }
            let v = domains.valueIndex[n]
            let d = v < 0 ? missing : v
            t.domainOf[n] = d
            t.present[Int(d)] = true
            t.sums[Int(d)] += Int(t.perNode[n])
        }
        return t
    }
}

extension DomainTotals {
    mutating func apply(_ changes: [(Int32, Int32)], cursor: Int) {
        for (n, d) in changes {
            let n = Int(n)
            if domainOf[n] >= 0 { sums[Int(domainOf[n])] += Int(d) }
            perNode[n] += d
        }
        self.cursor = cursor
    }
}
