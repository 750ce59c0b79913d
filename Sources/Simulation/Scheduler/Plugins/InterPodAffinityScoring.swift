import KubeModel

/// InterPodAffinity's scores per topology domain: for each topology key, each node's
/// domain (a label value index) and the summed weights per domain.
struct InterPodAffinityScoreState {
    var keys: [String] = []
    var domainOf: [[Int32]] = []
    var perDomain: [[Int64]] = []
    /// Some term added a weight (upstream's map of scores is not empty).
    var any = false
}

extension InterPodAffinity {
    /// Adds weights to domains of topology keys, creating a key's table on first use.
    struct ScoreAccumulator {
        let cluster: SchedulerView
        var state = InterPodAffinityScoreState()
        var slotOf: [String: Int] = [:]

        mutating func table(_ key: String) -> Int {
            if let i = slotOf[key] { return i }
            let d = cluster.nodeDomains(key)
            slotOf[key] = state.keys.count
            state.keys.append(key)
            state.domainOf.append(d.valueIndex)
            state.perDomain.append([Int64](repeating: 0, count: d.values.count))
            return state.keys.count - 1
        }

        /// `delta` in the domain of node `n` for `key` (nothing when the node lacks the key).
        mutating func add(_ key: String, node n: Int, _ delta: Int64) {
            let t = table(key)
            let d = state.domainOf[t][n]
            guard d >= 0 else { return }
            state.perDomain[t][Int(d)] += delta
            state.any = true
        }
    }

    /// The incoming pod's preferred term reduces to counting pods of the pod's own namespace
    /// that a selector matches: no namespaces, no namespace selector.
    static func countable(_ t: PodAffinityTerm) -> Bool {
        t.namespaces.isEmpty && t.namespaceSelector == nil
    }

    /// The term's selector with matchLabelKeys / mismatchLabelKeys merged from the owner's labels.
    static func selector(_ t: PodAffinityTerm, ownerLabels: [String: String]) -> LabelSelector? {
        guard var selector = t.labelSelector else { return nil }
        for k in t.matchLabelKeys {
            if let v = ownerLabels[k] { selector.matchExpressions.append(.init(key: k, operator: .In, values: [v])) }
        }
        for k in t.mismatchLabelKeys {
            if let v = ownerLabels[k] { selector.matchExpressions.append(.init(key: k, operator: .NotIn, values: [v])) }
        }
        return selector
    }

    func preScore(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState) -> Bool {
        let preferredAffinity = pod.spec.affinity?.podAffinity?.preferred ?? []
        let preferredAnti = pod.spec.affinity?.podAntiAffinity?.preferred ?? []
        let hasConstraints = !preferredAffinity.isEmpty || !preferredAnti.isEmpty
        if ignorePreferredTermsOfExistingPods && !hasConstraints { return false }
        var acc = ScoreAccumulator(cluster: ctx.cluster)
        let ownTerms =
            preferredAffinity.map { ($0.podAffinityTerm, Int64($0.weight)) }
            + preferredAnti.map { ($0.podAffinityTerm, -Int64($0.weight)) }
        if !hasConstraints || (ctx.removed.isEmpty && ownTerms.allSatisfy({ InterPodAffinity.countable($0.0) })) {
            // Existing pods' own terms: which of them match this pod (and with what weight)
            // is decided once per group, then added over the group's pods.
            addExistingPodsTerms(pod, ctx, &acc)
            // The pod's own preferred terms: the matching pods per domain, from the kept sums.
            for (t, weight) in ownTerms {
                guard let selector = InterPodAffinity.selector(t, ownerLabels: pod.labels) else { continue }
                let slot = ctx.cluster.matchCountSlot(namespace: pod.namespace, selector: selector)
                let totals = ctx.cluster.domainTotals(
                    slot: slot, namespace: pod.namespace, selector: selector, key: t.topologyKey,
                    required: [t.topologyKey])
                let table = acc.table(t.topologyKey)
                for d in acc.state.perDomain[table].indices where totals.sums[d] > 0 {
                    acc.state.perDomain[table][d] += weight * Int64(totals.sums[d])
                    acc.state.any = true
                }
            }
        } else {
            addEveryPodsTerms(pod, ctx, &acc)
        }
        state.interPodAffinityScore = acc.state
        return acc.state.any
    }

    func addExistingPodsTerms(_ pod: SimPod, _ ctx: SchedulingContext, _ acc: inout ScoreAccumulator) {
        let groups = ctx.cluster.podAffinityGroups()
        let deltas = groupDeltas(pod, ctx, groups.keys)
        let pods = ctx.cluster.pods
        for g in groups.keys.indices where !deltas[g].isEmpty {
            for id in groups.members[g] {
                guard let existing = pods[id], !existing.isTerminating, ctx.isOnItsNode(existing), let n = existing.node
                else { continue }
                if ctx.nodes[n].labels.isEmpty { continue }
                for (k, d) in deltas[g] { acc.add(k, node: n, d) }
            }
        }
    }

