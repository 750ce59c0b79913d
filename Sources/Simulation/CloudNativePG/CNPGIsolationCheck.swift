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

    /// When the kubelet kills a primary cut off just before `now`: liveness probes tick on the
    /// pod's prober grid (pkg/kubelet/prober/worker.go: the workers start with the pod); the
    /// first one after the cut fails, and the kubelet acts on the failureThreshold-th failure
    /// in a row.
    static func killTime(probeGridStart: SimTime, cutAt now: SimTime) -> SimTime {
        let first = TickGrid(start: probeGridStart, period: period).next(atOrAfter: now + SimTime(microseconds: 1))
        return first + period * Int64(failureThreshold - 1) + failingProbeAnswer
    }
}

/// The primary isolation check (pkg/management/postgres/webserver/probes/liveness.go
/// IsHealthy): a primary's liveness probe fails when its Cluster cannot be fetched from the
/// API server and `evaluateLivenessPinger` finds an instance that does not answer (pinger.go
/// ensureInstancesAreReachable pings every instance and fails at the first that does not).
/// The kubelet then stops PostgreSQL, so a primary cut off by a partition stops taking writes
/// before the operator promotes a replica on the other side (docs/src/failover.md,
/// "Relationship with the primary isolation check"). Skipped for a single instance and when
/// `.spec.probes.liveness.isolationCheck.enabled` is false. The operator acts on these
/// answers in `CloudNativePGOperator.partitionChanged` and `isolationCheck`.
extension SimPGCluster {
    /// The instance running as a primary (the operator's, or one a failover deposed) whose
    /// node's kubelet runs but can reach no API server that writes nor some other instance.
    func isolatedPrimary(in ctx: CNPGOperatorContext) -> (serial: Int, pod: PodID, node: Int)? {
        guard object.instances > 1, object.isolationCheck else { return nil }
        for s in [primary, deposed?.serial].compactMap({ $0 }) {
            guard let id = podBySerial[s], let pod = ctx.pods[id], pod.running, let n = pod.node, ctx.k3sRunning(n),
                !ctx.canWrite(from: n)
            else { continue }
            let unanswered = podBySerial.contains { serial, other in
                guard serial != s, let p = ctx.pods[other] else { return false }
                return !(p.running && p.node.map { ctx.sameSide($0, n) } == true)
            }
            if unanswered { return (s, id, n) }
        }
        return nil
    }

    /// The instances whose PostgreSQL runs as a primary: the operator's primary while it runs, and
    /// a primary a failover deposed while that run lasts and it has not heard the operator's
    /// fencing (its node cannot write to the API).
    ///
    /// More than one is a split brain.
    func runningPrimaries(in ctx: CNPGOperatorContext) -> [Int] {
        var serials: [Int] = []
        if let s = primary, let id = podBySerial[s], ctx.pods[id]?.running == true { serials.append(s) }
        if let d = deposed, d.serial != primary, let id = podBySerial[d.serial], let p = ctx.pods[id], p.running,
            ctx.kubeletGeneration(id) == d.generation, let n = p.node, !ctx.canWrite(from: n)
        {
            serials.append(d.serial)
        }
        return serials
    }
}
