import KubeModel
import SimKernel

struct SimDaemonSet {
    let id: Int
    var object: DaemonSet
    /// The current template revision (bumped by a rollout).
    var revision = 0
    var revisionLabel: String { "\(object.metadata.name)-r\(revision)" }
    let workload: WorkloadID
    /// Node index → pod id.
    var podByNode: [Int: PodID] = [:]
    var podNameCounter = 0
    /// Nodes whose part in the sync (taints, existence, their daemon pod) changed since a sync last
    /// looked at them; every node after a template change.
    ///
    /// A sync visits only these.
    var dirtyNodes = Set<Int>()
    var allNodesDirty = true
    /// `nodeShouldRunDaemonPod` per node when a sync last looked at it, and how many are true.
    var shouldRun: [Bool] = []
    var shouldRunCount = 0
    /// Its pods (kept by `countsChanged`): existing, not Ready or terminating, and not
    /// terminating by `controller-revision-hash`.
    var existingPods = 0
    var unavailablePods = 0
    var activeByRevision: [String: Int] = [:]
}

/// What the DaemonSet controller uses of the cluster: the pods and nodes, the controllers'
/// shared work queue, the workload it measures under, the scheduler's node-affinity check,
/// pod creation (with admission) and deletion, and the rollout milestone.
protocol DaemonSetControllerContext: WorkloadControllerContext {
    var nodes: [SimNode] { get }
    /// The number of nodes that should run a daemon pod changed.
    func setDesiredReplicas(workload w: WorkloadID, to desired: Int)
    func nodeMatchesAffinity(_ spec: PodSpec, node n: Int) -> Bool
    /// generateName's five random characters, from the owner's own stream.
    func podNameSuffix(entity: String) -> String
    func faultsObserveRolloutDone(workload w: WorkloadID, _ mechanism: String)
}

/// The DaemonSet controller (pkg/controller/daemon): one pod on every node the template
/// fits (node name, node affinity, NoSchedule/NoExecute taints), created with the
/// DaemonSet tolerations so that node trouble never evicts them.
final class DaemonSetController {
    private(set) var sets: [SimDaemonSet] = []

    func create(_ ds: DaemonSet, in ctx: DaemonSetControllerContext) {
        let desired = ctx.nodes.indices.filter { Self.shouldRun(ds, node: $0, in: ctx) }.count
        let w = ctx.addWorkload(name: ds.metadata.key, kind: "DaemonSet", desired: desired)
        sets.append(SimDaemonSet(id: sets.count, object: ds, workload: w))
        ctx.enqueueSync(.daemonSet(sets.count - 1))
    }

    func index(namespace: String, name: String) -> Int? {
        sets.firstIndex { $0.object.metadata.namespace == namespace && $0.object.metadata.name == name }
    }

    /// `util.AddOrUpdateDaemonPodTolerations` (pkg/controller/daemon/util).
    static let daemonPodTolerations: [Toleration] = [
        Toleration(key: Taint.notReadyKey, operator: .Exists, effect: .NoExecute),
        Toleration(key: Taint.unreachableKey, operator: .Exists, effect: .NoExecute),
        Toleration(key: Taint.diskPressureKey, operator: .Exists, effect: .NoSchedule),
        Toleration(key: Taint.memoryPressureKey, operator: .Exists, effect: .NoSchedule),
        Toleration(key: Taint.pidPressureKey, operator: .Exists, effect: .NoSchedule),
        Toleration(key: Taint.unschedulableKey, operator: .Exists, effect: .NoSchedule),
    ]

    static func daemonTolerations(_ ds: DaemonSet) -> [Toleration] {
        var t = daemonPodTolerations
        if ds.template.spec.hostNetwork {
            t.append(Toleration(key: Taint.networkUnavailableKey, operator: .Exists, effect: .NoSchedule))
        }
        return t.filter { !ds.template.spec.tolerations.contains($0) }
    }

    /// `NodeShouldRunDaemonPod`: node affinity / selector and taints with the DaemonSet tolerations.
    func nodeShouldRunDaemonPod(_ i: Int, node n: Int, in ctx: DaemonSetControllerContext) -> Bool {
        Self.shouldRun(sets[i].object, node: n, in: ctx)
    }

