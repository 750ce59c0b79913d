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

    /// `filter` over a batch with the pod's terms and every node's fields map taken once: a
    /// DaemonSet pod (its node picked by a matchFields term) is checked against every node
    /// of the cluster, so per-node work here is paid tens of millions of times in a large run.
    func filterAll(_ pod: SimPod, _ nodes: [Int], _ ctx: SchedulingContext, _ state: CycleState, into verdicts: inout FilterVerdicts) {
        let spec = pod.spec
        let nodeSelector = spec.nodeSelector
        let terms = spec.affinity?.nodeAffinity?.required.map {
            $0.nodeSelectorTerms.filter(NodeAffinityPlugin.parses).map { ($0, NodeAffinityPlugin.namedNodes($0, ctx.sim)) }
        }
        let added = addedAffinity?.required
        let fields = ctx.sim.nodeFields()
        for j in nodes.indices where !verdicts.isRejected(j) {
            let n = nodes[j]
            if let added, !added.matches(labels: ctx.nodes[n].labels, fields: fields[n]) {
                verdicts.reject(j, FilterFailure("node(s) didn't match scheduler-enforced node affinity", unresolvable: true), plugin: name)
                continue
            }
            var ok = true
            if !nodeSelector.isEmpty {
                let labels = ctx.nodes[n].labels
                for (k, v) in nodeSelector where labels[k] != v { ok = false; break }
            }
            if ok, let terms {
                let labels = ctx.nodes[n].labels
                ok = terms.contains { term, named in
                    guard let named else { return term.matches(labels: labels, fields: fields[n]) }
                    if ctx.sim.scheduler.matchCounts.verify {
                        precondition(named.contains(n) == term.matches(labels: labels, fields: fields[n]), "NodeAffinity: named nodes of \(ctx.nodes[n].name)")
                    }
                    return named.contains(n)
                }
            }
            if !ok {
                verdicts.reject(j, FilterFailure("node(s) didn't match Pod's node affinity/selector", unresolvable: true), plugin: name)
            }
        }
    }

    /// The nodes a term matches when it only names them (matchFields `metadata.name In`, as
    /// the DaemonSet controller pins its pods), by index; nil for any other term. Node names
    /// are unique and never change, so this is the node-by-node match without hashing names.
    static func namedNodes(_ term: NodeSelectorTerm, _ sim: ClusterSimulation) -> [Int]? {
        guard term.matchExpressions.isEmpty, let first = term.matchFields.first,
              term.matchFields.allSatisfy({ $0.key == "metadata.name" && $0.operator == .In }) else { return nil }
        var names = Set(first.values)
        for r in term.matchFields.dropFirst() { names.formIntersection(r.values) }
        return names.compactMap { sim.nodeIndex[$0] }
    }

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        if let added = addedAffinity?.required,
           !added.matches(labels: ctx.nodes[node].labels, fields: Framework.fields(name: ctx.nodes[node].name)) {
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

    /// Whether upstream can parse the term's label requirements: an In/NotIn value that is not
    /// a valid label value makes the term unparseable, and such a term matches nothing
    /// (component-helpers nodeaffinity LazyErrorNodeSelector; node_affinity_test.go "Pod with
    /// an invalid value in Affinity term won't be scheduled onto the node"). API validation
    /// does not check these values, so such pods exist.
    static func parses(_ term: NodeSelectorTerm) -> Bool {
        term.matchExpressions.allSatisfy { r in
            (r.operator != .In && r.operator != .NotIn) || r.values.allSatisfy(isLabelValue)
        }
    }

    /// `validation.IsValidLabelValue`: empty, or at most 63 characters of [-A-Za-z0-9_.]
    /// starting and ending with an alphanumeric.
    static func isLabelValue(_ v: String) -> Bool {
        if v.isEmpty { return true }
        guard v.utf8.count <= 63 else { return false }
        func alnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        let bytes = v.utf8
        return alnum(bytes.first!) && alnum(bytes.last!) && bytes.allSatisfy { alnum($0) || $0 == 45 || $0 == 95 || $0 == 46 }
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
