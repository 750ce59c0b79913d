import KubeModel
import SimKernel

/// The kubelet's restart back-off for one container: client-go `util/flowcontrol/backoff.go` as
/// `kuberuntime_manager.go` `doBackOff` uses it.
///
/// The kubelet asks `IsInBackOffSince(key, finishedAt)` before starting an exited container and
/// calls `Next(key, finishedAt)` when it does start it. The first exit finds no entry, so the
/// container starts again at once and the entry begins at `backOffPeriod` 10 s
/// (`pkg/kubelet/kubelet.go`); each later restart waits the entry's back-off, then doubles it up to
/// `MaxContainerBackOff` 300 s. An exit more than 2 × 300 s after the last restart (`hasExpired`:
/// "consider stable if it's ok for twice the maxDuration") starts from scratch. So the waits are 0,
/// 10, 20, 40, 80, 160, 300, 300 … s.
struct CrashLoopBackOff: Equatable {
    static let initial = SimTime.seconds(10)
    static let max = SimTime.seconds(300)
    /// The entry's current back-off (nil: no entry).
    private(set) var backoff: SimTime?
    private(set) var lastUpdate: SimTime = .zero

    private func expired(_ finishedAt: SimTime) -> Bool { finishedAt - lastUpdate > Self.max * 2 }

    /// How long after `finishedAt` the container may start again (`IsInBackOffSince`).
    func wait(finishedAt: SimTime) -> SimTime {
        guard let b = backoff, !expired(finishedAt) else { return .zero }
        return b
    }

    /// The kubelet starts the container at `now` (`Next`).
    mutating func restarted(finishedAt: SimTime, at now: SimTime) {
        if let b = backoff, !expired(finishedAt) {
            backoff = Swift.min(b * 2, Self.max)
        } else {
            backoff = Self.initial
        }
        lastUpdate = now
    }
}

/// The events of container failures and probes that fail.
enum ContainerEvent: Equatable {
    /// The back-off is over: the kubelet starts the exited container again.
    case restart(pod: PodID, generation: Int)
    /// The liveness probe failed `failureThreshold` times in a row: the kubelet kills the container.
    case livenessKill(pod: PodID, generation: Int)
    /// The killed container exited within its grace period.
    case killed(pod: PodID, generation: Int)
    /// The readiness probe failed `failureThreshold` times in a row.
    case readinessFailed(pod: PodID, generation: Int)
    /// The readiness probe passed `successThreshold` times in a row again.
    case readinessPassed(pod: PodID, generation: Int)
}

/// What container restarts use of the cluster: the pods, the clock, the kubelet's work
/// generation per pod, container start and stop, the Ready condition, the fault timeline.
protocol ContainerRestartContext: AnyObject {
    var now: SimTime { get }
    var pods: [PodID: SimPod] { get }
    func schedule(_ event: ContainerEvent, at time: SimTime)
    func kubeletGeneration(_ pod: PodID) -> Int
    /// From the kubelet's status manager posting a condition to the watchers seeing it.
    func statusLatency() -> SimTime
    /// The prober worker's grid start for the pod.
    func probeGridStart(_ pod: PodID) -> SimTime
    /// SIGTERM to exit, drawn from the pod's `shutdown` timing.
    func shutdownTime(_ pod: PodID) -> SimTime
    /// The container is gone: not running, not Ready, the kubelet's pending work stale.
    func containerExited(_ pod: PodID)
    /// The kubelet starts the container again (container start, then readiness).
    func startContainerAgain(_ pod: PodID)
    /// The prober reports the pod ready again (the status manager posts it).
    func readinessRecovered(_ pod: PodID, generation: Int)
    func setPodReady(_ id: PodID, _ ready: Bool)
    func containerMilestone(_ pod: PodID, _ name: MilestoneName, _ mechanism: String, restarts: Int)
}

