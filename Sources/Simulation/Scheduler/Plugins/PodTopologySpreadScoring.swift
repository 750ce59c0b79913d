import Foundation
import KubeModel

/// PodTopologySpread's PreScore, Score and NormalizeScore (scoring.go), over node indices:
/// each constraint's domains as label value indices, the matching pods per domain from the
/// kept sums (`DomainTotals`) unless preemption removes pods or the inclusion policies
/// depend on the pod.
extension PodTopologySpread {
    func preScore(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState) -> Bool {
        let cs = constraints(pod, when: "ScheduleAnyway", ctx: ctx)
        guard !cs.isEmpty else { return false }
        // Nodes missing a topology key are ignored, unless the constraints are the system
        // defaults (requireAllTopologies).
        let requireAll = !pod.spec.topologySpreadConstraints.isEmpty || defaultingType != "System"
        let hostname = cs.map { $0.topologyKey == PodTopologySpread.hostnameKey }
        let domains = cs.map { ctx.cluster.nodeDomains($0.topologyKey) }
        // A node without the key (kept only with the system defaults) belongs to the domain
        // of the empty value, as upstream's `node.Labels[key]` reads it (scoring.go
        // initPreScoreState; TestPreScoreStateEmptyNodes "system default constraints and a
        // replicaset": zone-less nodes are one more zone).
        let emptyDomain = domains.map { Int($0.indexOf[""] ?? Int32($0.values.count)) }
        var ignored: [Bool] = []
        var ignoredNodes = Set<String>()
        var tracked = cs.indices.map { hostname[$0] ? [] : [Bool](repeating: false, count: domains[$0].values.count + 1) }
        var trackedList = cs.map { _ in [Int]() }
        for (j, n) in feasible.enumerated() {
            if requireAll && domains.contains(where: { $0.valueIndex[n] < 0 }) {
                if ignored.isEmpty { ignored = [Bool](repeating: false, count: feasible.count) }
                ignored[j] = true
                ignoredNodes.insert(ctx.nodes[n].name)
                continue
            }
            for i in cs.indices where !hostname[i] {
                let v = Int(domains[i].valueIndex[n])
                let d = v < 0 ? emptyDomain[i] : v
                if !tracked[i][d] { tracked[i][d] = true; trackedList[i].append(d) }
            }
        }
        let weights = cs.indices.map { i in
            log(Double((hostname[i] ? feasible.count - ignoredNodes.count : trackedList[i].count) + 2))
        }
        // Matching pods over every node of the domains that the feasible nodes span, and per
        // node for hostname constraints.
        var domainCounts = cs.map { _ in [Int]() }
        var nodeCounts = cs.map { _ in [Int32]() }
        let inclusion = PodTopologySpread.inclusionMatters(cs, pod)
        if ctx.removed.isEmpty && !inclusion {
            let required = requireAll ? Array(Set(cs.map(\.topologyKey))).sorted() : []
            for (i, c) in cs.enumerated() {
                let slot = ctx.cluster.matchCountSlot(namespace: pod.namespace, selector: c.selector)
                if hostname[i] {
                    nodeCounts[i] =
                        ctx.cluster.domainTotals(
                            slot: slot, namespace: pod.namespace, selector: c.selector, key: c.topologyKey,
                            required: [c.topologyKey]
                        ).perNode
                } else {
                    domainCounts[i] =
                        ctx.cluster.domainTotals(
                            slot: slot, namespace: pod.namespace, selector: c.selector, key: c.topologyKey,
                            required: required
                        ).sums
                }
            }
        } else {
            countBySweep(
                pod, cs, feasible, ctx, requireAll: requireAll, inclusion: inclusion, domains: domains,
                emptyDomain: emptyDomain, tracked: tracked, domainCounts: &domainCounts, nodeCounts: &nodeCounts)
        }
        var counts: [Int: [String: Int]] = [:]
        for i in cs.indices where !hostname[i] {
            for d in trackedList[i] {
                counts[i, default: [:]][d < domains[i].values.count ? domains[i].values[d] : ""] = domainCounts[i][d]
            }
        }
        state.topologySpreadScore = TopologySpreadScoreState(
            constraints: cs, ignoredNodes: ignoredNodes, counts: counts, weights: weights, ignored: ignored,
            domainOf: domains.map(\.valueIndex), domainCounts: domainCounts, nodeCounts: nodeCounts)
        return true
    }

