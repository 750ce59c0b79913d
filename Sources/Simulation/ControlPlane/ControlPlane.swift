import KubeModel
import SimKernel

/// What an event may need of the control plane: the API server writing, or a leader of
/// kube-controller-manager or kube-scheduler.
enum ControlPlaneComponent { case api, controllerManager, scheduler }

/// The API server's side of the control plane: what waits for it to write, the partition
/// that decides who reaches it, and its availability over time.
struct ControlPlaneState {
    /// API writes deferred while the datastore cannot write (kubelet status, clients).
    var deferredWrites: [SimEvent] = []
    /// Location groups of an active network partition: zone index → side.
    var side: [Int: Int] = [:]
    var series: [SeriesPoint] = []
    /// A single-replica managed control plane is being replaced (an upgrade).
    var managedReplicaDown = false
}

/// API server availability and the components that depend on it. Writes need the
/// datastore: for embedded etcd a leader with a majority; SQLite needs its one server;
/// external and managed datastores are not hit by the cluster's node faults.
extension ClusterSimulation {
    var apiWritable: Bool {
        switch spec.controlPlane.datastore {
        case .managed: return !controlPlane.managedReplicaDown
        case .external: return true
        case .sqlite:
            return spec.controlPlane.servers.first.flatMap { nodeIndex[$0] }.map { nodes[$0].up } ?? true
        case .embeddedEtcd:
            guard let l = etcd.leader else { return etcd.members.isEmpty }
            return etcd.memberUp(l, in: self) && etcd.reachableMemberCount(from: l, in: self) >= etcd.quorum
        }
    }

    /// Whether node `a` and node `b` are on the same side of any partition.
    func sameSide(_ a: Int, _ b: Int) -> Bool {
        let side = controlPlane.side
        guard !side.isEmpty else { return true }
        let nodes = self.nodes
        return (side[nodes[a].zone] ?? 0) == (side[nodes[b].zone] ?? 0)
    }

    /// Whether node `n` can write through an API server (one on its side of a partition
    /// whose datastore can write).
    func canWrite(from n: Int) -> Bool {
        apiWritable && canReachWritableServer(from: n)
    }

    /// Whether node `n` is on the side of a partition where the API server writes, given that
    /// the datastore can write.
    func canReachWritableServer(from n: Int) -> Bool {
        switch spec.controlPlane.datastore {
        case .managed, .external: return controlPlane.side.isEmpty || (controlPlane.side[nodes[n].zone] ?? 0) == 0
        case .sqlite, .embeddedEtcd:
            let leaderNode =
                etcd.leader.map { etcd.members[$0].node }
                ?? spec.controlPlane.servers.first.flatMap { nodeIndex[$0] }
            return leaderNode.map { sameSide($0, n) } ?? true
        }
    }

    func startControlPlane() {
        etcd.start(in: self)
        leaderElection.start(in: self)
        recordControlPlane()
    }

    /// Which component an event needs, if any.
    func requiredComponent(_ event: SimEvent) -> ControlPlaneComponent? {
        switch event {
        case .nodeLifecycle, .taintEviction, .sync, .availabilityCheck, .attachDetach(.reconcile), .podGC, .job, .cronJob:
            return .controllerManager
        case .scheduler: return .scheduler
        case .kubelet(.podReady), .kubelet(.containerStopped), .kubelet(.jobPodExited), .drain(.evict), .drain(.poll),
            .cnpg(.sync),
            .cnpg(.failoverElect), .cnpg(.promote):
            return .api
        default: return nil
        }
    }

    func componentWorking(_ c: ControlPlaneComponent) -> Bool {
        guard !serverNodes.isEmpty || spec.controlPlane.datastore == .managed || spec.controlPlane.datastore == .external else {
            return true
        }
        guard apiWritable else { return false }
        switch c {
        case .api: return true
        case .controllerManager: return leaderElection.holderWorking(.controllerManager, in: self)
        case .scheduler: return leaderElection.holderWorking(.scheduler, in: self)
        }
    }

    /// Holds an event back while the component it needs is not working.
    ///
    /// Returns true when the event was deferred.
    func deferIfBlocked(_ event: SimEvent) -> Bool {
        guard let c = requiredComponent(event), !componentWorking(c) else { return false }
        switch c {
        case .api: controlPlane.deferredWrites.append(event)
        case .controllerManager: leaderElection.hold(event, for: .controllerManager)
        case .scheduler: leaderElection.hold(event, for: .scheduler)
        }
        return true
    }

    /// Re-evaluates the components after the datastore or a server changed, starts lease
    /// take-overs, and replays deferred events of components that work again.
    func controlPlaneAvailabilityChanged() {
        noteAPIAvailability()
        leaderElection.serversChanged(in: self)
        replayDeferred()
        recordControlPlane()
    }

    /// A new kube-controller-manager leader starts its controllers from scratch: the node
    /// lifecycle controller observes every node anew (probe timestamps = now) and the
    /// taint eviction controller re-schedules evictions counting from now.
    func restartControllers() {
        nodeLifecycle.restart(in: self)
        taintEviction.restart(in: self)
    }

    func replayDeferred() {
        if componentWorking(.api), !controlPlane.deferredWrites.isEmpty {
            for e in controlPlane.deferredWrites { engine.schedule(e, after: .zero) }
            controlPlane.deferredWrites.removeAll()
        }
        for role in LeaderElectedRole.allCases where componentWorking(role.component) {
            for e in leaderElection.takeHeld(role) { engine.schedule(e, after: .zero) }
        }
    }

    /// The control plane over time: the etcd leader's server (or none), for reports.
    func recordControlPlane() {
        let label: String
        switch spec.controlPlane.datastore {
        case .embeddedEtcd: label = etcd.leader.map { nodes[etcd.members[$0].node].name } ?? "none"
        case .sqlite: label = apiWritable ? "sqlite" : "none"
        case .external, .managed: label = spec.controlPlane.datastore.rawValue
        }
        if controlPlane.series.last?.label != label {
            controlPlane.series.append(SeriesPoint(t: now.seconds, value: label == "none" ? 0 : 1, label: label))
        }
    }
}

extension ClusterSimulation {
    /// Accumulates the time the API server cannot write.
    func noteAPIAvailability() {
        if apiWritable {
            if let since = apiUnavailableSince { apiUnavailableSeconds += (now - since).seconds; apiUnavailableSince = nil }
        } else if apiUnavailableSince == nil {
            apiUnavailableSince = now
        }
    }

    /// A network partition isolates `zones` from the rest (nil heals it).
    ///
    /// `healing`: the faults whose partition ends here (the reconnecting members' milestones go to
    /// them).
    func setPartition(isolating zones: Set<Int>?, healing: [FaultID] = []) {
        let group = etcd.referenceGroup(in: self)
        let sidesBefore = controlPlane.side
        controlPlane.side = [:]
        for z in zones ?? [] { controlPlane.side[z] = 1 }
        etcd.rejoinAfterPartitionChange(group: group, sidesBefore: sidesBefore, causes: healing, in: self)
        etcdMembershipChanged()
        controlPlaneAvailabilityChanged()
        noteAPIAvailability()
        cnpgOperator.partitionChanged(in: self)
    }
}
