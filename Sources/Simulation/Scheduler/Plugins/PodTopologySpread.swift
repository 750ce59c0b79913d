import Foundation
import KubeModel

/// One spread constraint with its selector resolved (matchLabelKeys merged in).
struct SpreadConstraint {
    let maxSkew: Int
    let topologyKey: String
    let selector: LabelSelector
    let minDomains: Int
    let honorNodeAffinity: Bool
    let honorNodeTaints: Bool

    /// `MatchNodeInclusionPolicies`: nodeAffinityPolicy Honor (default) counts only nodes the
    /// pod's node affinity allows; nodeTaintsPolicy Honor (default Ignore) only nodes whose
    /// taints it tolerates.
    func includes(_ n: Int, _ ctx: SchedulingContext, for pod: SimPod) -> Bool {
        if honorNodeAffinity && !NodeAffinityPlugin.matches(pod.spec, labels: ctx.nodes[n].labels, name: ctx.nodes[n].name) {
            return false
        }
        if honorNodeTaints
            && ctx.nodes[n].taints.contains(where: {
                ($0.effect == .NoSchedule || $0.effect == .NoExecute) && !pod.tolerations.tolerate($0)
            })
        {
            return false
        }
        return true
    }
}

struct TopologySpreadFilterState {
    var constraints: [SpreadConstraint]
    /// Per constraint: each node's domain (an index into the key's `NodeDomains.values`; −1:
    /// the node lacks the key).
    var domainOf: [[Int32]]
    /// Per constraint and domain: matching pods (0 where no node is counted).
    var matchNum: [[Int]]
    /// Smallest match count per constraint, and how many domains it has.
    var minMatch: [Int]
    var domains: [Int]
    /// Per constraint: 1 when the incoming pod matches its own selector.
    var selfMatch: [Int]
}

struct TopologySpreadScoreState {
    var constraints: [SpreadConstraint]
    var ignoredNodes: Set<String>
    /// (constraint index, domain value) → matching pods, for keys other than hostname.
    var counts: [Int: [String: Int]]
    var weights: [Double]
    /// By position in the feasible list: ignored (empty when none is).
    var ignored: [Bool]
    /// Per constraint: each node's domain (−1: the node lacks the key).
    var domainOf: [[Int32]]
    /// Per constraint other than hostname: matching pods per domain (read for the domains
    /// the feasible nodes span).
    var domainCounts: [[Int]]
    /// Per hostname constraint: matching pods per node (read for the feasible nodes).
    var nodeCounts: [[Int32]]
}

/// PodTopologySpread (plugins/podtopologyspread): DoNotSchedule constraints filter
/// (`matching pods in the domain + self − global minimum ≤ maxSkew`, minDomains), and
/// ScheduleAnyway constraints — the pod's own or, when it has none, the system defaults
/// (hostname maxSkew 3, zone maxSkew 5) with a selector deduced from the Services and the
/// ReplicaSet that select it — score `cnt · ln(domains + 2) + maxSkew − 1`, normalised
/// `100 · (max + min − s) / max`.
struct PodTopologySpread: FilterPlugin, ScorePlugin {
    let name = "PodTopologySpread"
    /// Cluster-level defaults; `System` uses the built-in ones.
    var defaultConstraints: [TopologySpreadConstraint] = []
    var defaultingType = "System"

    static let systemDefaults: [(String, Int)] = [("kubernetes.io/hostname", 3), ("topology.kubernetes.io/zone", 5)]

    // MARK: constraints

