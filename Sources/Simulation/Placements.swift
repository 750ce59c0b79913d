import KubeModel
import SimKernel

/// Where one pod runs and what it requests: the input of cost allocation.
public struct PodPlacement: Sendable, Equatable {
    public var namespace: String
    /// The owning workload, `namespace/name`.
    public var workload: String
    public var node: String
    public var request: Resources
}

extension ClusterSimulation {
    /// The cluster as it settles without faults: the scenario runs for `settle` with its faults
    /// left out, and every bound pod that is not terminating is listed with its node.
    public static func placements(of spec: ClusterSpec, settle: SimTime = .minutes(5)) -> [PodPlacement] {
        var quiet = spec
        quiet.faults = []
        quiet.duration = min(spec.duration, settle)
        let sim = ClusterSimulation(spec: quiet)
        _ = sim.run()
        return sim.pods.keys.sorted().compactMap { id in
            guard let p = sim.pods[id], let n = p.node, !p.isTerminating else { return nil }
            return PodPlacement(
                namespace: p.namespace, workload: sim.workloads[p.workload].name,
                node: sim.nodes[n].name, request: p.requests)
        }
    }
}
