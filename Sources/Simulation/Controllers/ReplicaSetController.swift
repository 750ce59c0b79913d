import KubeModel
import SimKernel

/// What the ReplicaSet controller uses of the cluster: the pods, the clock, the controllers'
/// shared work queue and its own availability timer, the workload it measures under, pod
/// creation (with admission) and deletion, and the sets whose pods count for a scale-down's
/// "doubled up" rank (every ReplicaSet of the same Deployment).
protocol ReplicaSetControllerContext: WorkloadControllerContext {
    var now: SimTime { get }
    /// The run's seed: pod UIDs for ordering derive from it.
    var runSeed: UInt64 { get }
    func scheduleAvailabilityCheck(replicaSet: Int, at time: SimTime)
    func workloadKind(_ w: WorkloadID) -> String
    func podNameSuffix(entity: String) -> String
    func relatedReplicaSets(_ i: Int) -> [Int]
}

/// The ReplicaSet controller (pkg/controller/replicaset): keeps `spec.replicas` active pods
/// (terminating pods do not count, so a pod being deleted is replaced at once), and on
/// scale-down deletes the pods upstream ranks first.
final class ReplicaSetController {
    private(set) var sets: [SimReplicaSet] = []
    /// Per set, when its pending availability timer fires (one timer per set).
    private var availabilityChecks: [Int: SimTime] = [:]

    func createStandalone(_ m: ReplicaSetManifest, in ctx: ReplicaSetControllerContext) {
        let w = ctx.addWorkload(name: m.metadata.key, kind: m.kind, desired: m.replicas)
        _ = create(
            name: m.metadata.name, namespace: m.metadata.namespace, selector: m.selector,
            template: m.template, templateHash: "", replicas: m.replicas,
            minReadySeconds: m.minReadySeconds, deployment: nil, workload: w, revision: 0, in: ctx)
    }

    func create(
        name: String, namespace: String, selector: LabelSelector, template: PodTemplateSpec,
        templateHash: String, replicas: Int, minReadySeconds: Int, deployment: Int?, workload: WorkloadID,
        revision: Int, in ctx: ReplicaSetControllerContext
    ) -> Int {
        let id = sets.count
        sets.append(
            SimReplicaSet(
                id: id, name: name, namespace: namespace, selector: selector, template: template,
                templateHash: templateHash, replicas: replicas, minReadySeconds: minReadySeconds, deployment: deployment,
                workload: workload, revision: revision))
        ctx.enqueueSync(.replicaSet(id))
        return id
    }

    /// Scales a ReplicaSet's spec (what the Deployment controller does).
    func scale(_ i: Int, to replicas: Int, in ctx: ReplicaSetControllerContext) {
        guard sets[i].replicas != replicas else { return }
        sets[i].replicas = replicas
        ctx.enqueueSync(.replicaSet(i))
    }

    /// The Deployment's `desired-replicas` and `max-replicas` annotations on the set.
    func annotate(_ i: Int, desired: Int, max: Int) {
        sets[i].desiredAnnotation = desired
        sets[i].maxAnnotation = max
    }

    func sync(_ i: Int, in ctx: ReplicaSetControllerContext) {
        // No copy of the ReplicaSet is held across the loops: it would share the pod set,
        // and each creation's insert would then copy the whole set.
        let diff = sets[i].activePods - sets[i].replicas
        if diff < 0 {
            // burstReplicas: at most 500 creations per sync.
            for _ in 0..<min(-diff, 500) { createPod(i, in: ctx) }
        } else if diff > 0 {
            let victims = Self.podsToDelete(
                from: sets[i].pods, count: diff, relatedSets: ctx.relatedReplicaSets(i), sets: sets, in: ctx)
            for id in victims { ctx.deletePod(id, reason: "ScaleDown") }
        }
        if let d = sets[i].deployment { ctx.enqueueSync(.deployment(d)) }
        scheduleAvailabilityCheck(i, in: ctx)
    }

    /// The availability timer fired: a pod may have become available.
    func availabilityCheckDue(_ i: Int, in ctx: ReplicaSetControllerContext) {
        if availabilityChecks[i] == ctx.now { availabilityChecks[i] = nil }
        sync(i, in: ctx)
    }

    private func createPod(_ i: Int, in ctx: ReplicaSetControllerContext) {
        let (name, namespace) = (sets[i].name, sets[i].namespace)
        if ctx.refusedByAdmission(
            sets[i].template.spec, namespace: namespace, podName: "\(name)-",
            owner: "\(kind(i, in: ctx)) \(namespace)/\(name)",
            event: { "Error creating: \($0)" })
        {
            return
        }
        sets[i].podNameCounter += 1
        var labels = sets[i].template.metadata.labels
        if !sets[i].templateHash.isEmpty { labels["pod-template-hash"] = sets[i].templateHash }
        let podName = "\(name)-\(ctx.podNameSuffix(entity: "replicaset/\(namespace)/\(name)"))"
        let id = ctx.createPod(
            name: podName, namespace: namespace, labels: labels, spec: sets[i].template.spec,
            owner: .replicaSet(i), workload: sets[i].workload, extraTolerations: [])
        sets[i].pods.insert(id)
    }

