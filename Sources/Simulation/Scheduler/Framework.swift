import KubeModel

/// A filter plugin's verdict on a node (pkg/scheduler/framework `Status`): the reasons,
/// worded as kube-scheduler words them, and whether preemption could help.
struct FilterFailure: Equatable {
    var reasons: [String]
    /// `UnschedulableAndUnresolvable`: removing pods from the node would not help.
    var unresolvable: Bool
    var plugin: String
    /// Rejected at PreFilter (every node alike): the message names the reason once.
    var atPreFilter = false

    init(_ reason: String, unresolvable: Bool = false, plugin: String = "") {
        self.reasons = [reason]; self.unresolvable = unresolvable; self.plugin = plugin
    }
    init(reasons: [String], unresolvable: Bool = false) {
        self.reasons = reasons; self.unresolvable = unresolvable; self.plugin = ""
    }
}

/// What plugins read: the cluster as the scheduler's cache holds it, by node index.
///
/// During preemption some pods are treated as already gone (`removed`), and nodes with nominated
/// pods or preemption victims carry adjusted usage (`adjusted`).
struct SchedulingContext {
    /// The cluster as the scheduler's cache holds it, and the scheduler's indexes (match
    /// counts, node domains, image presence), read-only.
    let cluster: SchedulerView
    /// The nodes as the cycle found them: plugins read a node's fields by index, without
    /// copying the node (some 30 reference-counted fields) for every node of every pod.
    let nodes: [SimNode]
    /// Per node, its allocatable cpu, memory and pods as plain values: the resource plugins
    /// read them for every feasible node, and through `nodes[n].spec` each read went by the
    /// node's reference-counted constants.
    let capacity: [NodeCapacity]
    var removed: Set<PodID> = []
    /// Per node: the usage to see instead of the node's own (nominated pods of at least the
    /// pod's priority added, preemption victims taken away).
    var adjusted: [Int: NodeUsage] = [:]

    init(sim: ClusterSimulation) {
        self.cluster = SchedulerView(sim)
        self.nodes = sim.nodes
        self.capacity = sim.nodeCapacities()
    }

    /// Pods bound to the node (terminating ones included: they still hold resources),
    /// minus the removed ones.
    func pods(on n: Int) -> [SimPod] {
        var result: [SimPod] = []
        result.reserveCapacity(nodes[n].pods.count)
        for id in nodes[n].pods where !removed.contains(id) {
            if let p = cluster.pods[id] { result.append(p) }
        }
        return result
    }

    /// Calls `body` with each pod `pods(on:)` would return, without building the array.
    func forEachPod(onNode n: Int, _ body: (SimPod) -> Void) {
        for id in nodes[n].pods where !removed.contains(id) {
            if let p = cluster.pods[id] { body(p) }
        }
    }

    /// Whether a pod is bound to node `n` as `pods(on:)` sees it (bound, not removed).
    func isOnItsNode(_ p: SimPod) -> Bool {
        guard let n = p.node, !removed.contains(p.id) else { return false }
        return nodes[n].pods.contains(p.id)
    }

    /// How many pods the node holds, as NodeResourcesFit counts them.
    @inline(__always) func podCount(_ n: Int) -> Int {
        if !adjusted.isEmpty, let a = adjusted[n] { return a.podCount }
        return nodes[n].pods.count
    }

    @inline(__always) func requested(_ n: Int) -> Resources {
        if !adjusted.isEmpty, let a = adjusted[n] { return a.requested }
        return nodes[n].requested
    }

    @inline(__always) func nonZeroRequested(_ n: Int) -> Resources {
        if !adjusted.isEmpty, let a = adjusted[n] { return a.nonZeroRequested }
        return nodes[n].nonZeroRequested
    }