    private static func shouldRun(_ ds: DaemonSet, node n: Int, in ctx: DaemonSetControllerContext) -> Bool {
        let spec = ds.template.spec
        // The array, not the node: copying a SimNode retains each of its fields.
        let nodes = ctx.nodes
        if nodes[n].deleted { return false }
        if let name = spec.nodeName, name != nodes[n].name { return false }
        if !ctx.nodeMatchesAffinity(spec, node: n) { return false }
        let tolerations = spec.tolerations + daemonTolerations(ds)
        return tolerations.untolerated(nodes[n].taints, effects: [.NoSchedule, .NoExecute]).isEmpty
    }

    /// Upstream looks at every node on each sync.
    ///
    /// A node whose inputs (its taints and existence, its daemon pod and that pod's deletion) did
    /// not change since a sync last looked at it would see nothing done, so only the changed nodes
    /// are visited, in node order; the result is the same (`IncrementalIndexTests` check it after
    /// every event).
    func sync(_ i: Int, in ctx: DaemonSetControllerContext) {
        let nodeCount = ctx.nodes.count
        let visit: [Int]
        if sets[i].allNodesDirty {
            visit = Array(0..<nodeCount)
            sets[i].allNodesDirty = false
        } else {
            visit = sets[i].dirtyNodes.sorted()
        }
        sets[i].dirtyNodes.removeAll(keepingCapacity: true)
        if sets[i].shouldRun.count < nodeCount {
            sets[i].shouldRun += Array(repeating: false, count: nodeCount - sets[i].shouldRun.count)
        }
        for n in visit { syncDaemonPod(i, node: n, in: ctx) }
        let desired = sets[i].shouldRunCount
        ctx.setDesiredReplicas(workload: sets[i].workload, to: desired)
        roll(i, desired: desired, in: ctx)
    }

    /// The sync's work for one node: create the missing daemon pod, delete an ineligible one.
    private func syncDaemonPod(_ i: Int, node n: Int, in ctx: DaemonSetControllerContext) {
        let should = nodeShouldRunDaemonPod(i, node: n, in: ctx)
        if should != sets[i].shouldRun[n] {
            sets[i].shouldRun[n] = should
            sets[i].shouldRunCount += should ? 1 : -1
        }
        let existing = sets[i].podByNode[n]
        if should, existing == nil {
            createPod(i, node: n, in: ctx)
        } else if !should, let id = existing, let pod = ctx.pods[id], !pod.isTerminating {
            // Only an untolerated NoExecute taint or a selector change takes a running
            // daemon pod away; a NoSchedule taint added later leaves it.
            let noExecute = pod.tolerations.untolerated(ctx.nodes[n].taints, effects: [.NoExecute])
            if !noExecute.isEmpty || !ctx.nodeMatchesAffinity(sets[i].object.template.spec, node: n) {
                ctx.deletePod(id, reason: "DaemonSetNodeIneligible")
            }
        }
    }

    /// RollingUpdate (maxSurge 0): old-revision pods are deleted while fewer than
    /// `maxUnavailable` daemon pods are unavailable; each comes back with the new template.
    private func roll(_ i: Int, desired: Int, in ctx: DaemonSetControllerContext) {
        let ds = sets[i]
        let active = ds.activeByRevision.values.reduce(0, +)
        if active == ds.activeByRevision[ds.revisionLabel] ?? 0 {
            // No old pod (the counts spare walking every pod on each sync).
            if ds.existingPods == desired && ds.unavailablePods == 0 {
                ctx.faultsObserveRolloutDone(workload: ds.workload, "every daemon pod at revision \(ds.revision) and Ready")
            }
            return
        }
        let own = ds.podByNode.values.compactMap { ctx.pods[$0] }
        let old = own.filter { $0.labels["controller-revision-hash"] != ds.revisionLabel && !$0.isTerminating }
        let budget = max(1, ds.object.maxUnavailable.scaledValue(total: desired, roundUp: true))
        var unavailable = own.filter { !$0.ready || $0.isTerminating }.count + max(0, desired - own.count)
        // Unhealthy old pods first (they are not serving anyway), then by node order.
        for p in old.sorted(by: { ($0.ready ? 1 : 0, $0.id) < ($1.ready ? 1 : 0, $1.id) }) where unavailable < budget || !p.ready
        {
            ctx.deletePod(p.id, reason: "DaemonSet rolling update")
            if p.ready { unavailable += 1 }
        }
    }

