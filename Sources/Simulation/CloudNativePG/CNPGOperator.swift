import KubeModel
import SimKernel

/// The CloudNativePG operator (cloudnative-pg v1.30, docs/src/failover.md): instances as pods
/// `<cluster>-<serial>` with one ReadWriteOnce PVC each, created one at a time; pod anti-affinity
/// by hostname (preferred by default); the `-primary` PDB (minAvailable 1) and, from 3 instances,
/// the replica PDB (minAvailable instances − 2).
///
/// Failover when the primary's pod is not Ready: `failoverDelay`, the old primary fenced, WAL
/// receivers down, the first Ready replica elected, the v1.30 primary Lease waited out after an
/// abrupt loss (15 s), promotion. Switchover before a drain reaches the primary's node (cordoned):
/// all instances Ready and a replica elsewhere. A primary cut off by a partition is stopped by its
/// liveness probe's isolation check (CNPGIsolationCheck.swift).
final class CloudNativePGOperator {
    private(set) var clusters: [SimPGCluster] = []

    func handle(_ event: CNPGEvent, in ctx: CNPGOperatorContext) {
        switch event {
        case .sync(let i): sync(i, in: ctx)
        case .failoverElect(let i, let g): failoverElect(i, generation: g, in: ctx)
        case .promote(let i, let s, let g): promote(i, serial: s, generation: g, in: ctx)
        case .isolationCheck(let i, let g): isolationCheck(i, generation: g, in: ctx)
        }
    }

    func create(_ c: CNPGCluster, in ctx: CNPGOperatorContext) {
        let w = ctx.addWorkload(name: c.metadata.key, kind: "Cluster", desired: c.instances)
        if c.archivesWAL {
            ctx.addNote(
                "CloudNativePG \(c.metadata.key): a restore from the WAL archive alone (no streaming replica left) loses at most archive_timeout 5 min of writes plus the upload time (CNPG sets archive_timeout=5min)."
            )
        }
        clusters.append(SimPGCluster(id: clusters.count, object: c, workload: w))
        let labels = ["cnpg.io/cluster": c.metadata.name]
        if c.enablePDB {
            ctx.addPodDisruptionBudget(
                PodDisruptionBudget(
                    metadata: ObjectMeta(name: "\(c.metadata.name)-primary", namespace: c.metadata.namespace),
                    selector: LabelSelector(matchLabels: labels.merging(["cnpg.io/instanceRole": "primary"]) { a, _ in a }),
                    minAvailable: .int(1)))
            if c.instances >= 3 {
                ctx.addPodDisruptionBudget(
                    PodDisruptionBudget(
                        metadata: ObjectMeta(name: c.metadata.name, namespace: c.metadata.namespace),
                        selector: LabelSelector(matchLabels: labels.merging(["cnpg.io/instanceRole": "replica"]) { a, _ in a }),
                        minAvailable: .int(c.instances - 2)))
            }
        }
        requestSync(clusters.count - 1, in: ctx)
    }

    /// The operator's watch saw a change of the cluster's pods (or of a node it cares about).
    func requestSync(_ i: Int, in ctx: CNPGOperatorContext) {
        ctx.schedule(.sync(i), after: ctx.informerLatency())
    }

    /// A node was cordoned: any cluster whose primary runs there may need a switchover.
    func nodeCordoned(in ctx: CNPGOperatorContext) {
        for c in clusters.indices { requestSync(c, in: ctx) }
    }

    /// An instance's pod left the store: its serial is free again.
    func podRemoved(_ pod: SimPod, cluster c: Int, serial: Int) {
        if clusters[c].podBySerial[serial] == pod.id { clusters[c].podBySerial[serial] = nil }
    }

    /// An instance stopped running without a pod change the watch sees (its machine or
    /// kubelet went down): the primary may be gone.
    func instanceStopped(cluster c: Int, in ctx: CNPGOperatorContext) { trackPrimary(c, in: ctx) }

    /// Time without a Ready primary of the cluster measured as workload `w`, including an
    /// outage still open.
    func secondsWithoutPrimary(workload w: WorkloadID, now: SimTime) -> Double? {
        guard let c = clusters.firstIndex(where: { $0.workload == w }) else { return nil }
        let open = clusters[c].noPrimarySince.map { (now - $0).seconds } ?? 0
        return clusters[c].secondsWithoutPrimary + open
    }