/// Containers that exit and probes that fail, per pod: the kubelet restarts an exited container
/// (restartPolicy Always) after the CrashLoopBackOff wait, kills a container whose liveness probe
/// fails `failureThreshold` times in a row (then restarts it the same way), and takes a pod whose
/// readiness probe fails out of Ready until it passes `successThreshold` times.
///
/// Pods nobody injured cost nothing here.
final class ContainerRestarts {
    struct PodRecord {
        var backoff = CrashLoopBackOff()
        var restarts = 0
        var finishedAt: SimTime = .zero
        var startedAt: SimTime = .zero
        /// Exits still to come, each as soon as the container has started again.
        var crashesLeft = 0
        var livenessFailingUntil: SimTime?
    }
    private(set) var records: [PodID: PodRecord] = [:]

    func handle(_ event: ContainerEvent, in ctx: ContainerRestartContext) {
        switch event {
        case .restart(let p, let g): restart(p, generation: g, in: ctx)
        case .livenessKill(let p, let g): livenessKill(p, generation: g, in: ctx)
        case .killed(let p, let g):
            guard ctx.kubeletGeneration(p) == g, ctx.pods[p]?.running == true else { return }
            exit(p, in: ctx)
        case .readinessFailed(let p, let g):
            guard ctx.kubeletGeneration(p) == g, ctx.pods[p]?.running == true else { return }
            ctx.setPodReady(p, false)
            let probe = ctx.pods[p]?.spec.readinessProbe ?? Probe()
            ctx.containerMilestone(
                p, .probeFailed,
                "readiness probe failed failureThreshold \(probe.failureThreshold) × periodSeconds \(probe.periodSeconds) s in a row: Ready=False, the pod leaves the Service endpoints",
                restarts: records[p]?.restarts ?? 0)
        case .readinessPassed(let p, let g):
            guard ctx.kubeletGeneration(p) == g, ctx.pods[p]?.running == true else { return }
            ctx.readinessRecovered(p, generation: g)
        }
    }

    /// The container exits now; with `count` > 1 it exits again each time it has started.
    func crash(_ p: PodID, count: Int, in ctx: ContainerRestartContext) {
        guard let pod = ctx.pods[p], pod.running, !pod.isTerminating else { return }
        records[p, default: PodRecord()].crashesLeft = max(0, count - 1)
        exit(p, in: ctx)
    }

    /// The liveness probe fails from now until `until`.
    func failLiveness(_ p: PodID, until: SimTime, in ctx: ContainerRestartContext) {
        guard let pod = ctx.pods[p], pod.running, !pod.isTerminating else { return }
        records[p, default: PodRecord()].livenessFailingUntil = until
        scheduleLivenessKill(p, in: ctx)
    }

    /// The readiness probe fails from now until `until`: Ready=False after `failureThreshold`
    /// failing probes, Ready again after `successThreshold` passing ones.
    func failReadiness(_ p: PodID, until: SimTime, in ctx: ContainerRestartContext) {
        guard let pod = ctx.pods[p], pod.running, !pod.isTerminating else { return }
        let probe = pod.spec.readinessProbe ?? Probe()
        let period = SimTime.seconds(Int64(probe.periodSeconds))
        let grid = TickGrid(start: ctx.probeGridStart(p), period: period)
        let failedAt = grid.next(atOrAfter: ctx.now) + period * Int64(probe.failureThreshold - 1)
        guard failedAt < until else { return }
        let generation = ctx.kubeletGeneration(p)
        ctx.schedule(.readinessFailed(pod: p, generation: generation), at: failedAt + ctx.statusLatency())
        let passedAt = grid.next(atOrAfter: until) + period * Int64(probe.successThreshold - 1)
        ctx.schedule(.readinessPassed(pod: p, generation: generation), at: passedAt + ctx.statusLatency())
    }