    /// How the set is named in notes: a ReplicationController when the user wrote one.
    func kind(_ i: Int, in ctx: ReplicaSetControllerContext) -> String {
        sets[i].deployment == nil ? ctx.workloadKind(sets[i].workload) : "ReplicaSet"
    }

    /// `ActivePodsWithRanks` order (pkg/controller/controller_utils.go `Less`): unassigned before
    /// assigned; Pending before Running; not ready before ready; more related pods on the same node
    /// first; ready for less time first, then newer first — both compared by the integer part of
    /// log2 of the age in nanoseconds (LogarithmicScaleDown) — then by UID, which is random: here a
    /// hash of the seed and the pod.
    ///
    /// (pod-deletion-cost comes from the pod template, the same for every pod of a set, so it never
    /// decides.) The candidates are the set's active (not terminating) pods; `sets` are the
    /// ReplicaSets the related ones index into.
    static func podsToDelete(
        from pods: Set<PodID>, count: Int, relatedSets: [Int], sets: [SimReplicaSet], in ctx: ReplicaSetControllerContext
    ) -> [PodID] {
        let now = ctx.now
        func bucket(_ since: SimTime?) -> Int {
            guard let since else { return Int.max }
            return DeletionRank.ageBucket(now - since)
        }
        // The comparison is lexicographic over these keys (ready-time buckets only matter
        // between two ready pods); computing them once per pod keeps the sort cheap.
        var ranked: [DeletionRank] = []
        ranked.reserveCapacity(pods.count)
        var perNode: [Int: Int] = [:]
        func related(onNode n: Int) -> Int {
            if let c = perNode[n] { return c }
            let c = relatedSets.reduce(0) { $0 + (sets[$1].activeOnNode[n] ?? 0) }
            perNode[n] = c
            return c
        }
        // Single fields read in the dictionary's storage: copying each SimPod (its spec box,
        // labels and tolerations retained and released) was most of a large scale-down.
        let all = ctx.pods
        let p = all.values
        let seed = ctx.runSeed
        for id in pods {
            guard let i = all.index(forKey: id), !p[i].isTerminating else { continue }
            let ready = p[i].ready
            ranked.append(
                DeletionRank(
                    node: p[i].node, running: p[i].running, ready: ready, sameNode: 0,
                    readyBucket: ready ? bucket(p[i].readySince) : 0,
                    createdBucket: bucket(p[i].created), uid: DeletionRank.podUID(id, seed: seed), id: id))
        }
        for r in ranked.indices { ranked[r].sameNode = ranked[r].node.map(related(onNode:)) ?? 0 }
        return DeletionRank.smallest(count, of: ranked).map(\.id)
    }

    /// `status.replicas` (active pods), `readyReplicas`, `availableReplicas` (Ready for at
    /// least minReadySeconds).
    func status(_ i: Int, in ctx: ReplicaSetControllerContext) -> (replicas: Int, ready: Int, available: Int) {
        let rs = sets[i]
        // Ready pods are Ready since now or earlier: without minReadySeconds all are available.
        guard rs.minReadySeconds > 0 else { return (rs.activePods, rs.readyPods, rs.readyPods) }
        var available = 0
        let minReady = SimTime.seconds(Int64(rs.minReadySeconds))
        let now = ctx.now
        for id in rs.pods {
            guard let p = ctx.pods[id], !p.isTerminating, p.ready, let since = p.readySince else { continue }
            if since + minReady <= now { available += 1 }
        }
        return (rs.activePods, rs.readyPods, available)
    }

    /// With minReadySeconds, a pod becomes available later than Ready: resync then
    /// (the controller's `AddAfter(rs, minReadySeconds)`).
    private func scheduleAvailabilityCheck(_ i: Int, in ctx: ReplicaSetControllerContext) {
        let rs = sets[i]
        guard rs.minReadySeconds > 0 else { return }
        let minReady = SimTime.seconds(Int64(rs.minReadySeconds))
        let now = ctx.now
        var next: SimTime? = nil
        for id in rs.pods {
            guard let p = ctx.pods[id], p.ready, !p.isTerminating, let since = p.readySince, since + minReady > now else {
                continue
            }
            next = min(next ?? since + minReady, since + minReady)
        }
        // One timer per ReplicaSet, at the earliest time a pod becomes available; it does
        // not go through the sync queue, so it never delays an immediate sync.
        guard let next else { return }
        if let pending = availabilityChecks[i], pending <= next, pending > now { return }
        availabilityChecks[i] = next
        ctx.scheduleAvailabilityCheck(replicaSet: i, at: next)
    }

    // MARK: What the informers tell it

    /// One of its pods left the store.
    func podRemoved(_ id: PodID, set i: Int) { sets[i].pods.remove(id) }

    /// A pod's counted state changed: the set's active and ready counts follow.
    func countsChanged(set rs: Int, from old: PodCountFlags, to new: PodCountFlags) {
        if old.active != new.active { sets[rs].activePods += new.active ? 1 : -1 }
        if old.ready != new.ready { sets[rs].readyPods += new.ready ? 1 : -1 }
    }

    /// Its bound, not terminating pods on node `n` changed by `delta`.
    func activeOnNodeChanged(set rs: Int, node n: Int, by delta: Int) {
        sets[rs].activeOnNode[n, default: 0] += delta
    }
}
