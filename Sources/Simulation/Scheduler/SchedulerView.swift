import KubeModel

/// What the scheduler's plugins may see of the cluster: the objects its informer cache holds (pods,
/// nodes, claims and volumes, Services and ReplicaSets for the default spreading selector) and the
/// scheduler's own indexes built from them (match counts, node domains, image presence, affinity
/// groups).
///
/// Reads only: the simulation behind it is private to this file, so a plugin cannot write a pod, a
/// node or any controller's state. The indexes fill lazily on first use; that is memoization inside
/// the scheduler's cache, not a change to the cluster. Every member forwards to the simulation and
/// inlines away.
struct SchedulerView {
    private let sim: ClusterSimulation

    init(_ sim: ClusterSimulation) { self.sim = sim }

    // MARK: Objects of the informer cache

    @inline(__always) var pods: [PodID: SimPod] { sim.pods }
    @inline(__always) var nodes: [SimNode] { sim.nodes }
    @inline(__always) var nodeCount: Int { sim.nodes.count }
    @inline(__always) func nodeIndex(named name: String) -> Int? { sim.nodeIndex[name] }
    @inline(__always) var services: [Service] { sim.spec.workloads.services }

    /// The selector of a ReplicaSet and its pod-template-hash ("" for a standalone set).
    func replicaSetSelector(_ rs: Int) -> (selector: LabelSelector, templateHash: String) {
        let set = sim.replicaSets[rs]
        return (set.selector, set.templateHash)
    }

    @inline(__always) func claim(namespace: String, name: String) -> SimClaim? {
        sim.claims[sim.claimKey(namespace, name)]
    }

    @inline(__always) func volume(_ v: Int) -> SimVolume { sim.volumes[v] }

    @inline(__always) func storageClass(_ name: String?) -> StorageClassSpec? { sim.spec.storage.storageClass(name) }

    @inline(__always) func attachedNode(ofVolume v: Int) -> Int? { sim.attachDetach.attachment(v).attachedTo }

    @inline(__always) func attachedVolumeCount(on n: Int) -> Int {
        sim.attachDetach.attachedCount(on: n, volumes: sim.volumes)
    }

    @inline(__always) func imageSize(for pod: SimPod) -> Int64 { sim.imageSize(for: pod) }

    @inline(__always) func nodesWithImage(_ image: String) -> Int { sim.imageNodeCount[image] ?? 0 }

    // MARK: The scheduler's indexes

    @inline(__always) func nodeDomains(_ key: String) -> NodeDomains { sim.nodeDomains(key) }

    @inline(__always) func nodeFields() -> [[String: String]] { sim.nodeFields() }

    @inline(__always) func nodeCapacities() -> [NodeCapacity] { sim.nodeCapacities() }

    @inline(__always) func podAffinityGroups() -> (keys: [AffinityPodIndex.GroupKey], members: [[PodID]]) {
        sim.podAffinityGroups()
    }

    @inline(__always) func matchCountSlot(namespace: String, selector: LabelSelector) -> Int {
        sim.schedulerCache.matchCounts.slot(namespace: namespace, selector: selector)
    }

    @inline(__always) func matchingPods(slot: Int, namespace: String, selector: LabelSelector, onNode n: Int) -> Int {
        sim.matchingPods(slot: slot, namespace: namespace, selector: selector, onNode: n)
    }

    @inline(__always) func domainTotals(
        slot: Int, namespace: String, selector: LabelSelector, key: String, required: [String]
    ) -> DomainTotals {
        sim.domainTotals(slot: slot, namespace: namespace, selector: selector, key: key, required: required)
    }

    /// ImageLocality's per-node term for one image, added into `sums` for the feasible nodes.
    @inline(__always) func addImageTerm(
        _ term: Int64, ofImage image: String, for feasible: [Int], in nodes: [SimNode], into sums: inout [Int64]
    ) {
        sim.addTerm(term, ofImage: image, for: feasible, in: nodes, into: &sums)
    }

    /// InterPodAffinity's cache of compiled terms, kept across cycles.
    var affinityTermCache: GroupTermCache? {
        @inline(__always) get { sim.schedulerCache.affinityIndex.termCache }
        @inline(__always) nonmutating set { sim.schedulerCache.affinityIndex.termCache = newValue }
    }
}
