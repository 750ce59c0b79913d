/// The indexes kube-scheduler's cache keeps over the objects its informers hold, for the plugins to
/// read through `SchedulerView`.
///
/// They stay with the simulation rather than in `KubeScheduler`: the API store's watchers keep them
/// current on every pod and node change (StoreIndexes.swift, StoreWatchers.swift), and the rest
/// fill lazily when a plugin first reads them, so they are the informer cache's memoization, not
/// the queue's state.
struct SchedulerCache {
    /// Pods with pod (anti-)affinity, for InterPodAffinity.
    var affinityIndex = AffinityPodIndex()
    /// Matching pods per node and selector, for PodTopologySpread.
    var matchCounts = MatchCountIndex()
    /// Node label values as indices, per label key.
    var nodeDomains: [String: NodeDomains] = [:]
    /// Per image, which nodes hold it, for ImageLocality.
    var imagePresence: [String: ImagePresence] = [:]
    /// Per node, its fields map for node selector terms (`nodeFields()`).
    var nodeFields: [[String: String]] = []
    /// Per node, its allocatable cpu, memory and pods (`nodeCapacities()`).
    var nodeCapacity: [NodeCapacity] = []
}