    func constraints(_ pod: SimPod, when: String, ctx: SchedulingContext) -> [SpreadConstraint] {
        let own = pod.spec.topologySpreadConstraints.filter { $0.whenUnsatisfiable == when }
        if !pod.spec.topologySpreadConstraints.isEmpty {
            return own.map { c in
                var selector =
                    c.labelSelector
                    ?? LabelSelector(
                        matchLabels: [:],
                        matchExpressions: [
                            LabelSelectorRequirement(key: "k3sim.invalid/nothing", operator: .Exists)
                        ])
                for key in c.matchLabelKeys {
                    if let v = pod.labels[key] { selector.matchExpressions.append(.init(key: key, operator: .In, values: [v])) }
                }
                return SpreadConstraint(
                    maxSkew: c.maxSkew, topologyKey: c.topologyKey, selector: selector,
                    minDomains: c.minDomains ?? 1,
                    honorNodeAffinity: (c.nodeAffinityPolicy ?? "Honor") == "Honor",
                    honorNodeTaints: (c.nodeTaintsPolicy ?? "Ignore") == "Honor")
            }
        }
        // Defaults apply to scoring only in System mode (ScheduleAnyway), or as listed.
        guard let selector = defaultSelector(pod, ctx: ctx), !selector.isEmpty else { return [] }
        let defaults: [(String, Int, String)] =
            defaultingType == "System"
            ? PodTopologySpread.systemDefaults.map { ($0.0, $0.1, "ScheduleAnyway") }
            : defaultConstraints.map { ($0.topologyKey, $0.maxSkew, $0.whenUnsatisfiable) }
        return defaults.filter { $0.2 == when }.map {
            SpreadConstraint(
                maxSkew: $0.1, topologyKey: $0.0, selector: selector, minDomains: 1,
                honorNodeAffinity: true, honorNodeTaints: false)
        }
    }

    /// `helper.DefaultSelector`: the Services selecting the pod, merged, and the selector
    /// of its controlling ReplicaSet.
    func defaultSelector(_ pod: SimPod, ctx: SchedulingContext) -> LabelSelector? {
        var labels: [String: String] = [:]
        for s in ctx.cluster.services
        where s.metadata.namespace == pod.namespace && !s.selector.isEmpty
            && s.selector.allSatisfy({ pod.labels[$0.key] == $0.value })
        {
            labels.merge(s.selector) { a, _ in a }
        }
        var selector = LabelSelector(matchLabels: labels)
        if case .replicaSet(let rs) = pod.owner {
            let set = ctx.cluster.replicaSetSelector(rs)
            selector.matchLabels.merge(set.selector.matchLabels) { a, _ in a }
            selector.matchExpressions += set.selector.matchExpressions
            if !set.templateHash.isEmpty { selector.matchLabels["pod-template-hash"] = set.templateHash }
        }
        return selector
    }

    static let hostnameKey = "kubernetes.io/hostname"

    /// Whether the inclusion policies can exclude a node at all (else every node counts).
    static func inclusionMatters(_ cs: [SpreadConstraint], _ pod: SimPod) -> Bool {
        (cs.contains { $0.honorNodeAffinity }
            && (!pod.spec.nodeSelector.isEmpty || pod.spec.affinity?.nodeAffinity?.required != nil))
            || cs.contains { $0.honorNodeTaints }
    }

    // MARK: filter

