import KubeModel
import SimKernel

/// crash-container and fail-probe: one pod's container fails; the kubelet restarts it
/// (`ContainerRestarts.swift`) and the fault's timeline follows the pod back to Ready.
extension ClusterSimulation {
    func injectContainerFault(_ i: Int, _ f: FaultSpec) {
        guard let victim = containerFaultVictim(i, f), let pod = pods[victim] else {
            faults.records[i].done = true
            return
        }
        faults.records[i].workload = pod.workload
        faults.records[i].affected = [pod.workload]
        faults.records[i].nodes = pod.node.map { [$0] } ?? []
        faults.records[i].pod = victim
        let until = now + (f.duration ?? .zero)
        switch (f.action, f.probe) {
        case (.failProbe, .liveness?): containerRestarts.failLiveness(victim, until: until, in: self)
        case (.failProbe, _): containerRestarts.failReadiness(victim, until: until, in: self)
        default: containerRestarts.crash(victim, count: f.count ?? 1, in: self)
        }
    }

    /// The named pod, or one running pod of the named workload drawn from the fault's own stream.
    func containerFaultVictim(_ i: Int, _ f: FaultSpec) -> Int? {
        let live: (Int) -> Bool = { self.pods[$0]?.running == true && self.pods[$0]?.isTerminating == false }
        var workload: Int?
        switch f.target {
        case .pod(let ns, let name):
            return pods.values.filter { $0.namespace == ns && $0.name == name }.map(\.id).filter(live).min()
        case .deployment(let ns, let name): workload = deploymentIndex(ns, name).map { deployments[$0].workload }
        case .statefulSet(let ns, let name):
            workload = statefulSetController.index(namespace: ns, name: name).map { statefulSets[$0].workload }
        default: return nil
        }
        guard let w = workload else { return nil }
        let candidates = workloads[w].members.filter(live).sorted()
        guard !candidates.isEmpty else { return nil }
        var rng = streams.stream("fault/\(i)", "container-victim")
        return candidates[min(candidates.count - 1, Int(rng.nextUnit() * Double(candidates.count)))]
    }
}

extension ClusterSimulation: ContainerRestartContext {
    func schedule(_ event: ContainerEvent, at time: SimTime) { engine.schedule(.container(event), at: time) }

    func kubeletGeneration(_ pod: Int) -> Int { kubelet.pod(pod).generation }

    func statusLatency() -> SimTime { params.apiLatency }

    func probeGridStart(_ pod: Int) -> SimTime { kubelet.pod(pod).probeGridStart }

    func shutdownTime(_ pod: Int) -> SimTime {
        guard let p = pods[pod] else { return .zero }
        return .fromSeconds(draw("workload/\(workloads[p.workload].name)", "shutdown", timing(for: p).shutdown))
    }

    func containerExited(_ pod: Int) {
        kubelet.containerExited(pod)
        store.update(pod: pod) { p in
            p.running = false
            p.statusRunning = false
        }
        setPodReady(pod, false)
    }

    func startContainerAgain(_ pod: Int) { kubelet.startContainers(pod, in: self) }

    func readinessRecovered(_ pod: Int, generation: Int) { kubelet.probeSucceeded(pod: pod, generation: generation, in: self) }

    func containerMilestone(_ pod: Int, _ name: MilestoneName, _ mechanism: String, restarts: Int) {
        guard let p = pods[pod] else { return }
        for i in faults.records.indices where faults.records[i].pod == pod {
            // The first exit and the first probe failure start the timeline; the restart shown is the latest.
            faults.records[i].mark(name, now, "\(p.key): \(mechanism)", replace: name == .containerRestarted)
            faults.records[i].result.stats["restartCount"] = Double(restarts)
        }
    }
}