    private func sync(_ i: Int, in ctx: CNPGOperatorContext) {
        let c = clusters[i]
        trackPrimary(i, in: ctx)
        // Create the missing instances, one at a time, each once the previous ones are Ready.
        for serial in 1...c.object.instances {
            if let id = c.podBySerial[serial], ctx.pods[id] != nil {
                if !(ctx.pods[id]!.ready) && c.primary == nil && serial == 1 { break }
                continue
            }
            let othersReady = c.podBySerial.values.allSatisfy { ctx.pods[$0]?.ready ?? false }
            guard othersReady || c.podBySerial.isEmpty else { break }
            createInstance(i, serial: serial, in: ctx)
            break
        }
        checkPrimaryHealth(i, in: ctx)
        checkSwitchoverForDrain(i, in: ctx)
    }

    private func createInstance(_ i: Int, serial: Int, in ctx: CNPGOperatorContext) {
        let c = clusters[i].object
        let name = "\(c.metadata.name)-\(serial)"
        ctx.addClaim(
            PersistentVolumeClaim(
                metadata: ObjectMeta(
                    name: name, namespace: c.metadata.namespace,
                    labels: ["cnpg.io/cluster": c.metadata.name]),
                accessModes: ["ReadWriteOnce"], storageClassName: c.storageClass,
                storageBytes: c.storageBytes))
        let role = clusters[i].primary == nil && clusters[i].podBySerial.isEmpty ? "primary" : "replica"
        let labels = [
            "cnpg.io/cluster": c.metadata.name, "cnpg.io/instanceName": name,
            "cnpg.io/instanceRole": role, "role": role,
        ]
        let id = ctx.createInstancePod(
            name: name, namespace: c.metadata.namespace, labels: labels, spec: Self.instancePodSpec(c, claim: name),
            owner: .pgCluster(i, serial: serial), workload: clusters[i].workload)
        clusters[i].podBySerial[serial] = id
        if role == "primary" { clusters[i].primary = serial }
    }

    /// The instance pod: the postgres container with CNPG's startup and readiness probes, the
    /// instance's PVC, and the cluster's pod anti-affinity.
    private static func instancePodSpec(_ c: CNPGCluster, claim: String) -> PodSpec {
        var container = Container(
            name: "postgres", image: c.imageName, resources: c.resources,
            readinessProbe: Probe(periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3))
        container.startupProbe = Probe(periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 360)
        var spec = PodSpec(containers: [container], terminationGracePeriodSeconds: c.stopDelaySeconds)
        spec.volumes = [PodVolume(name: "pgdata", claimName: claim)]
        if c.enablePodAntiAffinity {
            let term =
                #"{"labelSelector": {"matchLabels": {"cnpg.io/cluster": "\#(c.metadata.name)"}}, "topologyKey": "\#(c.topologyKey)"}"#
            let json =
                c.podAntiAffinityType == "required"
                ? #"{"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [\#(term)]}}"#
                : #"{"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100, "podAffinityTerm": \#(term)}]}}"#
            spec.affinity = try? JSONValueDecoder.decode(Affinity.self, json)
        }
        return spec
    }

    /// Time without a Ready primary, for `secondsWithoutPrimary`.
    private func trackPrimary(_ i: Int, in ctx: CNPGOperatorContext) {
        let ok = primaryReady(i, in: ctx)
        if ok, let since = clusters[i].noPrimarySince {
            clusters[i].secondsWithoutPrimary += (ctx.now - since).seconds
            clusters[i].noPrimarySince = nil
        } else if !ok, clusters[i].noPrimarySince == nil, ctx.isMeasuring(workload: clusters[i].workload) {
            clusters[i].noPrimarySince = ctx.now
        }
    }

    private func primaryReady(_ i: Int, in ctx: CNPGOperatorContext) -> Bool {
        guard clusters[i].transition == nil, let s = clusters[i].primary, let id = clusters[i].podBySerial[s],
            let p = ctx.pods[id]
        else { return false }
        return p.serving
    }

    /// Failover trigger: the primary's pod is not Ready (or gone).
    private func checkPrimaryHealth(_ i: Int, in ctx: CNPGOperatorContext) {
        guard clusters[i].transition == nil, let s = clusters[i].primary, ctx.isMeasuring(workload: clusters[i].workload)
        else { return }
        let pod = clusters[i].podBySerial[s].flatMap { ctx.pods[$0] }
        if clusters[i].object.instances == 1 {
            checkSoleInstance(i, pod, in: ctx)
            return
        }
        if let pod, pod.ready, !pod.isTerminating { return }
        clusters[i].transition = .failover(from: s)
        clusters[i].transitionNode = pod?.node
        clusters[i].generation += 1
        if let p = pod, let n = p.node {
            ctx.faultsObserve(
                .primaryUnready, onNode: n,
                "\(p.key) is not Ready: failover starts after failoverDelay \(clusters[i].object.failoverDelaySeconds) s")
        }
        trackPrimary(i, in: ctx)
        ctx.schedule(
            .failoverElect(cluster: i, generation: clusters[i].generation),
            after: ctx.informerLatency() + .seconds(Int64(clusters[i].object.failoverDelaySeconds)))
    }

