import KubeModel
import SimKernel

/// crash-container and fail-probe: one pod's container fails; the kubelet restarts it
/// (`ContainerRestarts.swift`) and the fault's timeline follows the pod back to Ready.
extension FaultInjector {
    func injectContainerFault(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        guard let victim = containerFaultVictim(i, f, in: ctx), let pod = ctx.pods[victim] else {
            ctx.faultTimelines.update(i) { $0.done = true }
            return
        }
        ctx.faultTimelines.update(i) {
            $0.workload = pod.workload
            $0.affected = [pod.workload]
            $0.nodes = pod.node.map { [$0] } ?? []
            $0.pod = victim
        }
        let until = ctx.now + (f.duration ?? .zero)
        switch (f.action, f.probe) {
        case (.failProbe, .liveness?): ctx.failLiveness(victim, until: until)
        case (.failProbe, _): ctx.failReadiness(victim, until: until)
        default: ctx.crashContainer(victim, count: f.count ?? 1)
        }
    }

    /// The named pod, or one running pod of the named workload drawn from the fault's own stream.
    func containerFaultVictim(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) -> PodID? {
        let pods = ctx.pods
        let live: (PodID) -> Bool = { pods[$0]?.running == true && pods[$0]?.isTerminating == false }
        var workload: WorkloadID?
        switch f.target {
        case .pod(let ns, let name):
            return pods.values.filter { $0.namespace == ns && $0.name == name }.map(\.id).filter(live).min()
        case .deployment(let ns, let name): workload = ctx.deploymentIndex(ns, name).map { ctx.deployments[$0].workload }
        case .statefulSet(let ns, let name):
            workload = ctx.statefulSetIndex(namespace: ns, name: name).map { ctx.statefulSets[$0].workload }
        default: return nil
        }
        guard let w = workload else { return nil }
        let candidates = ctx.workloads[w].members.filter(live).sorted()
        guard !candidates.isEmpty else { return nil }
        var rng = ctx.freshStream("fault/\(i)", "container-victim")
        return candidates[min(candidates.count - 1, Int(rng.nextUnit() * Double(candidates.count)))]
    }
}
