import KubeModel
import Simulation

/// What the whole cluster adds up to: pods the workloads ask for, and the cpu and memory they
/// request, within `Limits` so that no count or sum can overflow while the run goes on.
extension ScenarioBuilder {
    func validateTotals(_ w: Workloads, nodes: [NodeSpec]) throws {
        var pods = Double(w.pods.count) + Double(w.daemonSets.count) * Double(nodes.count)
        var milliCPU = 0.0, bytes = 0.0
        func add(_ replicas: Int, _ spec: PodSpec) {
            let r = spec.effectiveRequests
            pods += Double(replicas)
            milliCPU += Double(replicas) * Double(r.milliCPU)
            bytes += Double(replicas) * Double(r.memoryBytes)
        }
        w.deployments.forEach { add($0.replicas, $0.template.spec) }
        w.replicaSets.forEach { add($0.replicas, $0.template.spec) }
        w.statefulSets.forEach { add($0.replicas, $0.template.spec) }
        w.cnpgClusters.forEach { pods += Double($0.instances) }
        guard pods <= Double(Limits.maxPods) else {
            throw fail(
                [.key("workloads")],
                "the workloads ask for \(Int64(pods)) pods (replicas summed, DaemonSets once per node); the limit is \(Limits.maxPods)"
            )
        }
        // Every sum the simulation keeps (per node, per workload, per cluster) stays below these.
        let ceiling = Double(Int64.max / 4)
        guard milliCPU < ceiling, bytes < ceiling else {
            throw fail(
                [.key("workloads")],
                "the workloads request more cpu or memory in total than k3sim can count (2^61 millicores or bytes)")
        }
    }
}
