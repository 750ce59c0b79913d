import Foundation
import HeapModule
import KubeModel
import SimKernel

/// The ReplicaSet controller (pkg/controller/replicaset): keeps `spec.replicas` active pods
/// (terminating pods do not count, so a pod being deleted is replaced at once), and on
/// scale-down deletes the pods upstream ranks first.
extension ClusterSimulation {
    func createStandaloneReplicaSet(_ m: ReplicaSetManifest) {
        let w = addWorkload(name: m.metadata.key, kind: m.kind, desired: m.replicas)
        _ = newReplicaSet(
            name: m.metadata.name, namespace: m.metadata.namespace, selector: m.selector,
            template: m.template, templateHash: "", replicas: m.replicas,
            minReadySeconds: m.minReadySeconds, deployment: nil, workload: w, revision: 0)
    }

    func newReplicaSet(
        name: String, namespace: String, selector: LabelSelector, template: PodTemplateSpec,
        templateHash: String, replicas: Int, minReadySeconds: Int, deployment: Int?, workload: Int,
        revision: Int
    ) -> Int {
        let id = replicaSets.count
        replicaSets.append(
            SimReplicaSet(
                id: id, name: name, namespace: namespace, selector: selector, template: template,
                templateHash: templateHash, replicas: replicas, minReadySeconds: minReadySeconds, deployment: deployment,
                workload: workload, revision: revision))
        enqueueSync(.replicaSet(id))
        return id
    }

    /// Scales a ReplicaSet's spec (what the Deployment controller does).
    func scaleReplicaSet(_ i: Int, to replicas: Int) {
        guard replicaSets[i].replicas != replicas else { return }
        replicaSets[i].replicas = replicas
        enqueueSync(.replicaSet(i))
    }

    func syncReplicaSet(_ i: Int) {
        // No copy of the ReplicaSet is held across the loops: it would share the pod set,
        // and each creation's insert would then copy the whole set.
        let diff = replicaSets[i].activePods - replicaSets[i].replicas
        if diff < 0 {
            // burstReplicas: at most 500 creations per sync.
            for _ in 0..<min(-diff, 500) { createReplicaSetPod(i) }
        } else if diff > 0 {
            for id in podsToDelete(from: replicaSets[i].pods, count: diff, relatedSets: relatedSets(i)) {
                deletePod(id, reason: "ScaleDown")
            }
        }
        if let d = replicaSets[i].deployment { enqueueSync(.deployment(d)) }
        scheduleAvailabilityCheck(i)
    }

    func createReplicaSetPod(_ i: Int) {
        let (name, namespace) = (replicaSets[i].name, replicaSets[i].namespace)
        if refusedByAdmission(
            replicaSets[i].template.spec, namespace: namespace, podName: "\(name)-",
            owner: "\(replicaSetKind(i)) \(namespace)/\(name)",
            event: { "Error creating: \($0)" })
        {
            return
        }
        replicaSets[i].podNameCounter += 1
        var labels = replicaSets[i].template.metadata.labels
        if !replicaSets[i].templateHash.isEmpty { labels["pod-template-hash"] = replicaSets[i].templateHash }
        let podName = "\(name)-\(podNameSuffix(entity: "replicaset/\(namespace)/\(name)"))"
        let id = createPod(
            name: podName, namespace: namespace, labels: labels, spec: replicaSets[i].template.spec,
            owner: .replicaSet(i), workload: replicaSets[i].workload)
        replicaSets[i].pods.insert(id)
    }

    /// How the set is named in notes: a ReplicationController when the user wrote one.
    func replicaSetKind(_ i: Int) -> String {
        replicaSets[i].deployment == nil ? workloads[replicaSets[i].workload].kind : "ReplicaSet"
    }

    /// Five characters from the alphabet apimachinery uses for generated names.
    func podNameSuffix(entity: String) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        let key = entity + "\u{0}pod-names"
        var rng = randomStreams[key] ?? streams.stream(entity, "pod-names")
        var s = ""
        for _ in 0..<5 { s.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
        randomStreams[key] = rng
        return s
    }

    /// The sets whose pods count for a scale-down's "doubled up" rank: every ReplicaSet of
    /// the same Deployment (the controller's `getIndirectlyRelatedPods`), or the set alone.
    func relatedSets(_ i: Int) -> [Int] {
        replicaSets[i].deployment.map { deployments[$0].replicaSets } ?? [i]
    }