    /// The counts by visiting every node with pods (preemption's removed pods, or inclusion
    /// policies that depend on the pod).
    func countBySweep(
        _ pod: SimPod, _ cs: [SpreadConstraint], _ feasible: [Int], _ ctx: SchedulingContext, requireAll: Bool,
        inclusion: Bool, domains: [NodeDomains], emptyDomain: [Int], tracked: [[Bool]],
        domainCounts: inout [[Int]], nodeCounts: inout [[Int32]]
    ) {
        let nodes = ctx.nodes
        let slots =
            ctx.removed.isEmpty
            ? cs.map { ctx.cluster.matchCountSlot(namespace: pod.namespace, selector: $0.selector) } : nil
        func count(_ i: Int, _ n: Int) -> Int {
            if let slots {
                return ctx.cluster.matchingPods(slot: slots[i], namespace: pod.namespace, selector: cs[i].selector, onNode: n)
            }
            var c = 0
            ctx.forEachPod(onNode: n) { p in
                if !p.isTerminating && p.namespace == pod.namespace && cs[i].selector.matches(p.labels) { c += 1 }
            }
            return c
        }
        for (i, c) in cs.enumerated() {
            if c.topologyKey == PodTopologySpread.hostnameKey {
                nodeCounts[i] = [Int32](repeating: 0, count: nodes.count)
                for n in feasible where !nodes[n].pods.isEmpty { nodeCounts[i][n] = Int32(count(i, n)) }
            } else {
                domainCounts[i] = [Int](repeating: 0, count: domains[i].values.count + 1)
            }
        }
        // A node without pods adds nothing: visit only nodes with pods.
        for n in nodes.indices where !nodes[n].pods.isEmpty {
            if requireAll && domains.contains(where: { $0.valueIndex[n] < 0 }) { continue }
            for (i, c) in cs.enumerated() where c.topologyKey != PodTopologySpread.hostnameKey {
                if inclusion && !c.includes(n, ctx, for: pod) { continue }
                let raw = Int(domains[i].valueIndex[n])
                let d = raw < 0 ? emptyDomain[i] : raw
                guard tracked[i][d] else { continue }
                domainCounts[i][d] += count(i, n)
            }
        }
    }

    func score(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState, into scores: inout [Int64]) {
        guard let s = state.topologySpreadScore else {
            for j in feasible.indices { scores[j] = 0 }
            return
        }
        // Constraint by constraint over the nodes: each node's sum adds the constraints' terms
        // in the same order as node by node.
        var sums = [Double](repeating: 0, count: feasible.count)
        for (i, c) in s.constraints.enumerated() {
            let domainOf = s.domainOf[i], weight = s.weights[i], skew = Double(c.maxSkew - 1)
            if c.topologyKey == PodTopologySpread.hostnameKey {
                let counts = s.nodeCounts[i]
                for (j, n) in feasible.enumerated() where domainOf[n] >= 0 { sums[j] += Double(counts[n]) * weight + skew }
            } else {
                let counts = s.domainCounts[i]
                for (j, n) in feasible.enumerated() {
                    let d = domainOf[n]
                    if d >= 0 { sums[j] += Double(counts[Int(d)]) * weight + skew }
                }
            }
        }
        for j in feasible.indices {
            scores[j] = !s.ignored.isEmpty && s.ignored[j] ? 0 : Int64(sums[j].rounded())
        }
    }

    func normalize(_ scores: inout [Int64], _ feasible: [Int], _ state: CycleState) {
        let ignored = state.topologySpreadScore?.ignored ?? []
        var minScore = Int64.max, maxScore: Int64 = 0
        for (i, s) in scores.enumerated() where ignored.isEmpty || !ignored[i] {
            minScore = min(minScore, s); maxScore = max(maxScore, s)
        }
        for i in scores.indices {
            if !ignored.isEmpty && ignored[i] { scores[i] = 0; continue }
            if maxScore == 0 { scores[i] = Framework.maxNodeScore; continue }
            scores[i] = Framework.maxNodeScore * (maxScore + minScore - scores[i]) / maxScore
        }
    }
}