    /// A single instance has no replica to fail over to: the cluster has no primary while the
    /// instance is down and has it again as soon as the instance is Ready (the instance
    /// manager starts PostgreSQL as the primary it was).
    private func checkSoleInstance(_ i: Int, _ pod: SimPod?, in ctx: CNPGOperatorContext) {
        let up = pod.map { $0.ready && !$0.isTerminating } ?? false
        if !up, !clusters[i].soleInstanceDown {
            clusters[i].soleInstanceDown = true
            clusters[i].soleInstanceNode = pod?.node
            if let p = pod, let n = p.node {
                ctx.faultsObserve(
                    .primaryUnready, onNode: n,
                    "\(p.key) is not Ready: a single instance has no replica to fail over to, so the cluster has no primary until it is Ready again"
                )
            }
        } else if up, clusters[i].soleInstanceDown, let p = pod {
            clusters[i].soleInstanceDown = false
            if let n = clusters[i].soleInstanceNode ?? p.node {
                ctx.faultsObserve(.primaryRecovered, onNode: n, "\(p.key) is Ready again and serves as the primary")
            }
        }
        trackPrimary(i, in: ctx)
    }

    /// Phase 2 of a failover: fence the old primary, wait for the WAL receivers, elect the
    /// first Ready replica, wait out the old primary's Lease, promote.
    private func failoverElect(_ i: Int, generation: Int, in ctx: CNPGOperatorContext) {
        guard clusters[i].generation == generation, case .failover(let old)? = clusters[i].transition else { return }
        relabel(i, serial: old, role: "unhealthy", in: ctx)
        let candidates = clusters[i].podBySerial.sorted { $0.key < $1.key }.filter { serial, id in
            serial != old && (ctx.pods[id]?.serving ?? false)
        }
        guard let (serial, _) = candidates.first else {
            // No Ready replica: wait for one.
            ctx.schedule(.failoverElect(cluster: i, generation: generation), after: .seconds(5))
            return
        }
        // An abrupt loss leaves the Lease unreleased: the candidate sees it unchanged for a
        // full leaseDuration before it may promote; a released Lease costs one retry period.
        // The old primary's instance manager can release it only if it can still write to the
        // API: not when its machine or K3S is down, nor when a partition cuts it off.
        let oldNode = clusters[i].podBySerial[old].flatMap { ctx.pods[$0]?.node }
        let abrupt = oldNode.map { !ctx.k3sRunning($0) || !ctx.canWrite(from: $0) } ?? false
        let wait = abrupt ? CNPGTiming.leaseDuration : CNPGTiming.leaseRetryPeriod
        ctx.schedule(.promote(cluster: i, serial: serial, generation: generation), after: wait + CNPGTiming.promote)
    }

    private func promote(_ i: Int, serial: Int, generation: Int, in ctx: CNPGOperatorContext) {
        guard clusters[i].generation == generation, let transition = clusters[i].transition,
            let id = clusters[i].podBySerial[serial], ctx.pods[id]?.serving == true
        else {
            // The candidate is gone: elect again.
            if clusters[i].generation == generation {
                ctx.schedule(.failoverElect(cluster: i, generation: generation), after: .zero)
            }
            return
        }
        let from: Int
        let isFailover: Bool
        switch transition {
        case .failover(let f): (from, isFailover) = (f, true)
        case .switchover(let f, _): (from, isFailover) = (f, false)
        }
        if isFailover, let oid = clusters[i].podBySerial[from], ctx.pods[oid]?.running == true {
            clusters[i].deposed = (from, ctx.kubeletGeneration(oid))
        }
        relabel(i, serial: from, role: "replica", in: ctx)
        relabel(i, serial: serial, role: "primary", in: ctx)
        clusters[i].primary = serial
        clusters[i].transition = nil
        trackPrimary(i, in: ctx)
        let mech =
            isFailover
            ? "\(ctx.pods[id]!.key) promoted: the first Ready replica, after the old primary's Lease expired (leaseDuration \(CNPGTiming.leaseDuration)) and pg_ctl promote (\(CNPGTiming.promote), assumption)"
            : "switchover to \(ctx.pods[id]!.key) before the drain reaches the old primary (\(CNPGTiming.switchover), assumption)"
        if let n = clusters[i].transitionNode { ctx.faultsObserve(.newPrimary, onNode: n, mech) }
        ctx.faultsObservePodDeletion(workload: clusters[i].workload, .newPrimary, mech)
        requestSync(i, in: ctx)
    }