    /// Requested cpu and memory (non-zero defaults with `nonZero`), without copying the
    /// node's `Resources` (its extended resources are a dictionary).
    @inline(__always) func requestedCPUAndMemory(_ n: Int, nonZero: Bool) -> (Int64, Int64) {
        if !adjusted.isEmpty, let a = adjusted[n] {
            let r = nonZero ? a.nonZeroRequested : a.requested
            return (r.milliCPU, r.memoryBytes)
        }
        return nonZero
            ? (nodes[n].nonZeroRequested.milliCPU, nodes[n].nonZeroRequested.memoryBytes)
            : (nodes[n].requested.milliCPU, nodes[n].requested.memoryBytes)
    }

    /// The usage a node shows (adjusted or its own), to start an adjustment from.
    func usage(_ n: Int) -> NodeUsage {
        adjusted[n]
            ?? NodeUsage(
                requested: nodes[n].requested, nonZeroRequested: nodes[n].nonZeroRequested,
                podCount: nodes[n].pods.count)
    }

    /// Namespace labels, as namespace selectors see them (`kubernetes.io/metadata.name`).
    func namespaceLabels(_ ns: String) -> [String: String] { ["kubernetes.io/metadata.name": ns] }
}

/// A node's allocatable cpu, memory and pod count (`NodeSpec` values, fixed for the run).
struct NodeCapacity {
    let milliCPU: Int64
    let memoryBytes: Int64
    let pods: Int

    init(_ spec: NodeSpec) {
        milliCPU = spec.allocatable.milliCPU; memoryBytes = spec.allocatable.memoryBytes; pods = spec.allocatablePods
    }
}

/// A node's resource usage as a scheduling decision sees it.
struct NodeUsage {
    var requested: Resources
    var nonZeroRequested: Resources
    var podCount: Int
}

/// Per-cycle scratch state of the plugins (`framework.CycleState`).
final class CycleState {
    var topologySpreadFilter: TopologySpreadFilterState?
    var topologySpreadScore: TopologySpreadScoreState?
    var interPodAffinityFilter: InterPodAffinityFilterState?
    var interPodAffinityScore = InterPodAffinityScoreState()
    /// ImageLocality: (normalised image, size · spread) of the pod's images.
    var imageScores: [(String, Int64)] = []
    /// NodePorts: the pod's host ports ("protocol/port").
    var hostPorts: Set<String> = []
    /// Score plugins whose PreScore returned Skip for this pod.
    var skipped: Set<String> = []
    /// The filters that are not skipped for this pod (nil: all of the profile's).
    var activeFilters: [any FilterPlugin]?
    /// PreFilter's merged `PreFilterResult`: the only nodes this pod is evaluated on, in the
    /// scheduler's node order (nil: every node), and the plugins that narrowed them.
    var eligibleNodes: [Int]?
    var narrowingPlugins: [String] = []
}

protocol FilterPlugin {
    var name: String { get }
    /// Cluster-wide precomputation; a failure here fails every node.
    func preFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure?
    /// PreFilter's `PreFilterResult.NodeNames`: the names of the only nodes that can pass
    /// (nil: no narrowing). Names, not indices, as upstream merges them: a name of a node
    /// that is gone still counts until the nodes are looked up.
    func preFilterNodeNames(_ pod: SimPod, _ ctx: SchedulingContext) -> Set<String>?
    /// PreFilter's `Skip`: after `preFilter`, whether `filter` passes every node for this pod
    /// (so that the cycle does not call it for each node).
    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool
    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure?
    /// `filter` on each of `nodes` that no earlier plugin rejected, recording the failures
    /// (with the plugin's name): one dynamic call per batch.
    func filterAll(
        _ pod: SimPod, _ nodes: [Int], _ ctx: SchedulingContext, _ state: CycleState, into verdicts: inout FilterVerdicts)
}

/// The filter verdicts on a batch of nodes: which are rejected, and why (by position).
struct FilterVerdicts {
    /// Per position: −1, or the index of its failure in `failures`.
    private(set) var failureIndex: [Int32]
    private(set) var failures: [FilterFailure] = []

    init(count: Int) { failureIndex = [Int32](repeating: -1, count: count) }

