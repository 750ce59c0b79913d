import KubeModel
import SimKernel

/// The cluster side of the kubelet's container restarts (`ContainerRestarts.swift`).
extension ClusterSimulation: ContainerRestartContext {
    func schedule(_ event: ContainerEvent, at time: SimTime) { engine.schedule(.container(event), at: time) }

    func kubeletGeneration(_ pod: PodID) -> Int { kubelet.pod(pod).generation }

    func statusLatency() -> SimTime { params.apiLatency }

    func probeGridStart(_ pod: PodID) -> SimTime { kubelet.pod(pod).probeGridStart }

    func shutdownTime(_ pod: PodID) -> SimTime {
        guard let p = pods[pod] else { return .zero }
        return .fromSeconds(draw("workload/\(workloads[p.workload].name)", "shutdown", timing(for: p).shutdown))
    }

    func containerExited(_ pod: PodID) {
        kubelet.containerExited(pod)
        store.update(pod: pod) { p in
            p.running = false
            p.statusRunning = false
        }
        setPodReady(pod, false)
    }

    func startContainerAgain(_ pod: PodID) { kubelet.startContainers(pod, in: self) }

    func readinessRecovered(_ pod: PodID, generation: Int) {
        kubelet.probeSucceeded(pod: pod, generation: generation, in: self)
    }

    func containerMilestone(_ pod: PodID, _ name: MilestoneName, _ mechanism: String, restarts: Int) {
        guard let p = pods[pod] else { return }
        faultTimelines.containerMilestone(pod: pod, key: p.key, name, mechanism, restarts: restarts, at: now)
    }
}