    /// The kubelet's hook after a container started: a crash still to come happens now; a
    /// liveness probe still failing counts again from this start.
    func containerStarted(_ p: PodID, in ctx: ContainerRestartContext) {
        guard var r = records[p] else { return }
        r.startedAt = ctx.now
        let crashes = r.crashesLeft > 0
        if crashes { r.crashesLeft -= 1 }
        // Stored before `exit` and the liveness check, which read the record.
        records[p] = r
        if crashes {
            exit(p, in: ctx)
        } else if let until = r.livenessFailingUntil, until > ctx.now {
            scheduleLivenessKill(p, in: ctx)
        }
    }

    func restarts(_ p: PodID) -> Int { records[p]?.restarts ?? 0 }

    private func exit(_ p: PodID, in ctx: ContainerRestartContext) {
        ctx.containerExited(p)
        let finished = ctx.now
        var r = records[p] ?? PodRecord()
        r.finishedAt = finished
        records[p] = r
        let wait = r.backoff.wait(finishedAt: finished)
        ctx.containerMilestone(
            p, .containerExited,
            wait == .zero
                ? "container exited; restartPolicy Always: the kubelet starts it again at once (no back-off entry yet, or the last restart was more than 2 × MaxContainerBackOff 300 s ago)"
                : "container exited; CrashLoopBackOff: the kubelet waits \(wait) before starting it again (back-off 10 s doubling to MaxContainerBackOff 300 s)",
            restarts: r.restarts)
        ctx.schedule(.restart(pod: p, generation: ctx.kubeletGeneration(p)), at: finished + wait)
    }

    private func restart(_ p: PodID, generation: Int, in ctx: ContainerRestartContext) {
        guard ctx.kubeletGeneration(p) == generation, let pod = ctx.pods[p], !pod.isTerminating, !pod.running,
            var r = records[p]
        else { return }
        r.backoff.restarted(finishedAt: r.finishedAt, at: ctx.now)
        r.restarts += 1
        records[p] = r
        ctx.containerMilestone(
            p, .containerRestarted,
            "restartCount \(r.restarts): the kubelet starts the container again (\(ctx.now - r.finishedAt) after it exited)",
            restarts: r.restarts)
        ctx.startContainerAgain(p)
    }

    private func scheduleLivenessKill(_ p: PodID, in ctx: ContainerRestartContext) {
        guard let pod = ctx.pods[p], let r = records[p], let until = r.livenessFailingUntil else { return }
        let probe = pod.spec.containers.lazy.compactMap(\.livenessProbe).first ?? Probe()
        let period = SimTime.seconds(Int64(probe.periodSeconds))
        let from = max(ctx.now, r.startedAt + .seconds(Int64(probe.initialDelaySeconds)))
        let killAt =
            TickGrid(start: ctx.probeGridStart(p), period: period).next(atOrAfter: from)
            + period * Int64(probe.failureThreshold - 1)
        guard killAt < until else { return }
        ctx.schedule(.livenessKill(pod: p, generation: ctx.kubeletGeneration(p)), at: killAt)
    }

    private func livenessKill(_ p: PodID, generation: Int, in ctx: ContainerRestartContext) {
        guard ctx.kubeletGeneration(p) == generation, let pod = ctx.pods[p], pod.running, !pod.isTerminating else { return }
        let probe = pod.spec.containers.lazy.compactMap(\.livenessProbe).first ?? Probe()
        // A probe-level terminationGracePeriodSeconds overrides the pod's for liveness kills.
        let grace = SimTime.seconds(probe.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds)
        let stopAfter = Termination.exitAfter(
            preStopSleepSeconds: Termination.preStopSleep(pod.spec),
            shutdown: ctx.shutdownTime(p), grace: grace)
        ctx.containerMilestone(
            p, .probeFailed,
            "liveness probe failed failureThreshold \(probe.failureThreshold) × periodSeconds \(probe.periodSeconds) s in a row: the kubelet kills the container (SIGTERM, grace period \(grace))",
            restarts: records[p]?.restarts ?? 0)
        ctx.schedule(.killed(pod: p, generation: generation), at: ctx.now + stopAfter)
    }
}