    func preFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        let cs = constraints(pod, when: "DoNotSchedule", ctx: ctx)
        guard !cs.isEmpty else { state.topologySpreadFilter = nil; return nil }
        let keys = cs.map(\.topologyKey)
        let inclusion = PodTopologySpread.inclusionMatters(cs, pod)
        // Sums per domain (label value index), and which domains have a counted node.
        let doms = keys.map { ctx.cluster.nodeDomains($0) }
        var sums = doms.map { [Int](repeating: 0, count: $0.values.count) }
        var present = doms.map { [Bool](repeating: false, count: $0.values.count) }
        if ctx.removed.isEmpty && !inclusion {
            // Every node with all the keys counts: the kept per-domain sums.
            let required = Array(Set(keys)).sorted()
            for i in cs.indices {
                let slot = ctx.cluster.matchCountSlot(namespace: pod.namespace, selector: cs[i].selector)
                let t = ctx.cluster.domainTotals(
                    slot: slot, namespace: pod.namespace, selector: cs[i].selector, key: keys[i], required: required)
                for d in sums[i].indices { sums[i][d] = t.sums[d]; present[i][d] = t.present[d] }
            }
        } else {
            let nodes = ctx.nodes
            let slots =
                ctx.removed.isEmpty
                ? cs.map { ctx.cluster.matchCountSlot(namespace: pod.namespace, selector: $0.selector) } : nil
            nodeLoop: for n in nodes.indices {
                for d in doms where d.valueIndex[n] < 0 { continue nodeLoop }
                for i in cs.indices {
                    if inclusion && !cs[i].includes(n, ctx, for: pod) { continue }
                    let value = Int(doms[i].valueIndex[n])
                    var count = 0
                    if let slots, !nodes[n].pods.isEmpty {
                        count = ctx.cluster.matchingPods(
                            slot: slots[i], namespace: pod.namespace, selector: cs[i].selector, onNode: n)
                    } else if !nodes[n].pods.isEmpty {
                        let selector = cs[i].selector
                        ctx.forEachPod(onNode: n) { p in
                            if !p.isTerminating && p.namespace == pod.namespace && selector.matches(p.labels) { count += 1 }
                        }
                    }
                    sums[i][value] += count
                    present[i][value] = true
                }
            }
        }
        var minMatch = [Int](repeating: 0, count: cs.count), domains = [Int](repeating: 0, count: cs.count)
        for i in cs.indices {
            var m = Int.max
            for d in sums[i].indices where present[i][d] { m = min(m, sums[i][d]); domains[i] += 1 }
            minMatch[i] = domains[i] == 0 ? 0 : m
        }
        state.topologySpreadFilter = TopologySpreadFilterState(
            constraints: cs, domainOf: doms.map(\.valueIndex), matchNum: sums, minMatch: minMatch, domains: domains,
            selfMatch: cs.map { $0.selector.matches(pod.labels) ? 1 : 0 })
        return nil
    }

    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool { state.topologySpreadFilter == nil }

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        guard let s = state.topologySpreadFilter else { return nil }
        return PodTopologySpread.filter(node, s)
    }

    func filterAll(
        _ pod: SimPod, _ nodes: [Int], _ ctx: SchedulingContext, _ state: CycleState, into verdicts: inout FilterVerdicts
    ) {
        guard let s = state.topologySpreadFilter else { return }
        if s.constraints.count == 1 {
            // One constraint: fits when the domain's count stays within maxSkew + min − self.
            let domainOf = s.domainOf[0], matchNum = s.matchNum[0], c = s.constraints[0]
            let limit = c.maxSkew + (s.domains[0] < c.minDomains ? 0 : s.minMatch[0]) - s.selfMatch[0]
            for j in nodes.indices where !verdicts.isRejected(j) {
                let d = domainOf[nodes[j]]
                if d < 0 {
                    verdicts.reject(j, PodTopologySpread.missingLabel, plugin: name)
                } else if matchNum[Int(d)] > limit {
                    verdicts.reject(j, PodTopologySpread.skewTooLarge, plugin: name)
                }
            }
            return
        }
        for j in nodes.indices where !verdicts.isRejected(j) {
            switch PodTopologySpread.check(nodes[j], s) {
            case .fits: continue
            case .missingLabel: verdicts.reject(j, PodTopologySpread.missingLabel, plugin: name)
            case .skew: verdicts.reject(j, PodTopologySpread.skewTooLarge, plugin: name)
            }
        }
    }

    static let missingLabel = FilterFailure(
        "node(s) didn't match pod topology spread constraints (missing required label)", unresolvable: true)
    static let skewTooLarge = FilterFailure("node(s) didn't match pod topology spread constraints")

    enum Verdict { case fits, missingLabel, skew }

    static func filter(_ node: Int, _ s: TopologySpreadFilterState) -> FilterFailure? {
        switch check(node, s) {
        case .fits: return nil
        case .missingLabel: return missingLabel
        case .skew: return skewTooLarge
        }
    }

    static func check(_ node: Int, _ s: TopologySpreadFilterState) -> Verdict {
        for (i, c) in s.constraints.enumerated() {
            let d = s.domainOf[i][node]
            guard d >= 0 else { return .missingLabel }
            let minMatch = s.domains[i] < c.minDomains ? 0 : s.minMatch[i]
            let skew = s.matchNum[i][Int(d)] + s.selfMatch[i] - minMatch
            if skew > c.maxSkew { return .skew }
        }
        return .fits
    }
}
