import KubeModel

struct InterPodAffinityFilterState {
    /// topologyKey → value → count, for existing pods' required anti-affinity terms that
    /// match the incoming pod.
    var existingAntiAffinity: [String: [String: Int]] = [:]
    /// The same for the incoming pod's required affinity (pods matching all its terms)
    /// and anti-affinity terms.
    var affinity: [String: [String: Int]] = [:]
    var antiAffinity: [String: [String: Int]] = [:]
}

/// InterPodAffinity (plugins/interpodaffinity).
///
/// Filter: the incoming pod's required affinity needs a matching pod in the node's
/// domain (or none anywhere and the pod matches its own terms); its required
/// anti-affinity forbids domains with a matching pod; and existing pods' required
/// anti-affinity forbids their domains to it. Score: weights of preferred terms (both
/// ways, anti-affinity negative) and existing pods' required affinity terms matching the
/// incoming pod (`hardPodAffinityWeight`), normalised `100 · (s − min) / (max − min)`.
struct InterPodAffinity: FilterPlugin, ScorePlugin {
    let name = "InterPodAffinity"
    var hardPodAffinityWeight: Int64 = 1
    var ignorePreferredTermsOfExistingPods = false

    /// `AffinityTerm.Matches`: namespaces (default: the term owner's own) and selector.
    static func term(
        _ t: PodAffinityTerm, ownerNamespace: String, ownerLabels: [String: String],
        matches pod: SimPod, ctx: SchedulingContext
    ) -> Bool {
        let namespaceOK: Bool
        if !t.namespaces.isEmpty || t.namespaceSelector != nil {
            namespaceOK =
                t.namespaces.contains(pod.namespace)
                || (t.namespaceSelector.map { $0.matches(ctx.namespaceLabels(pod.namespace)) } ?? false)
        } else {
            namespaceOK = pod.namespace == ownerNamespace
        }
        guard namespaceOK, var selector = t.labelSelector else { return false }
        // matchLabelKeys / mismatchLabelKeys merge the owner's label values into the selector.
        for k in t.matchLabelKeys {
            if let v = ownerLabels[k] { selector.matchExpressions.append(.init(key: k, operator: .In, values: [v])) }
        }
        for k in t.mismatchLabelKeys {
            if let v = ownerLabels[k] { selector.matchExpressions.append(.init(key: k, operator: .NotIn, values: [v])) }
        }
        return selector.matches(pod.labels)
    }

    // MARK: filter

    func preFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        var s = InterPodAffinityFilterState()
        let affinityTerms = pod.spec.affinity?.podAffinity?.required ?? []
        let antiTerms = pod.spec.affinity?.podAntiAffinity?.required ?? []
        // Only pods with required anti-affinity matter unless the incoming pod has required
        // terms of its own; visiting just those (and only nodes with pods) gives the same counts.
        func visit(_ labels: [String: String], _ existing: SimPod) {
            for t in existing.spec.affinity?.podAntiAffinity?.required ?? []
            where InterPodAffinity.term(
                t, ownerNamespace: existing.namespace, ownerLabels: existing.labels, matches: pod, ctx: ctx)
            {
                if let v = labels[t.topologyKey] { s.existingAntiAffinity[t.topologyKey, default: [:]][v, default: 0] += 1 }
            }
            if !affinityTerms.isEmpty
                && affinityTerms.allSatisfy({
                    InterPodAffinity.term($0, ownerNamespace: pod.namespace, ownerLabels: pod.labels, matches: existing, ctx: ctx)
                })
            {
                for t in affinityTerms {
                    if let v = labels[t.topologyKey] { s.affinity[t.topologyKey, default: [:]][v, default: 0] += 1 }
                }
            }
            for t in antiTerms
            where InterPodAffinity.term(t, ownerNamespace: pod.namespace, ownerLabels: pod.labels, matches: existing, ctx: ctx) {
                if let v = labels[t.topologyKey] { s.antiAffinity[t.topologyKey, default: [:]][v, default: 0] += 1 }
            }
        }
        if affinityTerms.isEmpty && antiTerms.isEmpty {
            // Only existing pods' required anti-affinity terms that match this pod count:
            // decided once per group, then counted over the group's pods.
            let groups = ctx.cluster.podAffinityGroups()
            for (g, key) in groups.keys.enumerated() {
                let matching = (key.affinity.podAntiAffinity?.required ?? []).filter {
                    InterPodAffinity.term($0, ownerNamespace: key.namespace, ownerLabels: key.labels, matches: pod, ctx: ctx)
                }
                guard !matching.isEmpty else { continue }
                for id in groups.members[g] {
                    guard let existing = ctx.cluster.pods[id], !existing.isTerminating, ctx.isOnItsNode(existing) else {
                        continue
                    }
                    let labels = ctx.nodes[existing.node!].labels
                    for t in matching {
                        if let v = labels[t.topologyKey] {
                            s.existingAntiAffinity[t.topologyKey, default: [:]][v, default: 0] += 1
                        }
                    }
                }
            }
        } else {
            for n in ctx.nodes.indices where !ctx.nodes[n].pods.isEmpty {
                let labels = ctx.nodes[n].labels
                ctx.forEachPod(onNode: n) { existing in if !existing.isTerminating { visit(labels, existing) } }
            }
        }
        state.interPodAffinityFilter = s
        return nil
    }

    /// Nothing to check: no required terms of its own and no existing pod's anti-affinity against it.
    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool {
        guard let s = state.interPodAffinityFilter else { return true }
        return s.existingAntiAffinity.isEmpty && (pod.spec.affinity?.podAffinity?.required ?? []).isEmpty
            && (pod.spec.affinity?.podAntiAffinity?.required ?? []).isEmpty
    }

    func filter(_ pod: SimPod, _ n: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        guard let s = state.interPodAffinityFilter else { return nil }
        let labels = ctx.nodes[n].labels
        let affinityTerms = pod.spec.affinity?.podAffinity?.required ?? []
        if !affinityTerms.isEmpty {
            // Every term's topology key must be on the node, even for the first pod of a group
            // (filtering.go satisfyPodAffinity; filtering_test.go "The first pod of the
            // collection can only be scheduled on nodes labelled with the requested topology keys").
            guard affinityTerms.allSatisfy({ labels[$0.topologyKey] != nil }) else {
                return FilterFailure("node(s) didn't match pod affinity rules", unresolvable: true)
            }
            let exist = affinityTerms.allSatisfy { t in
                labels[t.topologyKey].map { (s.affinity[t.topologyKey]?[$0] ?? 0) > 0 } ?? false
            }
            if !exist {
                // The first pod of a group that selects itself may go anywhere.
                let selfMatch =
                    s.affinity.isEmpty
                    && affinityTerms.allSatisfy {
                        InterPodAffinity.term($0, ownerNamespace: pod.namespace, ownerLabels: pod.labels, matches: pod, ctx: ctx)
                    }
                if !selfMatch { return FilterFailure("node(s) didn't match pod affinity rules", unresolvable: true) }
            }
        }
        for t in pod.spec.affinity?.podAntiAffinity?.required ?? [] {
            if let v = labels[t.topologyKey], (s.antiAffinity[t.topologyKey]?[v] ?? 0) > 0 {
                return FilterFailure("node(s) didn't match pod anti-affinity rules")
            }
        }
        for (key, values) in s.existingAntiAffinity {
            if let v = labels[key], (values[v] ?? 0) > 0 {
                return FilterFailure("node(s) didn't satisfy existing pods anti-affinity rules")
            }
        }
        return nil
    }
}
