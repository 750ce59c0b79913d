import Foundation
import KubeModel
import SimKernel

/// The CloudNativePG operator's view of one cluster.
struct SimPGCluster {
    let id: Int
    let object: CNPGCluster
    let workload: Int
    /// serial (1…instances) → pod id of the instance with that name.
    var podBySerial: [Int: Int] = [:]
    var primary: Int?
    /// A failover or switchover is under way (no primary until it ends).
    var transition: Transition?
    /// The node of the primary when the transition started (its fault gets the milestones).
    var transitionNode: Int?
    var generation = 0
    var noPrimarySince: SimTime?
    var secondsWithoutPrimary = 0.0
    /// A single-instance cluster's instance is down (nothing to fail over to), and the node it
    /// was on when it went (its fault gets the milestones).
    var soleInstanceDown = false
    var soleInstanceNode: Int?
    /// Bumped whenever a partition begins or heals, so that a liveness kill scheduled for an
    /// earlier isolation is dropped.
    var isolationGeneration = 0
    /// The instance the kubelet stopped on its failed isolation check: it stays down while
    /// cut off (its instance manager needs the API to start) and restarts once the partition heals.
    var isolatedStopped: Int?
    /// A primary replaced by a failover while its PostgreSQL still ran, with the kubelet
    /// generation of that run: it accepts writes until that run ends (see `pgRunningPrimaries`).
    var deposed: (serial: Int, generation: Int)?

    enum Transition: Equatable { case failover(from: Int), switchover(from: Int, to: Int) }
}

/// Timing assumptions of the operator's actions (not CNPG settings).
enum CNPGTiming {
    /// `pg_ctl promote` of a streaming replica. Assumption: 2 s.
    static let promote = SimTime.seconds(2)
    /// A replica cloning the primary (pg_basebackup) before it can stream. Assumption: 30 s.
    static let replicaJoin = SimTime.seconds(30)
    /// A clean switchover: fast shutdown of the primary, WAL catch-up, promotion. Assumption: 5 s.
    static let switchover = SimTime.seconds(5)
    /// v1.30 primary Lease (docs/src/failover.md): duration 15 s, retry period 2 s.
    static let leaseDuration = SimTime.seconds(15)
    static let leaseRetryPeriod = SimTime.seconds(2)
    /// `wal_receiver_timeout` set by CNPG: replicas notice a dead primary within 5 s.
    static let walReceiverTimeout = SimTime.seconds(5)
}

/// The CloudNativePG operator (cloudnative-pg v1.30; k8s-facts §7): instances as pods
/// `<cluster>-<serial>` with one ReadWriteOnce PVC each, created one at a time; pod
/// anti-affinity by hostname (preferred by default); the `-primary` PDB (minAvailable 1)
/// and, from 3 instances, the replica PDB (minAvailable instances − 2).
/// Failover when the primary's pod is not Ready: `failoverDelay`, the old primary fenced,
/// WAL receivers down, the first Ready replica elected, the v1.30 primary Lease waited out
/// after an abrupt loss (15 s), promotion. Switchover before a drain reaches the primary's
/// node (cordoned): all instances Ready and a replica elsewhere. A primary cut off by a
/// partition is stopped by its liveness probe's isolation check (below).
extension ClusterSimulation {
    func createPGCluster(_ c: CNPGCluster) {
        let w = addWorkload(name: c.metadata.key, kind: "Cluster", desired: c.instances)
        if c.archivesWAL {
            notes.append(
                "CloudNativePG \(c.metadata.key): a restore from the WAL archive alone (no streaming replica left) loses at most archive_timeout 5 min of writes plus the upload time (CNPG sets archive_timeout=5min)."
            )
        }
        pgClusters.append(SimPGCluster(id: pgClusters.count, object: c, workload: w))
        let labels = ["cnpg.io/cluster": c.metadata.name]
        if c.enablePDB {
            pdbs.append(
                PodDisruptionBudget(
                    metadata: ObjectMeta(name: "\(c.metadata.name)-primary", namespace: c.metadata.namespace),
                    selector: LabelSelector(matchLabels: labels.merging(["cnpg.io/instanceRole": "primary"]) { a, _ in a }),
                    minAvailable: .int(1)))
            if c.instances >= 3 {
                pdbs.append(
                    PodDisruptionBudget(
                        metadata: ObjectMeta(name: c.metadata.name, namespace: c.metadata.namespace),
                        selector: LabelSelector(matchLabels: labels.merging(["cnpg.io/instanceRole": "replica"]) { a, _ in a }),
                        minAvailable: .int(c.instances - 2)))
            }
        }
        enqueuePGSync(pgClusters.count - 1, after: params.apiLatency)
    }

