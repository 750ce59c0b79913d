import KubeModel
import SimKernel

/// The indexes kept current by watching the store: pod counts per workload and ReplicaSet
/// (`PodCounts.swift`), the scheduler's matching-pod counts per node (`MatchCounts.swift`) and
/// affinity groups, workload membership, and the pending-pods series. Registered once, before
/// the first write; each handler only updates its own index and schedules nothing, so their
/// order among themselves does not matter.
extension ClusterSimulation {
    func watchStore() {
        store.watchPods { [unowned self] change in self.indexPodChange(change) }
        // The kubelet and the scheduler's queue forget a pod whose object is gone.
        store.watchPods { [unowned self] change in
            guard case .deleted(let pod) = change else { return }
            self.kubelet.pods[pod.id] = nil
            self.scheduler.attempts[pod.id] = nil
        }
    }

    func indexPodChange(_ change: PodChange) {
        switch change {
        case .added(let pod):
            podCountsChanged(pod, from: PodCountFlags(), to: PodCountFlags(pod))
            if !pod.isTerminating { workloads[pod.workload].pods += 1 }
            workloads[pod.workload].members.insert(pod.id)
            if pod.node == nil { recordPending(1) }
        case .updated(let old, let new):
            let (before, after) = (PodCountFlags(old), PodCountFlags(new))
            if before != after { podCountsChanged(new, from: before, to: after) }
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
            if !pod.isTerminating { workloads[pod.workload].pods -= 1 }
            workloads[pod.workload].members.remove(pod.id)
            if let n = pod.node { podsChanged(onNode: n, removed: pod.id) } else { recordPending(-1) }
        }
    }
}
