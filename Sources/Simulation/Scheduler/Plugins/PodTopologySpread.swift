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
    func includes(_ node: SimNode, for pod: SimPod) -> Bool {
        if honorNodeAffinity && !NodeAffinityPlugin.matches(pod.spec, node) { return false }
        if honorNodeTaints && node.taints.contains(where: { ($0.effect == .NoSchedule || $0.effect == .NoExecute) && !pod.tolerations.tolerate($0) }) {
            return false
        }
        return true
    }
}

struct TopologySpreadFilterState {
    var constraints: [SpreadConstraint]
    /// (constraint index, domain value) → matching pods.
    var matchNum: [Int: [String: Int]]
    /// Smallest match count per constraint, and how many domains it has.
    var minMatch: [Int]
    var domains: [Int]
}

struct TopologySpreadScoreState {
    var constraints: [SpreadConstraint]
    var ignoredNodes: Set<String>
    /// (constraint index, domain value) → matching pods, for keys other than hostname.
    var counts: [Int: [String: Int]]
    var weights: [Double]
    /// MatchCountIndex slots of the constraints (nil during preemption's what-ifs).
    var slots: [Int]?
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
                var selector = c.labelSelector ?? LabelSelector(matchLabels: [:], matchExpressions: [
                    LabelSelectorRequirement(key: "k3sim.invalid/nothing", operator: .Exists)])
                for key in c.matchLabelKeys { if let v = pod.labels[key] { selector.matchExpressions.append(.init(key: key, operator: .In, values: [v])) } }
                return SpreadConstraint(maxSkew: c.maxSkew, topologyKey: c.topologyKey, selector: selector,
                                        minDomains: c.minDomains ?? 1,
                                        honorNodeAffinity: (c.nodeAffinityPolicy ?? "Honor") == "Honor",
                                        honorNodeTaints: (c.nodeTaintsPolicy ?? "Ignore") == "Honor")
            }
        }
        // Defaults apply to scoring only in System mode (ScheduleAnyway), or as listed.
        guard let selector = defaultSelector(pod, ctx: ctx), !selector.isEmpty else { return [] }
        let defaults: [(String, Int, String)] = defaultingType == "System"
            ? PodTopologySpread.systemDefaults.map { ($0.0, $0.1, "ScheduleAnyway") }
            : defaultConstraints.map { ($0.topologyKey, $0.maxSkew, $0.whenUnsatisfiable) }
        return defaults.filter { $0.2 == when }.map {
            SpreadConstraint(maxSkew: $0.1, topologyKey: $0.0, selector: selector, minDomains: 1,
                             honorNodeAffinity: true, honorNodeTaints: false)
        }
    }

    /// `helper.DefaultSelector`: the Services selecting the pod, merged, and the selector
    /// of its controlling ReplicaSet.
    func defaultSelector(_ pod: SimPod, ctx: SchedulingContext) -> LabelSelector? {
        var labels: [String: String] = [:]
        for s in ctx.sim.spec.workloads.services
        where s.metadata.namespace == pod.namespace && !s.selector.isEmpty && s.selector.allSatisfy({ pod.labels[$0.key] == $0.value }) {
            labels.merge(s.selector) { a, _ in a }
        }
        var selector = LabelSelector(matchLabels: labels)
        if case .replicaSet(let rs) = pod.owner {
            let set = ctx.sim.replicaSets[rs]
            selector.matchLabels.merge(set.selector.matchLabels) { a, _ in a }
            selector.matchExpressions += set.selector.matchExpressions
            if !set.templateHash.isEmpty { selector.matchLabels["pod-template-hash"] = set.templateHash }
        }
        return selector
    }

    static func countMatching(_ pods: [SimPod], _ selector: LabelSelector, namespace: String) -> Int {
        pods.reduce(0) { $0 + ($1.isTerminating || $1.namespace != namespace || !selector.matches($1.labels) ? 0 : 1) }
    }

    // MARK: filter

    func preFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        let cs = constraints(pod, when: "DoNotSchedule", ctx: ctx)
        guard !cs.isEmpty else { state.topologySpreadFilter = nil; return nil }
        var matchNum: [Int: [String: Int]] = [:]
        let nodes = ctx.sim.nodes
        let keys = cs.map(\.topologyKey)
        // Whether the inclusion policies can exclude a node at all (else skip the checks).
        let checkAffinity = cs.contains { $0.honorNodeAffinity }
            && (!pod.spec.nodeSelector.isEmpty || pod.spec.affinity?.nodeAffinity?.required != nil)
        let checkTaints = cs.contains { $0.honorNodeTaints }
        let slots = ctx.removed.isEmpty ? cs.map { ctx.sim.scheduler.matchCounts.slot(namespace: pod.namespace, selector: $0.selector) } : nil
        // Sums per domain (label value index), and which domains have a counted node.
        let doms = keys.map { ctx.sim.nodeDomains($0) }
        var sums = doms.map { [Int](repeating: 0, count: $0.values.count) }
        var present = doms.map { [Bool](repeating: false, count: $0.values.count) }
        nodeLoop: for n in nodes.indices {
            for d in doms where d.valueIndex[n] < 0 { continue nodeLoop }
            for i in cs.indices {
                if (checkAffinity || checkTaints) && !cs[i].includes(nodes[n], for: pod) { continue }
                let value = Int(doms[i].valueIndex[n])
                var count = 0
                if let slots, !nodes[n].pods.isEmpty {
                    count = ctx.sim.matchingPods(slot: slots[i], namespace: pod.namespace, selector: cs[i].selector, onNode: n)
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
        for i in cs.indices {
            for d in doms[i].values.indices where present[i][d] { matchNum[i, default: [:]][doms[i].values[d]] = sums[i][d] }
        }
        let minMatch = cs.indices.map { matchNum[$0]?.values.min() ?? 0 }
        let domains = cs.indices.map { matchNum[$0]?.count ?? 0 }
        state.topologySpreadFilter = TopologySpreadFilterState(constraints: cs, matchNum: matchNum, minMatch: minMatch, domains: domains)
        return nil
    }

    func filter(_ pod: SimPod, _ node: SimNode, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        guard let s = state.topologySpreadFilter else { return nil }
        for (i, c) in s.constraints.enumerated() {
            guard let value = node.labels[c.topologyKey] else {
                return FilterFailure("node(s) didn't match pod topology spread constraints (missing required label)", unresolvable: true)
            }
            let minMatch = s.domains[i] < c.minDomains ? 0 : s.minMatch[i]
            let selfMatch = c.selector.matches(pod.labels) ? 1 : 0
            let skew = (s.matchNum[i]?[value] ?? 0) + selfMatch - minMatch
            if skew > c.maxSkew { return FilterFailure("node(s) didn't match pod topology spread constraints") }
        }
        return nil
    }

    // MARK: score

    func preScore(_ pod: SimPod, _ feasible: [SimNode], _ ctx: SchedulingContext, _ state: CycleState) -> Bool {
        let cs = constraints(pod, when: "ScheduleAnyway", ctx: ctx)
        guard !cs.isEmpty else { return false }
        // Nodes missing a topology key are ignored, unless the constraints are the system
        // defaults (requireAllTopologies).
        let requireAll = !pod.spec.topologySpreadConstraints.isEmpty || defaultingType != "System"
        var ignored = Set<String>()
        var counts: [Int: [String: Int]] = [:]
        var sizes = [Int](repeating: 0, count: cs.count)
        for node in feasible {
            if requireAll && !cs.allSatisfy({ node.labels[$0.topologyKey] != nil }) { ignored.insert(node.name); continue }
            for (i, c) in cs.enumerated() where c.topologyKey != "kubernetes.io/hostname" {
                // A node without the key (kept only with the system defaults) belongs to the
                // domain of the empty value, as upstream's `node.Labels[key]` reads it
                // (scoring.go initPreScoreState; TestPreScoreStateEmptyNodes "system default
                // constraints and a replicaset": zone-less nodes are one more zone).
                let v = node.labels[c.topologyKey] ?? ""
                if counts[i]?[v] == nil { counts[i, default: [:]][v] = 0; sizes[i] += 1 }
            }
        }
        let weights = cs.indices.map { i in
            log(Double((cs[i].topologyKey == "kubernetes.io/hostname" ? feasible.count - ignored.count : sizes[i]) + 2))
        }
        // Counts over every node of the domains that the feasible nodes span.
        // A node without pods adds nothing: visit only nodes with pods.
        let nodes = ctx.sim.nodes
        let slots = ctx.removed.isEmpty ? cs.map { ctx.sim.scheduler.matchCounts.slot(namespace: pod.namespace, selector: $0.selector) } : nil
        if cs.contains(where: { $0.topologyKey != "kubernetes.io/hostname" }) {
            // Per constraint: each node's domain as an index (a node without the key is in the
            // domain of the empty value), the domains the feasible nodes span, and the sums.
            let domains = cs.map { ctx.sim.nodeDomains($0.topologyKey) }
            let emptyDomain = domains.map { Int($0.indexOf[""] ?? Int32($0.values.count)) }
            let hostname = cs.map { $0.topologyKey == "kubernetes.io/hostname" }
            let tracked = cs.indices.map { i in
                hostname[i] ? [] : (0...domains[i].values.count).map { d in
                    counts[i]?[d < domains[i].values.count ? domains[i].values[d] : ""] != nil
                }
            }
            var sums = cs.indices.map { hostname[$0] ? [] : [Int](repeating: 0, count: domains[$0].values.count + 1) }
            let checkAffinity = cs.contains { $0.honorNodeAffinity }
                && (!pod.spec.nodeSelector.isEmpty || pod.spec.affinity?.nodeAffinity?.required != nil)
            let checkTaints = cs.contains { $0.honorNodeTaints }
            for n in nodes.indices where !nodes[n].pods.isEmpty {
                if requireAll && domains.contains(where: { $0.valueIndex[n] < 0 }) { continue }
                for (i, c) in cs.enumerated() where c.topologyKey != "kubernetes.io/hostname" {
                    if (checkAffinity || checkTaints) && !c.includes(nodes[n], for: pod) { continue }
                    let raw = Int(domains[i].valueIndex[n])
                    let d = raw < 0 ? emptyDomain[i] : raw
                    guard tracked[i][d] else { continue }
                    var count = 0
                    if let slots {
                        count = ctx.sim.matchingPods(slot: slots[i], namespace: pod.namespace, selector: c.selector, onNode: n)
                    } else {
                        ctx.forEachPod(onNode: n) { p in
                            if !p.isTerminating && p.namespace == pod.namespace && c.selector.matches(p.labels) { count += 1 }
                        }
                    }
                    sums[i][d] += count
                }
            }
            for i in cs.indices where cs[i].topologyKey != "kubernetes.io/hostname" {
                for d in sums[i].indices where tracked[i][d] && sums[i][d] != 0 {
                    counts[i]![d < domains[i].values.count ? domains[i].values[d] : ""]! += sums[i][d]
                }
            }
        }
        state.topologySpreadScore = TopologySpreadScoreState(constraints: cs, ignoredNodes: ignored, counts: counts,
                                                             weights: weights, slots: slots)
        return true
    }

    func score(_ pod: SimPod, _ node: SimNode, _ ctx: SchedulingContext, _ state: CycleState) -> Int64 {
        guard let s = state.topologySpreadScore, s.ignoredNodes.isEmpty || !s.ignoredNodes.contains(node.name) else { return 0 }
        var score = 0.0
        for (i, c) in s.constraints.enumerated() {
            guard let v = node.labels[c.topologyKey] else { continue }
            let cnt: Int
            if c.topologyKey == "kubernetes.io/hostname" {
                cnt = s.slots.map { ctx.sim.matchingPods(slot: $0[i], namespace: pod.namespace, selector: c.selector, onNode: node.index) }
                    ?? PodTopologySpread.countMatching(ctx.pods(on: node), c.selector, namespace: pod.namespace)
            } else {
                cnt = s.counts[i]?[v] ?? 0
            }
            score += Double(cnt) * s.weights[i] + Double(c.maxSkew - 1)
        }
        return Int64(score.rounded())
    }

    func normalize(_ scores: inout [Int64], _ nodes: [SimNode], _ state: CycleState) {
        let ignored = state.topologySpreadScore?.ignoredNodes ?? []
        var minScore = Int64.max, maxScore: Int64 = 0
        for (i, s) in scores.enumerated() where !ignored.contains(nodes[i].name) {
            minScore = min(minScore, s); maxScore = max(maxScore, s)
        }
        for i in scores.indices {
            if ignored.contains(nodes[i].name) { scores[i] = 0; continue }
            if maxScore == 0 { scores[i] = Framework.maxNodeScore; continue }
            scores[i] = Framework.maxNodeScore * (maxScore + minScore - scores[i]) / maxScore
        }
    }
}
