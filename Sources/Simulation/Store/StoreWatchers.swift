import KubeModel
import SimKernel

/// Who watches the store, registered once before the first write and called in this order
/// on every pod change: the indexes (`StoreIndexes.swift`), what the kubelet and the
/// scheduler's queue remember per pod, the owning controllers, the taint eviction controller
/// (a pod bound to a tainted node, a deleted pod), measurement (which reads the counts the
/// indexes just updated), then the attach/detach controller (a deleted pod). On node
/// changes: the node lifecycle controller's settled-node bookkeeping, measurement, the taint
/// eviction controller, PodGC, node auto-repair, then the attach/detach controller.
extension ClusterSimulation {
    /// One handler per kind, which calls the watchers in order: each stored closure costs a
    /// reabstraction and a copy of the change per call.
    func watchStore() {
        store.watchPods { [unowned self] change in self.podChanged(change) }
        store.watchNodes { [unowned self] change in self.nodeChanged(change) }
    }

    func podChanged(_ change: PodChange) {
        indexPodChange(change)
        if case .deleted(let pod) = change {
            kubelet.forgetPod(pod.id)
            scheduler.podRemoved(pod.id)
        }
        ownerObservePod(change)
        if case .updated(let old, let new) = change {
            if old.node == nil, let n = new.node { taintEviction.podBound(new.id, node: n, in: self) }
            if !old.isTerminating, new.isTerminating { taintEviction.podDeleted(new.id, in: self) }
        }
        measurementObservePod(change)
        if case .deleted = change {
            attachDetach.reconcile(in: self)
            clusterChanged()
        }
    }

    func nodeChanged(_ change: NodeChange) {
        let (o, n) = (change.old, change.new)
        // The monitor pass derives a settled node's bookkeeping from its Lease phase and Ready
        // condition: when one of them, a NoExecute taint or the deletion changes, the pass
        // visits the node again.
        if o.ready != n.ready || o.deleted != n.deleted || o.leaseRenewTime != n.leaseRenewTime
            || o.statusHeartbeat != n.statusHeartbeat || o.noExecuteTaints != n.noExecuteTaints
        {
            nodeLifecycle.unsettleNode(change.node, in: self)
        }
        if o.ready != n.ready || o.up != n.up || o.deleted != n.deleted || o.unschedulable != n.unschedulable {
            nodeStateChanged(change.node)
        }
        if o.noExecuteTaints != n.noExecuteTaints {
            taintEviction.noExecuteTaintsChanged(node: change.node, in: self)
        }
        podGC.nodeChanged(change, in: self)
        nodeAutoRepair?.nodeChanged(change, in: self)
        // The attach/detach reconciler looks again when a volume may have become safe or
        // forced to detach.
        if o.ready != n.ready || (!o.deleted && n.deleted) || (!o.outOfService && n.outOfService) {
            attachDetach.reconcile(in: self)
        }
        // The scheduler's queue before the DaemonSets: both schedule their work after the API
        // latency, so this order decides which runs first at that instant.
        schedulerObserveNode(change)
        daemonSetsObserveNode(change)
    }

    /// The DaemonSet controller's node handlers (daemon_controller.go `addNode`, `updateNode`,
    /// `deleteNode`): the node is looked at again at the next sync, and a change of its
    /// readiness, taints or labels queues every DaemonSet.
    func daemonSetsObserveNode(_ change: NodeChange) {
        let (o, n) = (change.old, change.new)
        let specChanged = o.taints != n.taints || o.labels != n.labels
        guard o.ready != n.ready || o.deleted != n.deleted || specChanged else { return }
        daemonSetController.nodeChanged(change.node)
        if o.ready != n.ready || (specChanged && !n.deleted) { daemonSetController.enqueueAll(in: self) }
    }

