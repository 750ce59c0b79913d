import KubeModel
import SimKernel

/// A leader-elected control-plane component (kube-controller-manager, kube-scheduler):
/// one instance per server, the holder of the Lease works. The holder renews every
/// `retryPeriod`; when it stops (its server dies, or writes fail past `renewDeadline`),
/// another instance takes over once the Lease has expired (`leaseDuration` after the last
/// renewal) at its next retry.
struct LeaderElectedComponent {
    let name: String
    var holder: Int?
    var lastRenew: SimTime = .zero
    var epoch = 0
    /// Since when the holder's renewals fail (writes unavailable from its server).
    var renewFailingSince: SimTime?
    /// Events that came while the component was not working, replayed when it resumes.
    var deferred: [SimEvent] = []
    /// The faults that cost it its holder: the take-over milestone belongs to them.
    var lossCauses: [Int] = []
    /// Releases the Lease when it shuts down gracefully (`ReleaseOnCancel`).
    var releasesOnCancel = false
}

enum ControlPlaneComponent { case api, controllerManager, scheduler }

/// The control-plane components that run on every server and elect a leader through a Lease.
enum LeaderElectedRole: CaseIterable {
    case controllerManager, scheduler

    var component: ControlPlaneComponent { self == .controllerManager ? .controllerManager : .scheduler }
    var leaseLost: MilestoneName { self == .controllerManager ? .controllerManagerLeaseLost : .schedulerLeaseLost }
    var resumed: MilestoneName { self == .controllerManager ? .controllerManagerResumed : .schedulerResumed }
}

struct ControlPlaneState {
    var controllerManager = LeaderElectedComponent(name: "kube-controller-manager")
    var scheduler = LeaderElectedComponent(name: "kube-scheduler", releasesOnCancel: true)
    /// API writes deferred while the datastore cannot write (kubelet status, clients).
    var deferredWrites: [SimEvent] = []
    /// Location groups of an active network partition: zone index → side.
    var side: [Int: Int] = [:]
    var series: [SeriesPoint] = []
    /// A single-replica managed control plane is being replaced (an upgrade).
    var managedReplicaDown = false

