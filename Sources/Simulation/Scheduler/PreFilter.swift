import KubeModel

/// PreFilter and its `PreFilterResult` (framework RunPreFilterPlugins, findNodesThatFitPod):
/// the plugins' precomputation, and the nodes their results leave for the search.
extension KubeScheduler {
    /// PreFilter of every filter; the filters that do not skip this pod go to
    /// `state.activeFilters`, and the nodes their `PreFilterResult`s leave (intersected, as
    /// `RunPreFilterPlugins` merges them) to `state.eligibleNodes`.
    func runPreFilters(_ pod: SimPod, _ profile: SchedulerProfile, _ snapshot: SchedulingContext, _ state: CycleState)
        -> FilterFailure?
    {
        var names: Set<String>?
        var narrowing: [String] = []
        for f in profile.filters {
            if var failure = f.preFilter(pod, snapshot, state) {
                failure.plugin = f.name
                failure.atPreFilter = true
                return failure
            }
            if let result = f.preFilterNodeNames(pod, snapshot) {
                narrowing.append(f.name)
                names = names.map { $0.intersection(result) } ?? result
            }
        }
        if let names {
            if names.isEmpty {
                let message =
                    narrowing.count == 1
                    ? "node(s) didn't satisfy plugin \(narrowing[0])"
                    : "node(s) didn't satisfy plugin(s) [\(narrowing.joined(separator: " "))] simultaneously"
                var failure = FilterFailure(message, unresolvable: true, plugin: narrowing[0])
                failure.atPreFilter = true
                return failure
            }
            state.eligibleNodes = eligibleNodes(names, snapshot.cluster)
            state.narrowingPlugins = narrowing
        }
        state.activeFilters = profile.filters.filter { !$0.skipsFilter(pod, snapshot, state) }
        return nil
    }

    /// The nodes of the scheduler's snapshot with these names, in its order (names of nodes that
    /// are gone are dropped, as `findNodesThatFitPod` drops them).
    ///
    /// One name, the usual case (a DaemonSet pod), needs no set.
    func eligibleNodes(_ names: Set<String>, _ cluster: SchedulerView) -> [Int] {
        if names.count == 1, let name = names.first {
            guard let n = cluster.nodeIndex(named: name), nodeOrder.contains(n) else { return [] }
            return [n]
        }
        let wanted = Set(names.compactMap { cluster.nodeIndex(named: $0) })
        return nodeOrder.filter { wanted.contains($0) }
    }

    /// The status of the nodes a `PreFilterResult` left out (upstream's absent-nodes status).
    func excludedByPreFilter(_ state: CycleState) -> FilterFailure {
        FilterFailure(
            "node(s) didn't satisfy plugin(s) [\(state.narrowingPlugins.sorted().joined(separator: " "))]",
            unresolvable: true, plugin: state.narrowingPlugins.first ?? "")
    }

    /// The nodes a `PreFilterResult` left out, each with the absent-nodes status.
    func excluded(from state: CycleState) -> [NodeEvaluation] {
        guard let eligible = state.eligibleNodes.map(Set.init) else { return [] }
        let failure = excludedByPreFilter(state)
        return nodeOrder.filter { !eligible.contains($0) }.map { NodeEvaluation(node: $0, failure: failure) }
    }
}
