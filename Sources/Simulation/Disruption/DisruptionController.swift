import KubeModel
import SimKernel

/// A PodDisruptionBudget's status as the disruption controller computes it
/// (pkg/controller/disruption/disruption.go, k8s-facts §5.2).
struct PDBStatus: Equatable {
    var expected: Int
    var currentHealthy: Int
    var desiredHealthy: Int
    /// `max(currentHealthy − desiredHealthy, 0)`, 0 when nothing is expected.
    var disruptionsAllowed: Int
}

/// The outcome of an Eviction (`pods/eviction` subresource, pkg/registry/core/pod/storage/eviction.go).
enum EvictionResult: Equatable {
    case evicted
    /// 429 TooManyRequests: the budget has no disruption left; clients retry.
    case tooManyRequests(String)
    /// 500: more than one PDB selects the pod (the API refuses).
    case failed(String)
}

/// The disruption controller's arithmetic and the eviction API.
extension ClusterSimulation {
    /// policy/v1 semantics: a budget without a selector matches nothing, an empty selector
    /// (`{}`) every pod of its namespace (pkg/registry/core/pod/storage/eviction.go
    /// `getPodDisruptionBudgets`).
    func matchesPDB(_ pod: SimPod, _ i: Int) -> Bool {
        let pdb = pdbs[i]
        guard pdb.metadata.namespace == pod.namespace, let selector = pdb.selector else { return false }
        return selector.isEmpty || selector.matches(pod.labels)
    }

    /// expected: minAvailable as an integer counts the matching pods; a percentage or
    /// maxUnavailable uses the scale of the controllers owning them (bare pods count 1).
    /// desiredHealthy: minAvailable (percent rounded up), or expected − maxUnavailable
    /// (rounded up), at least 0. currentHealthy: Ready pods not being deleted.
    func pdbStatus(_ i: Int) -> PDBStatus {
        let pdb = pdbs[i]
        let matching = pods.values.filter { matchesPDB($0, i) }
        let healthy = matching.filter { $0.ready && !$0.isTerminating }.count
        var controllerScale = 0
        var seen = Set<Int>()
        for p in matching where seen.insert(p.workload).inserted { controllerScale += workloads[p.workload].desired }
        var expected = controllerScale
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

    /// `disruptionsAllowed` of every PDB, in scenario order.
    func pdbDisruptionsAllowed() -> [Int] {
        pdbs.indices.map { pdbStatus($0).disruptionsAllowed }
    }

    func violatesPDB(_ pod: SimPod, _ budget: [Int]) -> Bool {
        budget.indices.contains { matchesPDB(pod, $0) && budget[$0] <= 0 }
    }

    /// The eviction subresource: checks the pod's budget, then deletes the pod gracefully
    /// with the DisruptionTarget condition (pkg/registry/core/pod/storage/eviction.go
    /// `addConditionAndDeletePod`, reason EvictionByEvictionAPI).
    func evict(_ id: Int) -> EvictionResult {
        guard let pod = pods[id] else { return .evicted }
        if pod.isTerminating { return .evicted }
        // `canIgnorePDB`: a pod still Pending (not scheduled, or its containers never
        // started) has caused no disruption yet and is deleted without a budget check.
        if !pod.statusRunning {
            deletePod(id, reason: "Eviction", disruptionTarget: "EvictionByEvictionAPI")
            return .evicted
        }
        let budgets = pdbs.indices.filter { matchesPDB(pod, $0) }
        if budgets.count > 1 {
            return .failed("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
        }
        if let i = budgets.first {
            let status = pdbStatus(i)
            let pdb = pdbs[i]
            // An unready pod may go when the budget is met and asks for at least one healthy
            // pod (IfHealthyBudget), or always (AlwaysAllow).
            let unhealthyMayGo =
                !pod.ready
                && (pdb.unhealthyPodEvictionPolicy == "AlwaysAllow"
                    || (status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0))
            if !unhealthyMayGo && status.disruptionsAllowed <= 0 {
                return .tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.")
            }
        }
        deletePod(id, reason: "Eviction", disruptionTarget: "EvictionByEvictionAPI")
        return .evicted
    }
}