    @inline(__always) func isRejected(_ j: Int) -> Bool { failureIndex[j] >= 0 }

    func failure(_ j: Int) -> FilterFailure? { failureIndex[j] < 0 ? nil : failures[Int(failureIndex[j])] }

    mutating func reject(_ j: Int, _ failure: FilterFailure, plugin: String) {
        var f = failure
        f.plugin = plugin
        failureIndex[j] = Int32(failures.count)
        failures.append(f)
    }
}

protocol ScorePlugin {
    var name: String { get }
    /// false: Skip (the plugin contributes nothing for this pod).
    func preScore(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState) -> Bool
    /// Scores the nodes `feasible` (node indices), into `scores` (same positions).
    func score(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState, into scores: inout [Int64])
    /// `NormalizeScore`, over the scores of the feasible nodes in order.
    func normalize(_ scores: inout [Int64], _ feasible: [Int], _ state: CycleState)
}

extension FilterPlugin {
    func preFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? { nil }
    func preFilterNodeNames(_ pod: SimPod, _ ctx: SchedulingContext) -> Set<String>? { nil }
    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool { false }

    func filterAll(
        _ pod: SimPod, _ nodes: [Int], _ ctx: SchedulingContext, _ state: CycleState, into verdicts: inout FilterVerdicts
    ) {
        for j in nodes.indices where !verdicts.isRejected(j) {
            if let failure = filter(pod, nodes[j], ctx, state) { verdicts.reject(j, failure, plugin: name) }
        }
    }
}

extension ScorePlugin {
    func preScore(_ pod: SimPod, _ feasible: [Int], _ ctx: SchedulingContext, _ state: CycleState) -> Bool { true }
    func normalize(_ scores: inout [Int64], _ feasible: [Int], _ state: CycleState) {}
}

enum Framework {
    static let maxNodeScore: Int64 = 100

    /// `helper.DefaultNormalizeScore(MaxNodeScore, reverse, scores)`.
    static func defaultNormalize(_ scores: inout [Int64], reverse: Bool) {
        let maxCount = scores.max() ?? 0
        if maxCount == 0 {
            if reverse { for i in scores.indices { scores[i] = maxNodeScore } }
            return
        }
        for i in scores.indices {
            var s = maxNodeScore * scores[i] / maxCount
            if reverse { s = maxNodeScore - s }
            scores[i] = s
        }
    }

    /// `numFeasibleNodesToFind`: every node below 100; else the percentage (adaptive when
    /// 0: max(50 − N/125, 5)) of the nodes, at least 100.
    static func numFeasibleNodesToFind(_ n: Int, percentage: Int = 0) -> Int {
        if n < 100 { return n }
        var pct = percentage
        if pct == 0 { pct = max(50 - n / 125, 5) }
        return max(n * pct / 100, 100)
    }

    /// `metadata.name` as a field, for node selector terms (with the node's labels).
    static func fields(name: String) -> [String: String] { ["metadata.name": name] }
}

/// Pods whose spec has pod affinity or anti-affinity (specs never change), collected as pods are
/// created, in groups of equal (namespace, labels, affinity) — a ReplicaSet's pods form one.
///
/// Whether a group's terms match an incoming pod is the same for every member, so InterPodAffinity
/// decides it once per group and visits only the members of groups whose terms match. A relabel
/// (CloudNativePG roles) regroups everything.
struct AffinityPodIndex {
    struct GroupKey: Hashable {
        let namespace: String
        let labels: [String: String]
        let affinity: Affinity
    }
    /// Every pod with pod (anti-)affinity seen so far (gone ones are dropped when regrouping).
    var ids: [PodID] = []
    var groupOf: [GroupKey: Int] = [:]
    var keys: [GroupKey] = []
    var members: [[PodID]] = []
    /// Pod ids below this have been looked at.
    var scanned = 0
    var labelsChanged = false
    /// InterPodAffinity's score terms of each group that match the last incoming pod's
    /// (namespace, labels), with their weights: the pods of a ReplicaSet come one after
    /// another and share them.
    var termCache: GroupTermCache?
}