    func enqueuePGSync(_ i: Int, after delay: SimTime) {
        engine.schedule(.cnpg(.sync(i)), after: delay)
    }

    func syncPGCluster(_ i: Int) {
        let c = pgClusters[i]
        trackPrimary(i)
        // Create the missing instances, one at a time, each once the previous ones are Ready.
        for serial in 1...c.object.instances {
            if let id = c.podBySerial[serial], pods[id] != nil {
                if !(pods[id]!.ready) && c.primary == nil && serial == 1 { break }
                continue
            }
            let othersReady = c.podBySerial.values.allSatisfy { pods[$0]?.ready ?? false }
            guard othersReady || c.podBySerial.isEmpty else { break }
            createInstance(i, serial: serial)
            break
        }
        checkPrimaryHealth(i)
        checkSwitchoverForDrain(i)
    }

    func createInstance(_ i: Int, serial: Int) {
        let c = pgClusters[i].object
        let name = "\(c.metadata.name)-\(serial)"
        addClaim(
            PersistentVolumeClaim(
                metadata: ObjectMeta(
                    name: name, namespace: c.metadata.namespace,
                    labels: ["cnpg.io/cluster": c.metadata.name]),
                accessModes: ["ReadWriteOnce"], storageClassName: c.storageClass,
                storageBytes: c.storageBytes))
        var container = Container(
            name: "postgres", image: c.imageName, resources: c.resources,
            readinessProbe: Probe(periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3))
        container.startupProbe = Probe(periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 360)
        var spec = PodSpec(containers: [container], terminationGracePeriodSeconds: c.stopDelaySeconds)
        spec.volumes = [PodVolume(name: "pgdata", claimName: name)]
        if c.enablePodAntiAffinity {
            let term =
                #"{"labelSelector": {"matchLabels": {"cnpg.io/cluster": "\#(c.metadata.name)"}}, "topologyKey": "\#(c.topologyKey)"}"#
            let json =
                c.podAntiAffinityType == "required"
                ? #"{"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [\#(term)]}}"#
                : #"{"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100, "podAffinityTerm": \#(term)}]}}"#
            spec.affinity = try? JSONValueDecoder.decode(Affinity.self, json)
        }
        let role = pgClusters[i].primary == nil && pgClusters[i].podBySerial.isEmpty ? "primary" : "replica"
        let labels = [
            "cnpg.io/cluster": c.metadata.name, "cnpg.io/instanceName": name,
            "cnpg.io/instanceRole": role, "role": role,
        ]
        let id = createPod(
            name: name, namespace: c.metadata.namespace, labels: labels, spec: spec, owner: .pgCluster(i, serial: serial),
            workload: pgClusters[i].workload)
        pgClusters[i].podBySerial[serial] = id
        if role == "primary" { pgClusters[i].primary = serial }
    }

    /// Time without a Ready primary, for `secondsWithoutPrimary`.
    func trackPrimary(_ i: Int) {
        let ok = pgPrimaryReady(i)
        if ok, let since = pgClusters[i].noPrimarySince {
            pgClusters[i].secondsWithoutPrimary += (now - since).seconds
            pgClusters[i].noPrimarySince = nil
        } else if !ok, pgClusters[i].noPrimarySince == nil, workloads[pgClusters[i].workload].measuring {
            pgClusters[i].noPrimarySince = now
        }
    }