    /// Per group: its pods' terms that match the incoming pod, as (topology key, weight),
    /// from the cache when the previous pod had the same namespace and labels.
    func groupDeltas(_ pod: SimPod, _ ctx: SchedulingContext, _ keys: [AffinityPodIndex.GroupKey]) -> [[(String, Int64)]] {
        var cache: GroupTermCache
        if let kept = ctx.cluster.affinityTermCache, kept.namespace == pod.namespace,
            kept.hardPodAffinityWeight == hardPodAffinityWeight, kept.labels == pod.labels
        {
            cache = kept
        } else {
            cache = GroupTermCache(
                namespace: pod.namespace, labels: pod.labels, hardPodAffinityWeight: hardPodAffinityWeight, deltas: [])
        }
        guard cache.deltas.count < keys.count else { return cache.deltas }
        for key in keys[cache.deltas.count...] {
            let a = key.affinity
            var deltas: [(String, Int64)] = []
            if hardPodAffinityWeight > 0 {
                for t in a.podAffinity?.required ?? []
                where InterPodAffinity.term(t, ownerNamespace: key.namespace, ownerLabels: key.labels, matches: pod, ctx: ctx) {
                    deltas.append((t.topologyKey, hardPodAffinityWeight))
                }
            }
            for w in a.podAffinity?.preferred ?? []
            where InterPodAffinity.term(
                w.podAffinityTerm, ownerNamespace: key.namespace, ownerLabels: key.labels, matches: pod, ctx: ctx)
            {
                deltas.append((w.podAffinityTerm.topologyKey, Int64(w.weight)))
            }
            for w in a.podAntiAffinity?.preferred ?? []
            where InterPodAffinity.term(
                w.podAffinityTerm, ownerNamespace: key.namespace, ownerLabels: key.labels, matches: pod, ctx: ctx)
            {
                deltas.append((w.podAffinityTerm.topologyKey, -Int64(w.weight)))
            }
            cache.deltas.append(deltas)
        }
        ctx.cluster.affinityTermCache = cache
        return cache.deltas
    }

    /// Every pod on every node with pods, both ways (namespaces lists or selectors in the
    /// pod's own terms, or preemption's removed pods).
    func addEveryPodsTerms(_ pod: SimPod, _ ctx: SchedulingContext, _ acc: inout ScoreAccumulator) {
        let preferredAffinity = pod.spec.affinity?.podAffinity?.preferred ?? []
        let preferredAnti = pod.spec.affinity?.podAntiAffinity?.preferred ?? []
        for n in ctx.nodes.indices where !ctx.nodes[n].pods.isEmpty && !ctx.nodes[n].labels.isEmpty {
            ctx.forEachPod(onNode: n) { existing in
                guard !existing.isTerminating else { return }
                let a = existing.spec.affinity
                for w in preferredAffinity
                where InterPodAffinity.term(
                    w.podAffinityTerm, ownerNamespace: pod.namespace, ownerLabels: pod.labels, matches: existing, ctx: ctx)
                {
                    acc.add(w.podAffinityTerm.topologyKey, node: n, Int64(w.weight))
                }
                for w in preferredAnti
                where InterPodAffinity.term(
                    w.podAffinityTerm, ownerNamespace: pod.namespace, ownerLabels: pod.labels, matches: existing, ctx: ctx)
                {
                    acc.add(w.podAffinityTerm.topologyKey, node: n, -Int64(w.weight))
                }
                if hardPodAffinityWeight > 0 {
                    for t in a?.podAffinity?.required ?? []
                    where InterPodAffinity.term(
                        t, ownerNamespace: existing.namespace, ownerLabels: existing.labels, matches: pod, ctx: ctx)
                    {
                        acc.add(t.topologyKey, node: n, hardPodAffinityWeight)
                    }
                }
                for w in a?.podAffinity?.preferred ?? []
                where InterPodAffinity.term(
                    w.podAffinityTerm, ownerNamespace: existing.namespace, ownerLabels: existing.labels, matches: pod, ctx: ctx)
                {
                    acc.add(w.podAffinityTerm.topologyKey, node: n, Int64(w.weight))
                }
                for w in a?.podAntiAffinity?.preferred ?? []
                where InterPodAffinity.term(
                    w.podAffinityTerm, ownerNamespace: existing.namespace, ownerLabels: existing.labels, matches: pod, ctx: ctx)
                {
                    acc.add(w.podAffinityTerm.topologyKey, node: n, -Int64(w.weight))
                }
            }
        }
    }

    func score(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState, into scores: inout [Int64]) {
        let s = state.interPodAffinityScore
        for (j, n) in feasible.enumerated() {
            var total: Int64 = 0
            for k in s.keys.indices {
                let d = s.domainOf[k][n]
                if d >= 0 { total += s.perDomain[k][Int(d)] }
            }
            scores[j] = total
        }
    }

    func normalize(_ scores: inout [Int64], _ feasible: [Int], _ state: CycleState) {
        guard let maxS = scores.max(), let minS = scores.min() else { return }
        let diff = maxS - minS
        for i in scores.indices {
            scores[i] = diff > 0 ? Int64(Double(Framework.maxNodeScore) * (Double(scores[i] - minS) / Double(diff))) : 0
        }
    }
}