    /// Switchover when the primary's node is cordoned (drain, upgrade).
    private func checkSwitchoverForDrain(_ i: Int, in ctx: CNPGOperatorContext) {
        guard clusters[i].transition == nil, let s = clusters[i].primary, let id = clusters[i].podBySerial[s],
            let p = ctx.pods[id], let n = p.node, ctx.nodes[n].unschedulable, p.ready
        else { return }
        let all = clusters[i].podBySerial.values.compactMap { ctx.pods[$0] }
        guard all.count == clusters[i].object.instances, all.allSatisfy(\.ready) else { return }
        guard
            let target = clusters[i].podBySerial.sorted(by: { $0.key < $1.key }).first(where: { serial, pid in
                serial != s && ctx.pods[pid].flatMap { $0.node }.map { !ctx.nodes[$0].unschedulable } == true
            })
        else { return }
        clusters[i].transition = .switchover(from: s, to: target.key)
        clusters[i].transitionNode = n
        clusters[i].generation += 1
        // The old primary keeps its role (and the primary PDB) until the new one is promoted,
        // so the drain's eviction of it is refused (429) meanwhile.
        trackPrimary(i, in: ctx)
        ctx.faultsObserve(
            .switchoverStarted, onNode: n,
            "\(p.key)'s node is cordoned: the operator switches over to \(ctx.pods[target.value]!.key) (all instances Ready)")
        ctx.schedule(
            .promote(cluster: i, serial: target.key, generation: clusters[i].generation),
            after: CNPGTiming.switchover + CNPGTiming.leaseRetryPeriod)
    }

    /// A partition began or healed: a primary now cut off gets its liveness kill scheduled;
    /// an instance stopped by one restarts once the partition is gone.
    func partitionChanged(in ctx: CNPGOperatorContext) {
        for i in clusters.indices {
            clusters[i].isolationGeneration += 1
            if ctx.unpartitioned, let s = clusters[i].isolatedStopped { restartIsolated(i, serial: s, in: ctx) }
            guard let (_, id, _) = clusters[i].isolatedPrimary(in: ctx) else { continue }
            let kill = CNPGLiveness.killTime(probeGridStart: ctx.probeGridStart(id), cutAt: ctx.now)
            ctx.schedule(.isolationCheck(cluster: i, generation: clusters[i].isolationGeneration), at: kill)
        }
    }

    /// The instances whose PostgreSQL runs as a primary (more than one is a split brain).
    func runningPrimaries(_ i: Int, in ctx: CNPGOperatorContext) -> [Int] { clusters[i].runningPrimaries(in: ctx) }

    /// The failureThreshold-th failed liveness probe: the kubelet stops PostgreSQL.
    ///
    /// Its restart cannot get past the instance manager's start without the API, so it stays down.
    private func isolationCheck(_ i: Int, generation: Int, in ctx: CNPGOperatorContext) {
        guard clusters[i].isolationGeneration == generation, let (s, id, n) = clusters[i].isolatedPrimary(in: ctx) else {
            return
        }
        ctx.stopAfterLivenessFailure(id)
        clusters[i].isolatedStopped = s
        trackPrimary(i, in: ctx)
        let probe = "failureThreshold \(CNPGLiveness.failureThreshold) × periodSeconds \(CNPGLiveness.period)"
        ctx.faultsObserve(
            .primaryIsolated, onNode: n,
            "\(ctx.pods[id]!.key) reaches neither the API server nor every other instance: its liveness probe's isolation check fails (enabled by default; connectionTimeout and requestTimeout 1000 ms) and the kubelet stops PostgreSQL after \(probe); it stays down until the partition heals"
        )
    }

    /// The partition healed: the kubelet restarts the stopped instance, whose instance manager now
    /// reaches the API and starts it as the primary the Cluster names (a replica if a failover
    /// happened meanwhile).
    ///
    /// A pod deleted meanwhile is removed instead.
    private func restartIsolated(_ i: Int, serial: Int, in ctx: CNPGOperatorContext) {
        clusters[i].isolatedStopped = nil
        guard let id = clusters[i].podBySerial[serial], let pod = ctx.pods[id], !pod.running else { return }
        ctx.restartStoppedPod(id)
    }

    private func relabel(_ i: Int, serial: Int, role: String, in ctx: CNPGOperatorContext) {
        guard let id = clusters[i].podBySerial[serial] else { return }
        ctx.setInstanceRole(id, role)
    }
}