    func pgPrimaryReady(_ i: Int) -> Bool {
        guard pgClusters[i].transition == nil, let s = pgClusters[i].primary, let id = pgClusters[i].podBySerial[s],
            let p = pods[id]
        else { return false }
        return p.serving
    }

    /// Failover trigger: the primary's pod is not Ready (or gone).
    func checkPrimaryHealth(_ i: Int) {
        guard pgClusters[i].transition == nil, let s = pgClusters[i].primary, workloads[pgClusters[i].workload].measuring else {
            return
        }
        let pod = pgClusters[i].podBySerial[s].flatMap { pods[$0] }
        if pgClusters[i].object.instances == 1 {
            checkSoleInstance(i, pod)
            return
        }
        if let pod, pod.ready, !pod.isTerminating { return }
        pgClusters[i].transition = .failover(from: s)
        pgClusters[i].transitionNode = pod?.node
        pgClusters[i].generation += 1
        if let p = pod, let n = p.node {
            faultsObserve(
                .primaryUnready, onNode: n,
                "\(p.key) is not Ready: failover starts after failoverDelay \(pgClusters[i].object.failoverDelaySeconds) s")
        }
        trackPrimary(i)
        engine.schedule(
            .cnpg(.failoverElect(cluster: i, generation: pgClusters[i].generation)),
            after: params.apiLatency + .seconds(Int64(pgClusters[i].object.failoverDelaySeconds)))
    }

    /// A single instance has no replica to fail over to: the cluster has no primary while the
    /// instance is down and has it again as soon as the instance is Ready (the instance
    /// manager starts PostgreSQL as the primary it was).
    func checkSoleInstance(_ i: Int, _ pod: SimPod?) {
        let up = pod.map { $0.ready && !$0.isTerminating } ?? false
        if !up, !pgClusters[i].soleInstanceDown {
            pgClusters[i].soleInstanceDown = true
            pgClusters[i].soleInstanceNode = pod?.node
            if let p = pod, let n = p.node {
                faultsObserve(
                    .primaryUnready, onNode: n,
                    "\(p.key) is not Ready: a single instance has no replica to fail over to, so the cluster has no primary until it is Ready again"
                )
            }
        } else if up, pgClusters[i].soleInstanceDown, let p = pod {
            pgClusters[i].soleInstanceDown = false
            if let n = pgClusters[i].soleInstanceNode ?? p.node {
                faultsObserve(.primaryRecovered, onNode: n, "\(p.key) is Ready again and serves as the primary")
            }
        }
        trackPrimary(i)
    }

    /// Phase 2 of a failover: fence the old primary, wait for the WAL receivers, elect the
    /// first Ready replica, wait out the old primary's Lease, promote.
    func pgFailoverElect(_ i: Int, generation: Int) {
        guard pgClusters[i].generation == generation, case .failover(let old)? = pgClusters[i].transition else { return }
        relabel(i, serial: old, role: "unhealthy")
        let candidates = pgClusters[i].podBySerial.sorted { $0.key < $1.key }.filter { serial, id in
            serial != old && (pods[id]?.serving ?? false)
        }
        guard let (serial, _) = candidates.first else {
            // No Ready replica: wait for one.
            engine.schedule(.cnpg(.failoverElect(cluster: i, generation: generation)), after: .seconds(5))
            return
        }
        // An abrupt loss leaves the Lease unreleased: the candidate sees it unchanged for a
        // full leaseDuration before it may promote; a released Lease costs one retry period.
        // The old primary's instance manager can release it only if it can still write to the
        // API: not when its machine or K3S is down, nor when a partition cuts it off.
        let oldNode = pgClusters[i].podBySerial[old].flatMap { pods[$0]?.node }
        let abrupt = oldNode.map { !k3sRunning($0) || !canWrite(from: $0) } ?? false
        let wait = abrupt ? CNPGTiming.leaseDuration : CNPGTiming.leaseRetryPeriod
        engine.schedule(.cnpg(.promote(cluster: i, serial: serial, generation: generation)), after: wait + CNPGTiming.promote)
    }

