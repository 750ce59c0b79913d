import KubeModel
import SimKernel

/// The pod garbage collector (pkg/controller/podgc), every `gcCheckPeriod`: force-deletes
/// pods bound to a Node that no longer exists (after a quarantine), and Terminating pods on
/// a NotReady node tainted `node.kubernetes.io/out-of-service` (NodeOutOfServiceVolumeDetach).
/// Force deletion removes the object at once, without waiting for the kubelet.
extension ClusterSimulation {
    func schedulePodGC() {
        guard !podGCPending else { return }
        podGCPending = true
        engine.schedule(.podGarbageCollection, after: spec.storage.podGCPeriod)
    }

    func podGarbageCollection() {
        podGCPending = false
        var again = false
        for n in nodes.indices {
            let outOfService = nodes[n].taints.contains { $0.key == Taint.outOfServiceKey && $0.effect == .NoExecute }
            for id in nodes[n].pods.sorted() {
                guard let p = pods[id] else { continue }
                if nodes[n].deleted {
                    if let since = nodes[n].deletedAt, now >= since + spec.storage.orphanPodQuarantine {
                        forceDelete(id, why: "PodGC: bound to deleted Node \(nodes[n].name)")
                    } else {
                        again = true
                    }
                } else if outOfService && nodes[n].ready != .isTrue && p.isTerminating {
                    forceDelete(id, why: "PodGC: Terminating on out-of-service node \(nodes[n].name)")
                }
            }
        }
        if again { schedulePodGC() }
    }

    /// `kubectl delete pod --force --grace-period=0` semantics: the object goes now.
    func forceDelete(_ id: Int, why: String) {
        guard let p = pods[id] else { return }
        if !p.isTerminating { deletePod(id, reason: why) }
        removePod(id)
        if let n = p.node { faultsObservePodForceDeleted(p, node: n, why: why) }
    }

    /// `kubectl delete node`: the object goes; PodGC removes its pods after the quarantine.
    func deleteNodeObject(_ n: Int) {
        guard !nodes[n].deleted else { return }
        let t = now
        store.update(node: n) { node in
            node.deleted = true
            node.deletedAt = t
        }
        daemonSetsNodeChanged(n)
        schedulerNodeOrder.removeAll { $0 == n }
        reconcileAttachments()
        schedulePodGC()
        clusterChanged()
    }
}
