import KubeModel
import SimKernel

/// The indexes kept current by watching the store: pod counts per workload and ReplicaSet
/// (`PodCounts.swift`), the scheduler's matching-pod counts per node (`MatchCounts.swift`) and
/// affinity groups, workload membership, and the pending-pods series. The handler only
/// updates indexes and schedules nothing.
extension ClusterSimulation {
    func indexPodChange(_ change: PodChange) {
        switch change {
        case .added(let pod):
            podCountsChanged(pod, from: PodCountFlags(), to: PodCountFlags(pod))
            countOnNode(pod, +1)
            if !pod.isTerminating { workloads[pod.workload].pods += 1 }
            workloads[pod.workload].members.insert(pod.id)
            if pod.node == nil { recordPending(1) }
        case .updated(let old, let new):
            let (before, after) = (PodCountFlags(old), PodCountFlags(new))
            if before != after { podCountsChanged(new, from: before, to: after) }
            if old.node != new.node || old.isTerminating != new.isTerminating {
                countOnNode(old, -1)
                countOnNode(new, +1)
            }
            if old.isTerminating != new.isTerminating { workloads[new.workload].pods += new.isTerminating ? -1 : 1 }
            if old.node == nil, new.node != nil { recordPending(-1) }
            let relabelled = old.labels != new.labels
            // Counted while bound and not terminating, under its labels.
            if let n = new.node, old.node != new.node || old.isTerminating != new.isTerminating || relabelled {
                podsChanged(onNode: n, pod: new)
            }
            if relabelled { podLabelsChanged() }
        case .deleted(let pod):
            podCountsChanged(pod, from: PodCountFlags(pod), to: PodCountFlags())
            countOnNode(pod, -1)
            if !pod.isTerminating { workloads[pod.workload].pods -= 1 }
            workloads[pod.workload].members.remove(pod.id)
            if let n = pod.node { podsChanged(onNode: n, removed: pod.id) } else { recordPending(-1) }
        }
    }

    /// A ReplicaSet's bound, not terminating pods per node.
    func countOnNode(_ pod: SimPod, _ delta: Int) {
        guard case .replicaSet(let rs) = pod.owner, let n = pod.node, !pod.isTerminating else { return }
        replicaSetController.activeOnNodeChanged(set: rs, node: n, by: delta)
    }
}
