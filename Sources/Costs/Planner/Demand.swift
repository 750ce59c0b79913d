import Catalog
import KubeModel
import Simulation

/// What a workload asks of the nodes, summed from the pod templates.
///
/// It holds the requests of every pod that is placed once (Deployments, ReplicaSets, StatefulSets,
/// bare Pods, CloudNativePG instances) and of the pods every node carries (DaemonSets, assumed to
/// select every node); the planner adds the Jobs' and CronJobs' peak (`add`). Used only to skip
/// candidate node sets that cannot possibly fit; whether a set fits is decided by the scheduler in
/// a simulation.
struct Demand {
    var pods = Resources.zero
    var podCount = 0
    var perNode = Resources.zero
    var podsPerNode = 0

    /// `system: false` leaves out kube-system's Deployments and every DaemonSet: the pods a
    /// user's requests pay for on GKE Autopilot.
    init(_ w: Workloads, system: Bool = true) {
        func add(_ spec: PodSpec, _ n: Int) {
            guard n > 0 else { return }
            let r = spec.effectiveRequests
            pods.milliCPU += r.milliCPU * Int64(n)
            pods.memoryBytes += r.memoryBytes * Int64(n)
            podCount += n
        }
        for d in w.deployments where system || d.metadata.namespace != "kube-system" { add(d.template.spec, d.replicas) }
        for r in w.replicaSets { add(r.template.spec, r.replicas) }
        for s in w.statefulSets { add(s.template.spec, s.replicas) }
        for p in w.pods { add(p.spec, 1) }
        for c in w.cnpgClusters {
            add(PodSpec(containers: [Container(name: "postgres", image: c.imageName, resources: c.resources)]), c.instances)
        }
        for ds in w.daemonSets where system {
            let r = ds.template.spec.effectiveRequests
            perNode.milliCPU += r.milliCPU
            perNode.memoryBytes += r.memoryBytes
            podsPerNode += 1
        }
    }

    /// The Jobs' and CronJobs' pods at their peak, placed once like a Deployment's.
    mutating func add(_ jobs: JobPeakDemand) {
        let r = jobs.requests
        pods.milliCPU += r.milliCPU
        pods.memoryBytes += r.memoryBytes
        podCount += jobs.pods
    }

    /// One machine of a candidate set: what pods can request on it and where it is.
    struct Slot {
        var capacity: Resources
        var pods: Int
        var zone: String
    }

    /// A necessary condition: after losing the worst node (or zone), the rest has room for
    /// every pod's requests and pod slots, with each node's DaemonSet pods taken first.
    func mightFit(_ slots: [Slot], survive: Survive) -> Bool {
        func room(_ s: Slot) -> (cpu: Int64, mem: Int64, pods: Int) {
            (
                max(0, s.capacity.milliCPU - perNode.milliCPU), max(0, s.capacity.memoryBytes - perNode.memoryBytes),
                max(0, s.pods - podsPerNode)
            )
        }
        var total = (cpu: Int64(0), mem: Int64(0), pods: 0)
        var byZone: [String: (cpu: Int64, mem: Int64, pods: Int)] = [:]
        var worstNode = (cpu: Int64(0), mem: Int64(0), pods: 0)
        for s in slots {
            let r = room(s)
            total.cpu += r.cpu; total.mem += r.mem; total.pods += r.pods
            byZone[s.zone, default: (0, 0, 0)].cpu += r.cpu
            byZone[s.zone, default: (0, 0, 0)].mem += r.mem
            byZone[s.zone, default: (0, 0, 0)].pods += r.pods
            worstNode = (max(worstNode.cpu, r.cpu), max(worstNode.mem, r.mem), max(worstNode.pods, r.pods))
        }
        var lost = (cpu: Int64(0), mem: Int64(0), pods: 0)
        switch survive {
        case .none: break
        case .node:
            guard slots.count >= 2 else { return false }
            lost = worstNode
        case .zone:
            guard byZone.count >= 2 else { return false }
            for z in byZone.values { lost = (max(lost.cpu, z.cpu), max(lost.mem, z.mem), max(lost.pods, z.pods)) }
        }
        return total.cpu - lost.cpu >= pods.milliCPU && total.mem - lost.mem >= pods.memoryBytes
            && total.pods - lost.pods >= podCount
    }
}

/// The failure a node set must survive.
public enum Survive: String, Codable, Sendable, Equatable, CaseIterable {
    case none, node, zone
}
