import KubeModel
import SimKernel

/// A Job pod on its node: the kubelet runs its container for the `runDuration` of the timing
/// rules from the moment it starts, then the container exits — non-zero with the rules'
/// `failureProbability`. restartPolicy OnFailure restarts a failed container in place
/// (`ContainerRestarts`); otherwise the pod's phase becomes Succeeded or Failed (see
/// `JobPods.swift` for what the Job controller and the scheduler make of that).
extension Kubelet {
    /// After a Job pod's container started: when it will exit, and how.
    func jobPodContainerStarted<C: KubeletContext>(_ id: PodID, in ctx: C) {
        guard let pod = ctx.pods[id], case .job = pod.owner else { return }
        let run = ctx.jobRun(for: pod)
        let entity = "workload/\(ctx.workloadName(pod.workload))"
        let seconds = ctx.draw(entity, "run-duration", run.run)
        let failed =
            run.failureProbability > 0
            && ctx.draw(entity, "run-outcome", .uniform(min: 0, max: 1)) < run.failureProbability
        ctx.schedule(
            .jobPodExited(pod: id, generation: self.pod(id).generation, failed: failed), after: .fromSeconds(seconds))
    }

    func jobPodExited<C: KubeletContext>(pod id: PodID, generation: Int, failed: Bool, in ctx: C) {
        guard let pod = ctx.pods[id], self.pod(id).generation == generation, pod.running, !pod.isTerminating else {
            return
        }
        if failed, pod.spec.restartPolicy == "OnFailure" {
            ctx.crashContainer(id)
            return
        }
        invalidatePendingWork(id)
        ctx.store.update(pod: id) { p in
            p.running = false
            p.statusRunning = false
        }
        ctx.setPodReady(id, false)
        ctx.jobPodFinished(id, succeeded: !failed, exitCode: ctx.jobRun(for: pod).exitCode)
        ctx.removePod(id)
    }
}
