import KubeModel
import SimKernel

/// The outcome of an Eviction (`pods/eviction` subresource, pkg/registry/core/pod/storage/eviction.go).
enum EvictionResult: Equatable {
    case evicted
    /// 429 TooManyRequests: the budget has no disruption left; clients retry.
    case tooManyRequests(String)
    /// 500: more than one PDB selects the pod (the API refuses).
    case failed(String)
}

/// The eviction subresource, which the API server serves and which writes to the store.
extension ClusterSimulation {
    /// Checks the pod's budget, then deletes the pod gracefully with the DisruptionTarget
    /// condition (pkg/registry/core/pod/storage/eviction.go `addConditionAndDeletePod`,
    /// reason EvictionByEvictionAPI).
    func evict(_ id: PodID) -> EvictionResult {
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
        if let i = budgets.first, !DisruptionController.evictionAllowed(pod, by: pdbs[i], status: pdbStatus(i)) {
            return .tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.")
        }
        deletePod(id, reason: "Eviction", disruptionTarget: "EvictionByEvictionAPI")
        return .evicted
    }
}