    func updateTemplate(_ i: Int, image: String?, in ctx: DaemonSetControllerContext) {
        if let image {
            for c in sets[i].object.template.spec.containers.indices {
                sets[i].object.template.spec.containers[c].image = image
            }
        }
        sets[i].revision += 1
        sets[i].allNodesDirty = true
        ctx.enqueueSync(.daemonSet(i))
    }

    private func createPod(_ i: Int, node n: Int, in ctx: DaemonSetControllerContext) {
        let ds = sets[i].object
        var spec = ds.template.spec
        // Since 1.12 the default scheduler places daemon pods, pinned by node affinity on
        // metadata.name.
        var affinity = spec.affinity ?? Affinity()
        var nodeAffinity = affinity.nodeAffinity ?? NodeAffinity()
        nodeAffinity.required = NodeSelector(nodeSelectorTerms: [
            NodeSelectorTerm(
                matchFields: [NodeSelectorRequirement(key: "metadata.name", operator: .In, values: [ctx.nodes[n].name])])
        ])
        affinity.nodeAffinity = nodeAffinity
        spec.affinity = affinity
        if ctx.refusedByAdmission(
            spec, namespace: ds.metadata.namespace, podName: "\(ds.metadata.name)-", owner: "DaemonSet \(ds.metadata.key)",
            event: { "Error creating: \($0)" })
        {
            return
        }
        let name = "\(ds.metadata.name)-\(ctx.podNameSuffix(entity: "daemonset/\(ds.metadata.key)"))"
        var labels = ds.template.metadata.labels
        labels["controller-revision-hash"] = sets[i].revisionLabel
        let id = ctx.createPod(
            name: name, namespace: ds.metadata.namespace, labels: labels,
            spec: spec, owner: .daemonSet(i), workload: sets[i].workload,
            extraTolerations: Self.daemonTolerations(ds))
        sets[i].podByNode[n] = id
    }

    // MARK: What the informers tell it

    /// A node's taints or existence changed: every DaemonSet's next sync looks at it.
    func nodeChanged(_ n: Int) {
        for i in sets.indices { sets[i].dirtyNodes.insert(n) }
    }

    /// A node's readiness, taints or labels changed, or a node registered: every DaemonSet syncs.
    func enqueueAll(in ctx: DaemonSetControllerContext) {
        for i in sets.indices { ctx.enqueueSync(.daemonSet(i)) }
    }

    /// One of its pods started terminating: its node is looked at again.
    func podTerminating(set i: Int, node n: Int) { sets[i].dirtyNodes.insert(n) }

    /// One of its pods left the store: the node is looked at again and has no pod of the set.
    func podRemoved(_ pod: SimPod, set i: Int, node n: Int) {
        sets[i].dirtyNodes.insert(n)
        if sets[i].podByNode[n] == pod.id { sets[i].podByNode[n] = nil }
    }

    /// A pod's counted state changed (`PodCountFlags`): the set's existing, unavailable and
    /// per-revision counts follow.
    func countsChanged(_ pod: SimPod, set ds: Int, from old: PodCountFlags, to new: PodCountFlags) {
        if old.exists != new.exists { sets[ds].existingPods += new.exists ? 1 : -1 }
        let unavailable = (old.exists && !old.ready, new.exists && !new.ready)
        if unavailable.0 != unavailable.1 { sets[ds].unavailablePods += unavailable.1 ? 1 : -1 }
        if old.active != new.active {
            sets[ds].activeByRevision[pod.labels["controller-revision-hash"] ?? "", default: 0] += new.active ? 1 : -1
        }
    }
}

extension ClusterSimulation: DaemonSetControllerContext {
    func setDesiredReplicas(workload w: WorkloadID, to desired: Int) {
        guard workloads[w].desired != desired else { return }
        workloads[w].desired = desired
        measureDesiredChanged(workload: w)
    }
}
