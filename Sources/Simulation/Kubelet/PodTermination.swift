import KubeModel
import SimKernel

/// A pod's end on its node: the kubelet sees the deletion, stops the containers within the
/// grace period (`Termination`) and deletes the object; and what holds that back — an API
/// server it cannot reach, a container runtime that does not answer.
extension Kubelet {
    /// The kubelet reaches an API server again after its writes failed: its watch relists,
    /// so it sees the pods deleted meanwhile and stops them.
    func reconnected<C: KubeletContext>(_ n: Int, in ctx: C) {
        for id in ctx.nodes[n].pods.sorted() where ctx.pods[id]?.isTerminating == true { podDeleted(id, in: ctx) }
    }

    /// The container runtime stops answering: containers keep running, none start or stop,
    /// and the kubelet reports Ready=False at its next status sync.
    func containerRuntimeDown<C: KubeletContext>(_ n: Int, in ctx: C) {
        setRuntimeDown(n)
        requestNodeStatusSync(n, in: ctx)
    }

    /// The container runtime answers again: the kubelet stops the pods deleted meanwhile,
    /// starts those it could not start, and reports Ready=True at its next status sync.
    func containerRuntimeUp<C: KubeletContext>(_ n: Int, in ctx: C) {
        guard setRuntimeUp(n) else { return }
        for id in ctx.nodes[n].pods.sorted() {
            guard let pod = ctx.pods[id] else { continue }
            if pod.isTerminating {
                podDeleted(id, in: ctx)
            } else if !pod.running {
                restartPod(id, in: ctx)
            }
        }
        requestNodeStatusSync(n, in: ctx)
    }

    /// The pod's containers are to start over from admission (after the API latency).
    func restartPod<C: KubeletContext>(_ id: PodID, in ctx: C) {
        resetPod(id)
        ctx.schedule(.admit(pod: id, generation: pod(id).generation), after: ctx.params.apiLatency)
    }

    /// The scheduler bound the pod: the kubelet's watch sees it after the API latency.
    func podBound<C: KubeletContext>(_ id: PodID, in ctx: C) {
        ctx.schedule(.admit(pod: id, generation: pod(id).generation), after: ctx.params.apiLatency)
    }

    /// A pod got a deletionTimestamp.
    ///
    /// On a live node the kubelet sends SIGTERM and the containers exit within the grace period; on
    /// a dead node nothing happens until it comes back.
    func podDeleted<C: KubeletContext>(_ id: PodID, in ctx: C) {
        guard let pod = ctx.pods[id], let n = pod.node else { return }
        // A kubelet that cannot reach an API server does not see the deletion, and without a
        // container runtime it cannot stop anything: the pod runs on until it reconnects
        // (`reconnected`) or the runtime is back (`containerRuntimeUp`).
        guard ctx.nodes[n].up, ctx.canWrite(from: n), !status.runtimeDown.contains(n) else { return }
        invalidatePendingWork(id)
        let generation = self.pod(id).generation
        if pod.running {
            let shutdown = ctx.draw(
                "workload/\(ctx.workloadName(pod.workload))", "shutdown", ctx.timing(for: pod).shutdown)
            let stopAfter = Termination.exitAfter(
                preStopSleepSeconds: Termination.preStopSleep(pod.spec),
                shutdown: .fromSeconds(shutdown), grace: pod.gracePeriod)
            ctx.schedule(.containerStopped(pod: id, generation: generation), after: stopAfter)
        } else {
            ctx.schedule(.containerStopped(pod: id, generation: generation), after: ctx.params.apiLatency)
        }
    }

    func containerStopped<C: KubeletContext>(pod id: PodID, generation: Int, in ctx: C) {
        guard ctx.pods[id] != nil, self.pod(id).generation == generation else { return }
        ctx.store.update(pod: id) { pod in
            pod.running = false
            pod.statusRunning = false
        }
        clearProbedReady(id)
        // The kubelet deletes the object (grace period 0) once the containers are gone.
        ctx.removePod(id)
    }

    /// The container exited (a crash, a failed liveness probe, an isolated CloudNativePG
    /// primary stopping itself): its pending work is stale and the prober forgets it was ready.
    func containerExited(_ id: PodID) {
        invalidatePendingWork(id)
        clearProbedReady(id)
    }
}
