import KubeModel

/// NodeAffinity: `nodeSelector`, required node affinity and the profile's `addedAffinity`
/// must match (filter); the weights of matching preferred terms are summed and
/// normalised (score).
struct NodeAffinityPlugin: FilterPlugin, ScorePlugin {
    let name = "NodeAffinity"
    var addedAffinity: NodeAffinity? = nil

    /// Nothing to check: no added affinity, no nodeSelector, no required node affinity.
    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool {
        addedAffinity?.required == nil && pod.spec.nodeSelector.isEmpty && pod.spec.affinity?.nodeAffinity?.required == nil
    }

    /// PreFilter (plugins/nodeaffinity PreFilter): when every required term names nodes with
    /// matchFields `metadata.name In` (as the DaemonSet controller pins its pods), the pod is
    /// evaluated only on the union of those names; a term's fields are ANDed, so it names the
    /// intersection of its value lists.
    ///
    /// A term without such a field lets every node in.
    func preFilterNodeNames(_ pod: SimPod, _ ctx: SchedulingContext) -> Set<String>? {
        guard let terms = pod.spec.affinity?.nodeAffinity?.required?.nodeSelectorTerms, !terms.isEmpty else { return nil }
        var union = Set<String>()
        for term in terms {
            var named: Set<String>?
            for r in term.matchFields where r.key == "metadata.name" && r.operator == .In {
                named = named.map { $0.intersection(r.values) } ?? Set(r.values)
            }
            guard let named else { return nil }
            union.formUnion(named)
        }
        return union
    }

    /// Terms that name nodes but no node in common: nothing can match.
    func preFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        preFilterNodeNames(pod, ctx)?.isEmpty == true ? FilterFailure("pod affinity terms conflict", unresolvable: true) : nil
    }

    /// `filter` over a batch with the pod's parseable terms and the nodes' fields taken once.
    func filterAll(
        _ pod: SimPod, _ nodes: [Int], _ ctx: SchedulingContext, _ state: CycleState, into verdicts: inout FilterVerdicts
    ) {
        let nodeSelector = pod.spec.nodeSelector
        let terms = pod.spec.affinity?.nodeAffinity?.required.map { $0.nodeSelectorTerms.filter(NodeAffinityPlugin.parses) }
        let added = addedAffinity?.required
        let fields = ctx.cluster.nodeFields()
        for j in nodes.indices where !verdicts.isRejected(j) {
            let n = nodes[j]
            let labels = ctx.nodes[n].labels
            if let added, !added.matches(labels: labels, fields: fields[n]) {
                verdicts.reject(
                    j, FilterFailure("node(s) didn't match scheduler-enforced node affinity", unresolvable: true), plugin: name)
                continue
            }
            var ok = true
            for (k, v) in nodeSelector where labels[k] != v { ok = false; break }
            if ok, let terms { ok = terms.contains { $0.matches(labels: labels, fields: fields[n]) } }
            if !ok {
                verdicts.reject(
                    j, FilterFailure("node(s) didn't match Pod's node affinity/selector", unresolvable: true), plugin: name)
            }
        }
    }

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        if let added = addedAffinity?.required,
            !added.matches(labels: ctx.nodes[node].labels, fields: Framework.fields(name: ctx.nodes[node].name))
        {
            return FilterFailure("node(s) didn't match scheduler-enforced node affinity", unresolvable: true)
        }
        return NodeAffinityPlugin.matches(pod.spec, labels: ctx.nodes[node].labels, name: ctx.nodes[node].name)
            ? nil : FilterFailure("node(s) didn't match Pod's node affinity/selector", unresolvable: true)
    }

    static func matches(_ spec: PodSpec, _ node: SimNode) -> Bool {
        matches(spec, labels: node.labels, name: node.name)
    }

    /// nodeSelector and required node affinity (`GetRequiredNodeAffinity(pod).Match`).
    static func matches(_ spec: PodSpec, labels: [String: String], name: String) -> Bool {
        for (k, v) in spec.nodeSelector where labels[k] != v { return false }
        if let required = spec.affinity?.nodeAffinity?.required {
            // Most terms have no matchFields: the fields map is built only for those that do.
            return required.nodeSelectorTerms.contains {
                parses($0) && $0.matches(labels: labels, fields: $0.matchFields.isEmpty ? [:] : Framework.fields(name: name))
            }
        }
        return true
    }

    /// Whether upstream can parse the term's label requirements: an In/NotIn value that is not a
    /// valid label value makes the term unparseable, and such a term matches nothing
    /// (component-helpers nodeaffinity LazyErrorNodeSelector; node_affinity_test.go "Pod with an
    /// invalid value in Affinity term won't be scheduled onto the node").
    ///
    /// API validation does not check these values, so such pods exist.
    static func parses(_ term: NodeSelectorTerm) -> Bool {
        term.matchExpressions.allSatisfy { r in
            (r.operator != .In && r.operator != .NotIn) || r.values.allSatisfy(isLabelValue)
        }
    }

    /// `validation.IsValidLabelValue`: empty, or at most 63 characters of [-A-Za-z0-9_.]
    /// starting and ending with an alphanumeric.
    static func isLabelValue(_ v: String) -> Bool {
        let bytes = v.utf8
        guard let first = bytes.first, let last = bytes.last else { return true }
        guard bytes.count <= 63 else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        return alnum(first) && alnum(last) && bytes.allSatisfy { alnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
    }

    func preScore(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState) -> Bool {
        !(pod.spec.affinity?.nodeAffinity?.preferred.isEmpty ?? true) || !(addedAffinity?.preferred.isEmpty ?? true)
    }

    func score(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState, into scores: inout [Int64]) {
        let terms = (pod.spec.affinity?.nodeAffinity?.preferred ?? []) + (addedAffinity?.preferred ?? [])
        for (j, n) in feasible.enumerated() {
            var total: Int64 = 0
            let fields = Framework.fields(name: ctx.nodes[n].name)
            for term in terms where term.weight != 0 && term.preference.matches(labels: ctx.nodes[n].labels, fields: fields) {
                total += Int64(term.weight)
            }
            scores[j] = total
        }
    }

    func normalize(_ scores: inout [Int64], _ feasible: [Int], _ state: CycleState) {
        Framework.defaultNormalize(&scores, reverse: false)
    }
}