    /// The scheduler's node events: its node tree follows deletions and registrations, and
    /// unschedulable pods go back to the active queue when a node event can make them fit
    /// (a readiness change, a removed taint, changed labels, an uncordoned or deleted node:
    /// `MoveAllToActiveOrBackoffQueue`).
    func schedulerObserveNode(_ change: NodeChange) {
        let (o, n) = (change.old, change.new)
        if !o.deleted && n.deleted {
            scheduler.nodeDeleted(change.node)
        } else if o.deleted && !n.deleted {
            scheduler.rebuildNodeTree(nodes)
        }
        if o.labels != n.labels {
            // The caches of label values (topology domains and the per-domain pod counts built
            // on them) start again.
            schedulerCache.nodeDomains = [:]
            schedulerCache.matchCounts.totalsIndex = [:]
            schedulerCache.matchCounts.totals = []
            schedulerCache.matchCounts.totalsOfSlot = [:]
        }
        let taintRemoved = o.taints.contains { t in !n.taints.contains(t) }
        if o.ready != n.ready || (!o.deleted && n.deleted) || (o.unschedulable && !n.unschedulable) || taintRemoved
            || o.labels != n.labels
        {
            clusterChanged()
        }
    }

    /// The owning controller's pod event handlers: a sync is queued when something that can
    /// change its decision happened — readiness, deletion, a container starting, the object
    /// gone — and its own index of pods follows the change.
    func ownerObservePod(_ change: PodChange) {
        switch change {
        case .added:
            break  // the controller that created it counts it already
        case .updated(let old, let new):
            if !old.isTerminating, new.isTerminating, case .daemonSet(let ds) = new.owner, let n = new.node {
                daemonSetController.podTerminating(set: ds, node: n)
            }
            if case .job = new.owner {
                // A pod deleted before it finished failed; a container that started again
                // may take the Job past its backoffLimit.
                if !old.isTerminating, new.isTerminating { jobController.podGone(new, in: self) }
                if old.statusRunning != new.statusRunning { jobController.podStatusChanged(new, in: self) }
            } else if old.ready != new.ready || old.isTerminating != new.isTerminating
                || (!old.statusRunning && new.statusRunning) || instanceRestarted(old, new)
            {
                enqueueOwnerSync(new.owner)
            }
        case .deleted(let pod):
            switch pod.owner {
            case .replicaSet(let rs): replicaSetController.podRemoved(pod.id, set: rs)
            case .daemonSet(let ds):
                if let n = pod.node { daemonSetController.podRemoved(pod, set: ds, node: n) }
            case .statefulSet(let s, let ordinal): statefulSetController.podRemoved(pod, set: s, ordinal: ordinal)
            case .pgCluster(let c, let serial):
                cnpgOperator.podRemoved(pod, cluster: c, serial: serial)
            case .job: jobController.podGone(pod, in: self)
            case .none: break
            }
            enqueueOwnerSync(pod.owner)
        }
    }

    /// A CloudNativePG instance whose PostgreSQL was stopped in place (its liveness probe failed
    /// while cut off) runs again: the kubelet reports the restarted container, and the operator's
    /// reconcile sees its primary back.
    ///
    /// Its pod stayed Ready in the API meanwhile (the kubelet could not write), so no other change
    /// tells the operator.
    private func instanceRestarted(_ old: SimPod, _ new: SimPod) -> Bool {
        guard case .pgCluster = new.owner else { return false }
        return !old.running && new.running
    }

    func enqueueOwnerSync(_ owner: PodOwner) {
        switch owner {
        case .replicaSet(let rs): enqueueSync(.replicaSet(rs))
        case .daemonSet(let ds): enqueueSync(.daemonSet(ds))
        case .statefulSet(let s, _): enqueueSync(.statefulSet(s))
        case .pgCluster(let c, _): cnpgOperator.requestSync(c, in: self)
        case .job, .none: break
        }
    }

    /// Measurement: a workload's ready replicas change when a pod appears or goes, turns
    /// Ready or not, its containers start or stop, or it is deleted.
    func measurementObservePod(_ change: PodChange) {
        switch change {
        case .added(let pod), .deleted(let pod):
            measurePods(workload: pod.workload)
        case .updated(let old, let new):
            if old.ready != new.ready || old.running != new.running || old.isTerminating != new.isTerminating {
                measurePods(workload: new.workload)
            }
        }
    }
}