    subscript(role: LeaderElectedRole) -> LeaderElectedComponent {
        get { role == .controllerManager ? controllerManager : scheduler }
        set { if role == .controllerManager { controllerManager = newValue } else { scheduler = newValue } }
    }
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
    private func canReachWritableServer(from n: Int) -> Bool {
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
        var rng = streams.stream("control-plane", "lease-holders")
        let servers = serverNodes
        if !servers.isEmpty {
            controlPlane.controllerManager.holder = servers[Int(rng.next() % UInt64(servers.count))]
            controlPlane.scheduler.holder = servers[Int(rng.next() % UInt64(servers.count))]
            controlPlane.controllerManager.lastRenew = .zero - SimTime(microseconds: Int64(rng.nextUnit() * 2_000_000))
            controlPlane.scheduler.lastRenew = .zero - SimTime(microseconds: Int64(rng.nextUnit() * 2_000_000))
        }
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
        case .controllerManager: return holderWorking(controlPlane.controllerManager)
        case .scheduler: return holderWorking(controlPlane.scheduler)
        }
    }

    /// The leader of a leader-elected component runs and reaches an API server that writes
    /// (the datastore is known to write).
    private func holderWorking(_ c: LeaderElectedComponent) -> Bool {
        if serverNodes.isEmpty { return true }
        guard let h = c.holder else { return false }
        return k3sRunning(h) && canReachWritableServer(from: h)
    }

    /// Holds an event back while the component it needs is not working.
    /// Returns true when the event was deferred.
    func deferIfBlocked(_ event: SimEvent) -> Bool {
        guard let c = requiredComponent(event), !componentWorking(c) else { return false }
        switch c {
        case .api: controlPlane.deferredWrites.append(event)
        case .controllerManager: controlPlane.controllerManager.deferred.append(event)
        case .scheduler: controlPlane.scheduler.deferred.append(event)
        }
        return true
    }

    /// Re-evaluates the components after the datastore or a server changed, starts lease
    /// take-overs, and replays deferred events of components that work again.
    func controlPlaneAvailabilityChanged() {
        noteAPIAvailability()
        for role in LeaderElectedRole.allCases {
            var comp = controlPlane[role]
            if let h = comp.holder, k3sRunning(h), !canWrite(from: h), comp.renewFailingSince == nil {
                // Renewals start failing; the holder gives up after renewDeadline.
                comp.renewFailingSince = now
                engine.schedule(
                    .leaderElection(.renewDeadline(role, epoch: comp.epoch)),
                    after: spec.controlPlane.renewDeadline)
            } else if let h = comp.holder, k3sRunning(h), canWrite(from: h) {
                comp.renewFailingSince = nil
            }
            if let h = comp.holder, !k3sRunning(h) {
                // The holder stopped. A graceful stop of a component that releases its Lease on
                // shutdown (kube-scheduler: ReleaseOnCancel in cmd/kube-scheduler/app/options
                // `makeLeaderElectionConfig`) frees it at once; otherwise (a crash, or
                // kube-controller-manager, which does not release) the Lease expires
                // leaseDuration after its last renewal.
                let lost = comp.holder!
                comp.holder = nil
                comp.lossCauses = faultsCausing(nodes: [lost])
                comp.epoch += 1
                let released = (nodes[lost].up || k3sService.shutDown.contains(lost)) && comp.releasesOnCancel
                let expiry = released ? now : max(now, lastRenewal(comp, atOrBefore: now) + spec.controlPlane.leaseDuration)
                var rng = randomStreams["lease\u{0}\(comp.name)"] ?? streams.stream(comp.name, "lease-retry")
                let retry = SimTime(microseconds: Int64(rng.nextUnit() * Double(spec.controlPlane.retryPeriod.microseconds)))
                randomStreams["lease\u{0}\(comp.name)"] = rng
                engine.schedule(.leaderElection(.takeover(role, epoch: comp.epoch)), at: expiry + retry)
                faultsObserveControlPlane(
                    role.leaseLost,
                    released
                        ? "\(comp.name) on \(nodes[lost].name) shut down and released its Lease (ReleaseOnCancel); another server takes it at its next retry (retryPeriod \(spec.controlPlane.retryPeriod))"
                        : "\(comp.name) on \(nodes[lost].name) stops renewing its Lease; another server takes over once it expires (leaseDuration \(spec.controlPlane.leaseDuration), retryPeriod \(spec.controlPlane.retryPeriod))",
                    causes: comp.lossCauses)
            }
            controlPlane[role] = comp
        }
        replayDeferred()
        recordControlPlane()
    }

    /// The holder renews every retryPeriod from `lastRenew` (when it acquired the Lease, or its
    /// last known renewal): its last renewal at or before `t`, without an event per renewal.
    func lastRenewal(_ comp: LeaderElectedComponent, atOrBefore t: SimTime) -> SimTime {
        TickGrid(start: comp.lastRenew, period: spec.controlPlane.retryPeriod).last(atOrBefore: t)
    }

    /// renewDeadline passed without a successful renewal: the holder gives up leadership.
    func leaseRenewDeadline(_ role: LeaderElectedRole, epoch: Int) {
        var comp = controlPlane[role]
        guard comp.epoch == epoch, let h = comp.holder, let since = comp.renewFailingSince, !canWrite(from: h) else { return }
        comp.holder = nil
        comp.epoch += 1
        comp.renewFailingSince = nil
        comp.lastRenew = lastRenewal(comp, atOrBefore: since)
        // Its server is fine but cannot write: the cause is what cut it off or cost the quorum.
        let onHolder = faultsCausing(nodes: [h])
        comp.lossCauses = onHolder.isEmpty ? etcd.lossCauses : onHolder
        controlPlane[role] = comp
        faultsObserveControlPlane(
            role.leaseLost,
            "\(comp.name) on \(nodes[h].name) could not renew its Lease for renewDeadline \(spec.controlPlane.renewDeadline) and gave up leadership",
            causes: comp.lossCauses)
        engine.schedule(
            .leaderElection(.takeover(role, epoch: comp.epoch)),
            at: max(now, comp.lastRenew + spec.controlPlane.leaseDuration))
    }

    func leaseTakeover(_ role: LeaderElectedRole, epoch: Int) {
        var comp = controlPlane[role]
        guard comp.epoch == epoch, comp.holder == nil else { return }
        // A live instance on a server that can write acquires the Lease.
        guard let next = serverNodes.first(where: { k3sRunning($0) && canWrite(from: $0) }) else {
            engine.schedule(.leaderElection(.takeover(role, epoch: epoch)), after: spec.controlPlane.retryPeriod)
            return
        }
        comp.holder = next
        comp.lastRenew = now
        comp.renewFailingSince = nil
        controlPlane[role] = comp
        faultsObserveControlPlane(role.resumed, "\(comp.name) on \(nodes[next].name) acquired the Lease", causes: comp.lossCauses)
        if role == .controllerManager { restartControllers() }
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
        if componentWorking(.controllerManager), !controlPlane.controllerManager.deferred.isEmpty {
            for e in dedupe(controlPlane.controllerManager.deferred) { engine.schedule(e, after: .zero) }
            controlPlane.controllerManager.deferred.removeAll()
        }
        if componentWorking(.scheduler), !controlPlane.scheduler.deferred.isEmpty {
            for e in dedupe(controlPlane.scheduler.deferred) { engine.schedule(e, after: .zero) }
            controlPlane.scheduler.deferred.removeAll()
        }
    }

    /// Periodic loops (monitor pass, scheduling cycle) are replayed once.
    func dedupe(_ events: [SimEvent]) -> [SimEvent] {
        var monitor = false, cycle = false, flush = false
        var result: [SimEvent] = []
        for e in events {
            switch e {
            case .nodeLifecycle(.monitorPass): if monitor { continue }; monitor = true
            case .scheduler(.cycle): if cycle { continue }; cycle = true
            case .scheduler(.flushUnschedulable): if flush { continue }; flush = true
            default: break
            }
            result.append(e)
        }
        return result
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
    /// `healing`: the faults whose partition ends here (the reconnecting members'
    /// milestones go to them).
    func setPartition(isolating zones: Set<Int>?, healing: [Int] = []) {
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

extension ClusterSimulation {
    func handle(_ event: LeaderElectionEvent) {
        switch event {
        case .takeover(let role, let epoch): leaseTakeover(role, epoch: epoch)
        case .renewDeadline(let role, let epoch): leaseRenewDeadline(role, epoch: epoch)
        }
    }
}