struct GroupTermCache {
    let namespace: String
    let labels: [String: String]
    let hardPodAffinityWeight: Int64
    /// Per group (in order, the groups known when cached): (topology key, weight).
    var deltas: [[(String, Int64)]]
}

extension ClusterSimulation {
    /// A pod's labels changed: the affinity groups are rebuilt before their next use.
    func podLabelsChanged() {
        schedulerCache.affinityIndex.labelsChanged = true
    }

    /// Every node's fields map (`Framework.fields`), built once per node: node names do not
    /// change and nodes are only ever added.
    func nodeFields() -> [[String: String]] {
        if schedulerCache.nodeFields.count < nodes.count {
            for n in schedulerCache.nodeFields.count..<nodes.count {
                schedulerCache.nodeFields.append(Framework.fields(name: nodes[n].name))
            }
        }
        if schedulerCache.matchCounts.verify {
            for n in nodes.indices {
                precondition(
                    schedulerCache.nodeFields[n] == Framework.fields(name: nodes[n].name), "nodeFields: \(nodes[n].name) renamed")
            }
        }
        return schedulerCache.nodeFields
    }

    /// Every node's `NodeCapacity`, built once per node: a node's spec does not change and
    /// nodes are only ever added.
    func nodeCapacities() -> [NodeCapacity] {
        if schedulerCache.nodeCapacity.count < nodes.count {
            for n in schedulerCache.nodeCapacity.count..<nodes.count {
                schedulerCache.nodeCapacity.append(NodeCapacity(nodes[n].spec))
            }
        }
        if schedulerCache.matchCounts.verify {
            for n in nodes.indices {
                let c = schedulerCache.nodeCapacity[n], a = nodes[n].spec.allocatable
                precondition(
                    c.milliCPU == a.milliCPU && c.memoryBytes == a.memoryBytes && c.pods == nodes[n].spec.allocatablePods,
                    "nodeCapacity: \(nodes[n].name) changed")
            }
        }
        return schedulerCache.nodeCapacity
    }

    /// The groups of pods with pod (anti-)affinity: (namespace, labels, affinity) and member ids.
    func podAffinityGroups() -> (keys: [AffinityPodIndex.GroupKey], members: [[PodID]]) {
        func add(_ id: PodID, _ p: SimPod) {
            guard let a = p.spec.affinity else { return }
            let key = AffinityPodIndex.GroupKey(namespace: p.namespace, labels: p.labels, affinity: a)
            if let g = schedulerCache.affinityIndex.groupOf[key] {
                schedulerCache.affinityIndex.members[g].append(id)
            } else {
                schedulerCache.affinityIndex.groupOf[key] = schedulerCache.affinityIndex.keys.count
                schedulerCache.affinityIndex.keys.append(key)
                schedulerCache.affinityIndex.members.append([id])
            }
        }
        if schedulerCache.affinityIndex.labelsChanged {
            schedulerCache.affinityIndex.labelsChanged = false
            schedulerCache.affinityIndex.termCache = nil
            schedulerCache.affinityIndex.groupOf = [:]
            schedulerCache.affinityIndex.keys = []
            schedulerCache.affinityIndex.members = []
            schedulerCache.affinityIndex.ids = schedulerCache.affinityIndex.ids.filter { pods[$0] != nil }
            for id in schedulerCache.affinityIndex.ids { add(id, pods[id]!) }
        }
        while schedulerCache.affinityIndex.scanned < nextPodID {
            let id = PodID(schedulerCache.affinityIndex.scanned)
            schedulerCache.affinityIndex.scanned += 1
            if let p = pods[id], let a = p.spec.affinity, a.podAffinity != nil || a.podAntiAffinity != nil {
                schedulerCache.affinityIndex.ids.append(id)
                add(id, p)
            }
        }
        return (schedulerCache.affinityIndex.keys, schedulerCache.affinityIndex.members)
    }
}
