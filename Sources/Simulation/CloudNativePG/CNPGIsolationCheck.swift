import Foundation
import KubeModel
import SimKernel

/// CNPG's default liveness probe and its primary isolation check (v1.27+, enabled by default).
enum CNPGLiveness {
    /// pkg/specs/pods.go createPostgresContainers: LivenessProbePeriod 10 s; failureThreshold
    /// = ceil(livenessProbeTimeout 30 s / 10 s) = 3 (getFailureThreshold).
    static let period = SimTime.seconds(10)
    static let failureThreshold = 3
    /// How long a failing probe takes to answer: the Cluster Get gives up after the cache's
    /// 500 ms (probes/cache.go NewClusterCache), then the pinger's dial gives up after
    /// connectionTimeout 1000 ms (probes/pinger.go; api/v1/cluster_defaults.go), well within
    /// the probe's timeoutSeconds 5.
    static let failingProbeAnswer = SimTime.milliseconds(1500)
}

/// The primary isolation check (pkg/management/postgres/webserver/probes/liveness.go
/// IsHealthy): a primary's liveness probe fails when its Cluster cannot be fetched from the
/// API server and `evaluateLivenessPinger` finds an instance that does not answer (pinger.go
/// ensureInstancesAreReachable pings every instance and fails at the first that does not).
/// The kubelet then stops PostgreSQL, so a primary cut off by a partition stops taking writes
/// before the operator promotes a replica on the other side (docs/src/failover.md,
/// "Relationship with the primary isolation check"). Skipped for a single instance and when
/// `.spec.probes.liveness.isolationCheck.enabled` is false.
extension ClusterSimulation {
    /// A partition began or healed: a primary now cut off gets its liveness kill scheduled;
    /// an instance stopped by one restarts once the partition is gone.
    func pgPartitionChanged() {
        for i in pgClusters.indices {
            pgClusters[i].isolationGeneration += 1
            if controlPlane.side.isEmpty, let s = pgClusters[i].isolatedStopped { pgRestartIsolated(i, serial: s) }
            guard let (_, id, _) = pgIsolatedPrimary(i) else { continue }
            // Liveness probes tick on the pod's prober grid (pkg/kubelet/prober/worker.go: the
            // workers start with the pod); the first one after the cut fails, and the kubelet
            // acts on the failureThreshold-th failure in a row.
            let first = TickGrid(start: kubelet.pod(id).probeGridStart, period: CNPGLiveness.period)
                .next(atOrAfter: now + SimTime(microseconds: 1))
            let kill = first + CNPGLiveness.period * Int64(CNPGLiveness.failureThreshold - 1) + CNPGLiveness.failingProbeAnswer
            engine.schedule(.cnpg(.isolationCheck(cluster: i, generation: pgClusters[i].isolationGeneration)), at: kill)
        }
    }

    /// The instance running as a primary (the operator's, or one a failover deposed) whose
    /// node's kubelet runs but can reach no API server that writes nor some other instance.
    func pgIsolatedPrimary(_ i: Int) -> (serial: Int, pod: Int, node: Int)? {
        let c = pgClusters[i]
        guard c.object.instances > 1, c.object.isolationCheck else { return nil }
        for s in [c.primary, c.deposed?.serial].compactMap({ $0 }) {
            guard let id = c.podBySerial[s], let pod = pods[id], pod.running, let n = pod.node, k3sRunning(n),
                !canWrite(from: n)
            else { continue }
            let unanswered = c.podBySerial.contains { serial, other in
                guard serial != s, let p = pods[other] else { return false }
                return !(p.running && p.node.map { sameSide($0, n) } == true)
            }
            if unanswered { return (s, id, n) }
        }
        return nil
    }

    /// The failureThreshold-th failed liveness probe: the kubelet stops PostgreSQL. Its
    /// restart cannot get past the instance manager's start without the API, so it stays down.
    func pgIsolationCheck(_ i: Int, generation: Int) {
        guard pgClusters[i].isolationGeneration == generation, let (s, id, n) = pgIsolatedPrimary(i) else { return }
        kubelet.pods[id, default: KubeletPodState()].generation += 1
        kubelet.pods[id]?.probedReady = false
        store.update(pod: id) { $0.running = false }
        pgClusters[i].isolatedStopped = s
        trackPrimary(i)
        let probe = "failureThreshold \(CNPGLiveness.failureThreshold) × periodSeconds \(CNPGLiveness.period)"
        faultsObserve(
            .primaryIsolated, onNode: n,
            "\(pods[id]!.key) reaches neither the API server nor every other instance: its liveness probe's isolation check fails (enabled by default; connectionTimeout and requestTimeout 1000 ms) and the kubelet stops PostgreSQL after \(probe); it stays down until the partition heals"
        )
    }

    /// The partition healed: the kubelet restarts the stopped instance, whose instance
    /// manager now reaches the API and starts it as the primary the Cluster names (a replica
    /// if a failover happened meanwhile). A pod deleted meanwhile is removed instead.
    func pgRestartIsolated(_ i: Int, serial: Int) {
        pgClusters[i].isolatedStopped = nil
        guard let id = pgClusters[i].podBySerial[serial], let pod = pods[id], !pod.running else { return }
        kubelet.pods[id] = KubeletPodState(generation: kubelet.pod(id).generation + 1)
        engine.schedule(.kubelet(.admit(pod: id, generation: kubelet.pod(id).generation)), after: params.apiLatency)
    }

    /// The instances whose PostgreSQL runs as a primary: the operator's primary while it runs,
    /// and a primary a failover deposed while that run lasts and it has not heard the
    /// operator's fencing (its node cannot write to the API). More than one is a split brain.
    func pgRunningPrimaries(_ i: Int) -> [Int] {
        let c = pgClusters[i]
        var serials: [Int] = []
        if let s = c.primary, let id = c.podBySerial[s], pods[id]?.running == true { serials.append(s) }
        if let d = c.deposed, d.serial != c.primary, let id = c.podBySerial[d.serial], let p = pods[id], p.running,
            kubelet.pod(id).generation == d.generation, let n = p.node, !canWrite(from: n)
        {
            serials.append(d.serial)
        }
        return serials
    }
}
