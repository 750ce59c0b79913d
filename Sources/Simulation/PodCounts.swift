/// What a pod contributes to the counts controllers and measurement read.
struct PodCountFlags: Equatable {
    var exists = false
    /// `SimPod.serving`: counts for the workload's ready replicas.
    var serving = false
    /// Not terminating: counts for a ReplicaSet's `status.replicas`.
    var active = false
    /// Not terminating and Ready: counts for its `readyReplicas`.
    var ready = false

    init() {}
    init(_ pod: SimPod) {
        exists = true
        serving = pod.serving
        active = !pod.isTerminating
        ready = active && pod.ready
    }
}

/// Counts of pods per workload and per ReplicaSet, updated where a pod changes instead of
/// recounted by every sync and measurement: with 1,400 replicas a workload, recounting on
/// each pod change made large clusters quadratic.
extension ClusterSimulation {
    /// Every change of a pod's readiness, running state or deletion, its creation and its
    /// removal from the API goes through here (`PodCountFlags()`: the pod does not exist).
    func podCountsChanged(_ pod: SimPod, from old: PodCountFlags, to new: PodCountFlags) {
        guard old != new else { return }
        if old.serving != new.serving { workloads[pod.workload].serving += new.serving ? 1 : -1 }
        if case .replicaSet(let rs) = pod.owner { replicaSetController.countsChanged(set: rs, from: old, to: new) }
        if case .daemonSet(let ds) = pod.owner { daemonSetController.countsChanged(pod, set: ds, from: old, to: new) }
    }
}