    /// `ActivePodsWithRanks` order (pkg/controller/controller_utils.go `Less`): unassigned
    /// before assigned; Pending before Running; not ready before ready; more related pods on
    /// the same node first; ready for less time first, then newer first — both compared by
    /// the integer part of log2 of the age in nanoseconds (LogarithmicScaleDown) — then by
    /// UID, which is random: here a hash of the seed and the pod. (pod-deletion-cost comes
    /// from the pod template, the same for every pod of a set, so it never decides.)
    /// The candidates are the set's active (not terminating) pods.
    func podsToDelete(from pods: Set<Int>, count: Int, relatedSets: [Int]) -> [Int] {
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
            let c = relatedSets.reduce(0) { $0 + (replicaSets[$1].activeOnNode[n] ?? 0) }
            perNode[n] = c
            return c
        }
        // Single fields read in the dictionary's storage: copying each SimPod (its spec box,
        // labels and tolerations retained and released) was most of a large scale-down.
        let all = self.pods.values
        for id in pods {
            guard let i = self.pods.index(forKey: id), !all[i].isTerminating else { continue }
            let ready = all[i].ready
            ranked.append(
                DeletionRank(
                    node: all[i].node, running: all[i].running, ready: ready, sameNode: 0,
                    readyBucket: ready ? bucket(all[i].readySince) : 0,
                    createdBucket: bucket(all[i].created), uid: podUID(id), id: id))
        }
        for r in ranked.indices { ranked[r].sameNode = ranked[r].node.map(related(onNode:)) ?? 0 }
        return DeletionRank.smallest(count, of: ranked).map(\.id)
    }

    /// A pod's UID for ordering: random upstream, a hash of the run's seed and the pod here.
    func podUID(_ id: Int) -> UInt64 {
        var z = spec.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(id + 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `status.replicas` (active pods), `readyReplicas`, `availableReplicas` (Ready for at
    /// least minReadySeconds).
    func replicaSetStatus(_ i: Int) -> (replicas: Int, ready: Int, available: Int) {
        let rs = replicaSets[i]
        // Ready pods are Ready since now or earlier: without minReadySeconds all are available.
        guard rs.minReadySeconds > 0 else { return (rs.activePods, rs.readyPods, rs.readyPods) }
        var available = 0
        let minReady = SimTime.seconds(Int64(rs.minReadySeconds))
        for id in rs.pods {
            guard let p = pods[id], !p.isTerminating, p.ready, let since = p.readySince else { continue }
            if since + minReady <= now { available += 1 }
        }
        return (rs.activePods, rs.readyPods, available)
    }

    /// With minReadySeconds, a pod becomes available later than Ready: resync then
    /// (the controller's `AddAfter(rs, minReadySeconds)`).
    func scheduleAvailabilityCheck(_ i: Int) {
        let rs = replicaSets[i]
        guard rs.minReadySeconds > 0 else { return }
        let minReady = SimTime.seconds(Int64(rs.minReadySeconds))
        var next: SimTime? = nil
        for id in rs.pods {
            guard let p = pods[id], p.ready, !p.isTerminating, let since = p.readySince, since + minReady > now else { continue }
            next = min(next ?? since + minReady, since + minReady)
        }
        // One timer per ReplicaSet, at the earliest time a pod becomes available; it does
        // not go through the sync queue, so it never delays an immediate sync.
        guard let next else { return }
        if let pending = availabilityChecks[i], pending <= next, pending > now { return }
        availabilityChecks[i] = next
        engine.schedule(.availabilityCheck(replicaSet: i), at: next)
    }
}

/// A pod's place in `ActivePodsWithRanks` order: smaller goes first.
struct DeletionRank: Comparable {
    let node: Int?
    let running: Bool, ready: Bool
    /// Pods of the same set on the pod's node.
    var sameNode: Int
    /// Log2-nanosecond buckets of ready time (only between ready pods) and of age.
    let readyBucket: Int, createdBucket: Int
    let uid: UInt64
    let id: Int

    /// The `k` smallest ranks in ascending order (the order is total: ids break ties), by a
    /// bounded max-heap when k is a small part of the pods: a rolling update scales a
    /// ReplicaSet of 1,400 pods down a few at a time, and sorting them all each step was
    /// most of its sync on the large scenario.
    static func smallest(_ k: Int, of ranks: [DeletionRank]) -> [DeletionRank] {
        guard k > 0 else { return [] }
        guard k * 8 < ranks.count else { return Array(ranks.sorted().prefix(k)) }
        var heap = Heap<DeletionRank>()  // min-max: the largest kept rank is at hand
        for r in ranks {
            if heap.count < k { heap.insert(r) } else if r < heap.max! { heap.replaceMax(with: r) }
        }
        return heap.unordered.sorted()
    }

    /// LogarithmicScaleDown's rank of an age: the integer part of log2 of it in nanoseconds
    /// (controller_utils.go `logarithmicRankDiff`), so pods within a factor of two of each
    /// other's age usually share a rank.
    static func ageBucket(_ age: SimTime) -> Int {
        Int(log2(Double(max(1, age.microseconds * 1000))))
    }

    static func < (a: DeletionRank, b: DeletionRank) -> Bool {
        if (a.node == nil) != (b.node == nil) { return a.node == nil }
        if a.running != b.running { return !a.running }
        if a.ready != b.ready { return !a.ready }
        if a.sameNode != b.sameNode { return a.sameNode > b.sameNode }
        if a.readyBucket != b.readyBucket { return a.readyBucket < b.readyBucket }
        if a.createdBucket != b.createdBucket { return a.createdBucket < b.createdBucket }
        if a.uid != b.uid { return a.uid < b.uid }
        return a.id > b.id
    }
}
