import KubeModel
import SimKernel

/// A PodDisruptionBudget's status as the disruption controller computes it
/// (pkg/controller/disruption/disruption.go).
struct PDBStatus: Equatable {
    var expected: Int
    var currentHealthy: Int
    var desiredHealthy: Int
    /// `max(currentHealthy − desiredHealthy, 0)`, 0 when nothing is expected.
    var disruptionsAllowed: Int
}

/// The disruption controller's arithmetic (pkg/controller/disruption/disruption.go
/// `getExpectedPodCount`, `countHealthyPods`, `updatePdbStatus`).
///
/// A budget's status follows from the pods it selects and the scale of their controllers at the
/// moment it is read, and nothing the simulation does waits on the controller's sync, so there is
/// no state to keep: these are functions of what they are given.
enum DisruptionController {
    /// policy/v1 semantics: a budget without a selector matches nothing, an empty selector
    /// (`{}`) every pod of its namespace (pkg/registry/core/pod/storage/eviction.go
    /// `getPodDisruptionBudgets`).
    static func selects(_ pdb: PodDisruptionBudget, _ pod: SimPod) -> Bool {
        guard pdb.metadata.namespace == pod.namespace, let selector = pdb.selector else { return false }
        return selector.isEmpty || selector.matches(pod.labels)
    }

    /// expected: minAvailable as an integer counts the matching pods; a percentage or
    /// maxUnavailable uses the scale of the controllers owning them (bare pods count 1).
    ///
    /// desiredHealthy: minAvailable (percent rounded up), or expected − maxUnavailable (rounded
    /// up), at least 0. currentHealthy: Ready pods not being deleted. `controllerScale` gives the
    /// desired replicas of a workload.
    static func status(
        of pdb: PodDisruptionBudget, pods: some Sequence<SimPod>, controllerScale: (WorkloadID) -> Int
    ) -> PDBStatus {
        let matching = pods.filter { selects(pdb, $0) }
        let healthy = matching.filter { $0.ready && !$0.isTerminating }.count
        var scale = 0
        var seen = Set<WorkloadID>()
        for p in matching where seen.insert(p.workload).inserted { scale += controllerScale(p.workload) }
        var expected = scale
        let desiredHealthy: Int
        if let maxU = pdb.maxUnavailable {
            desiredHealthy = max(0, expected - maxU.scaledValue(total: expected, roundUp: true))
        } else if let minA = pdb.minAvailable {
            if case .int(let v) = minA {
                expected = matching.filter { !$0.isTerminating }.count
                desiredHealthy = v
            } else {
                desiredHealthy = minA.scaledValue(total: expected, roundUp: true)
            }
        } else {
            desiredHealthy = expected
        }
        let allowed = expected <= 0 ? 0 : max(healthy - desiredHealthy, 0)
        return PDBStatus(expected: expected, currentHealthy: healthy, desiredHealthy: desiredHealthy, disruptionsAllowed: allowed)
    }

    /// Whether removing `pod` would break a budget that has no disruption left; `allowed`
    /// holds each budget's disruptionsAllowed, in the order of `pdbs` (the scheduler's
    /// preemption, pkg/scheduler/framework/plugins/defaultpreemption `filterPodsWithPDBViolation`).
    static func violates(_ pod: SimPod, pdbs: [PodDisruptionBudget], allowed: [Int]) -> Bool {
        allowed.indices.contains { selects(pdbs[$0], pod) && allowed[$0] <= 0 }
    }

    /// The eviction subresource's budget check for a running pod under one budget
    /// (pkg/registry/core/pod/storage/eviction.go `checkAndDecrement` and the unhealthy-pod
    /// policy): an unready pod may go when the budget is met and asks for at least one
    /// healthy pod (IfHealthyBudget), or always (AlwaysAllow); any other pod needs a
    /// disruption left.
    static func evictionAllowed(_ pod: SimPod, by pdb: PodDisruptionBudget, status: PDBStatus) -> Bool {
        let unhealthyMayGo =
            !pod.ready
            && (pdb.unhealthyPodEvictionPolicy == "AlwaysAllow"
                || (status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0))
        return unhealthyMayGo || status.disruptionsAllowed > 0
    }
}

/// The budgets of the running cluster as the scheduler, the eviction API and `k3sim serve`
/// read them.
extension ClusterSimulation {
    func matchesPDB(_ pod: SimPod, _ i: Int) -> Bool { DisruptionController.selects(pdbs[i], pod) }

    func pdbStatus(_ i: Int) -> PDBStatus {
        DisruptionController.status(of: pdbs[i], pods: pods.values) { workloads[$0].desired }
    }

    /// `disruptionsAllowed` of every PDB, in scenario order.
    func pdbDisruptionsAllowed() -> [Int] {
        pdbs.indices.map { pdbStatus($0).disruptionsAllowed }
    }

    func violatesPDB(_ pod: SimPod, _ budget: [Int]) -> Bool {
        DisruptionController.violates(pod, pdbs: pdbs, allowed: budget)
    }
}