    func pgPromote(_ i: Int, serial: Int, generation: Int) {
        guard pgClusters[i].generation == generation, pgClusters[i].transition != nil,
            let id = pgClusters[i].podBySerial[serial], pods[id]?.serving == true
        else {
            // The candidate is gone: elect again.
            if pgClusters[i].generation == generation {
                engine.schedule(.cnpg(.failoverElect(cluster: i, generation: generation)), after: .zero)
            }
            return
        }
        let from: Int
        switch pgClusters[i].transition! {
        case .failover(let f): from = f
        case .switchover(let f, _): from = f
        }
        let kind =
            pgClusters[i].transition.map { if case .switchover = $0 { return "switchover" } else { return "failover" } }
            ?? "failover"
        if kind == "failover", let oid = pgClusters[i].podBySerial[from], pods[oid]?.running == true {
            pgClusters[i].deposed = (from, kubelet.pod(oid).generation)
        }
        relabel(i, serial: from, role: "replica")
        relabel(i, serial: serial, role: "primary")
        pgClusters[i].primary = serial
        pgClusters[i].transition = nil
        trackPrimary(i)
        let nodeOfOld = pgClusters[i].transitionNode
        let mech =
            kind == "failover"
            ? "\(pods[id]!.key) promoted: the first Ready replica, after the old primary's Lease expired (leaseDuration \(CNPGTiming.leaseDuration)) and pg_ctl promote (\(CNPGTiming.promote), assumption)"
            : "switchover to \(pods[id]!.key) before the drain reaches the old primary (\(CNPGTiming.switchover), assumption)"
        if let n = nodeOfOld { faultsObserve(.newPrimary, onNode: n, mech) }
        faultsObservePGAny(i, .newPrimary, mech)
        enqueuePGSync(i, after: params.apiLatency)
    }

    /// Switchover when the primary's node is cordoned (drain, upgrade).
    func checkSwitchoverForDrain(_ i: Int) {
        guard pgClusters[i].transition == nil, let s = pgClusters[i].primary, let id = pgClusters[i].podBySerial[s],
            let p = pods[id], let n = p.node, nodes[n].unschedulable, p.ready
        else { return }
        let all = pgClusters[i].podBySerial.values.compactMap { pods[$0] }
        guard all.count == pgClusters[i].object.instances, all.allSatisfy(\.ready) else { return }
        guard
            let target = pgClusters[i].podBySerial.sorted(by: { $0.key < $1.key }).first(where: { serial, pid in
                serial != s && pods[pid].flatMap { $0.node }.map { !nodes[$0].unschedulable } == true
            })
        else { return }
        pgClusters[i].transition = .switchover(from: s, to: target.key)
        pgClusters[i].transitionNode = n
        pgClusters[i].generation += 1
        // The old primary keeps its role (and the primary PDB) until the new one is promoted,
        // so the drain's eviction of it is refused (429) meanwhile.
        trackPrimary(i)
        faultsObserve(
            .switchoverStarted, onNode: n,
            "\(p.key)'s node is cordoned: the operator switches over to \(pods[target.value]!.key) (all instances Ready)")
        engine.schedule(
            .cnpg(.promote(cluster: i, serial: target.key, generation: pgClusters[i].generation)),
            after: CNPGTiming.switchover + CNPGTiming.leaseRetryPeriod)
    }

    func relabel(_ i: Int, serial: Int, role: String) {
        guard let id = pgClusters[i].podBySerial[serial] else { return }
        store.update(pod: id) { p in
            p.labels["cnpg.io/instanceRole"] = role
            p.labels["role"] = role
        }
    }
}

/// Decodes KubeModel values the operator builds from JSON templates.
enum JSONValueDecoder {
    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }
}

extension ClusterSimulation {
    func handle(_ event: CNPGEvent) {
        switch event {
        case .sync(let i): syncPGCluster(i)
        case .failoverElect(let i, let g): pgFailoverElect(i, generation: g)
        case .promote(let i, let s, let g): pgPromote(i, serial: s, generation: g)
        case .isolationCheck(let i, let g): pgIsolationCheck(i, generation: g)
        }
    }
}
