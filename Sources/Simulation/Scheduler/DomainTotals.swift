import KubeModel

/// Matching pods per topology domain for one (namespace, selector) slot and one topology
/// key, kept up to date from the log of nodes whose pods changed, so that the spread
/// plugins read per-domain sums instead of adding up every node of the cluster for
/// every pod.
///
/// A node counts when it has every `required` key; it belongs to the domain of its value
/// of `key`, or, without the key, to the domain of the empty value (PodTopologySpread's
/// system defaults read a missing label as ""). `perNode` is each counted node's own
/// count (what a hostname constraint reads).
struct DomainTotals {
    struct Key: Hashable {
        let slot: Int
        let key: String
        let required: [String]
    }
    /// Per node: its domain (an index into `NodeDomains.values`, or `values.count` for
    /// "no such label" when no node has the empty value), −1 when not counted.
    var domainOf: [Int32] = []
    var sums: [Int] = []
    /// Per domain: some node is counted there.
    var present: [Bool] = []
    var perNode: [Int32] = []
    /// The change-log position up to which the sums are current.
    var cursor = 0
    var nodeCount = 0
}

/// Node indices in the order their pods changed (`podsChanged(onNode:)`), read by every
/// `DomainTotals`; positions are absolute (`base` is the position of the first entry kept).
struct NodeChangeLog {
    var entries: [Int32] = []
    var base = 0
    var end: Int { base + entries.count }

    mutating func append(_ n: Int) {
        // Totals behind the dropped entries rebuild from scratch on their next use.
        if entries.count >= 1 << 16 { base += entries.count; entries.removeAll(keepingCapacity: true) }
        entries.append(Int32(n))
    }
}

extension ClusterSimulation {
    /// The totals of (slot, key, required), brought up to date.
    func domainTotals(slot: Int, namespace: String, selector: LabelSelector, key: String, required: [String]) -> DomainTotals {
        let k = DomainTotals.Key(slot: slot, key: key, required: required)
        let log = scheduler.matchCounts.changeLog
        if let i = scheduler.matchCounts.totalsIndex[k] {
            let t = scheduler.matchCounts.totals[i]
            if t.nodeCount == nodes.count && t.cursor >= log.base {
                if t.cursor < log.end {
                    // Recount the changed nodes (before mutating, so that the totals are not copied).
                    var changes: [(Int, Int32)] = []
                    for e in log.entries[(t.cursor - log.base)...] {
                        let n = Int(e)
                        guard t.domainOf[n] >= 0 else { continue }
                        changes.append((n, Int32(countMatchingPods(namespace: namespace, selector: selector, onNode: n))))
                    }
                    scheduler.matchCounts.totals[i].apply(changes, cursor: log.end)
                }
                if scheduler.matchCounts.verify {
                    let fresh = buildTotals(namespace: namespace, selector: selector, key: key, required: required)
                    precondition(fresh.sums == scheduler.matchCounts.totals[i].sums && fresh.perNode == scheduler.matchCounts.totals[i].perNode,
                                 "DomainTotals: stale sums for \(key)")
                }
                return scheduler.matchCounts.totals[i]
            }
            scheduler.matchCounts.totals[i] = buildTotals(namespace: namespace, selector: selector, key: key, required: required)
            return scheduler.matchCounts.totals[i]
        }
        let t = buildTotals(namespace: namespace, selector: selector, key: key, required: required)
        scheduler.matchCounts.totalsIndex[k] = scheduler.matchCounts.totals.count
        scheduler.matchCounts.totals.append(t)
        return t
    }

    func buildTotals(namespace: String, selector: LabelSelector, key: String, required: [String]) -> DomainTotals {
        let domains = nodeDomains(key)
        let requiredDomains = required.map { nodeDomains($0) }
        let missing = Int32(domains.indexOf[""] ?? Int32(domains.values.count))
        var t = DomainTotals()
        t.nodeCount = nodes.count
        t.cursor = scheduler.matchCounts.changeLog.end
        t.sums = [Int](repeating: 0, count: domains.values.count + 1)
        t.present = [Bool](repeating: false, count: domains.values.count + 1)
        t.perNode = [Int32](repeating: 0, count: nodes.count)
        t.domainOf = [Int32](repeating: -1, count: nodes.count)
        for n in nodes.indices where requiredDomains.allSatisfy({ $0.valueIndex[n] >= 0 }) {
            let v = domains.valueIndex[n]
            let d = v < 0 ? missing : v
            t.domainOf[n] = d
            t.present[Int(d)] = true
            guard !nodes[n].pods.isEmpty else { continue }
            let c = countMatchingPods(namespace: namespace, selector: selector, onNode: n)
            t.perNode[n] = Int32(c)
            t.sums[Int(d)] += c
        }
        return t
    }
}

extension DomainTotals {
    mutating func apply(_ changes: [(Int, Int32)], cursor: Int) {
        for (n, c) in changes {
            sums[Int(domainOf[n])] += Int(c - perNode[n])
            perNode[n] = c
        }
        self.cursor = cursor
    }
}
