import KubeModel
import SimKernel

/// The pod garbage collector (pkg/controller/podgc `gc`), every `gcCheckPeriod` (20 s) on its
/// own grid: force-deletes pods bound to a Node that no longer exists — the first pass that
/// finds the Node missing puts it in quarantine (`gcOrphaned`, `quarantineTime` 40 s) and
/// the first pass after that deletes its pods, so they go 40–60 s after the Node — and
/// Terminating pods on a NotReady node tainted `node.kubernetes.io/out-of-service`
/// (NodeOutOfServiceVolumeDetach). Force deletion removes the object at once, without
/// waiting for the kubelet. Passes that find nothing to do are not simulated.
extension ClusterSimulation {
    func schedulePodGC() {
        guard !podGCPending else { return }
        podGCPending = true
        if podGCGrid == nil {
            var rng = streams.stream("kube-controller-manager", "podgc-phase")
            podGCGrid = SimTime(microseconds: Int64(rng.nextUnit() * Double(spec.storage.podGCPeriod.microseconds)))
        }
        engine.schedule(.podGarbageCollection,
                        at: nextTick(grid: podGCGrid!, period: spec.storage.podGCPeriod, atOrAfter: now + SimTime(microseconds: 1)))
    }

    func podGarbageCollection() {
        podGCPending = false
        var again = false
        for n in nodes.indices {
            let outOfService = nodes[n].taints.contains { $0.key == Taint.outOfServiceKey && $0.effect == .NoExecute }
            if nodes[n].deleted, podGCQuarantined[n] == nil { podGCQuarantined[n] = now }
            for id in nodes[n].pods.sorted() {
                guard let p = pods[id] else { continue }
                if nodes[n].deleted {
                    if let since = podGCQuarantined[n], now >= since + spec.storage.orphanPodQuarantine {
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
