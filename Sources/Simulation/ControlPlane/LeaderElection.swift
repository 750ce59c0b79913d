import SimKernel

/// A leader-elected control-plane component (kube-controller-manager, kube-scheduler): one instance
/// per server, the holder of the Lease works.
///
/// The holder renews every `retryPeriod`; when it stops (its server dies, or writes fail past
/// `renewDeadline`), another instance takes over once the Lease has expired (`leaseDuration` after
/// the last renewal) at its next retry.
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
    var lossCauses: [FaultID] = []
    /// Releases the Lease when it shuts down gracefully (`ReleaseOnCancel`).
    var releasesOnCancel = false
}

/// The control-plane components that run on every server and elect a leader through a Lease.
enum LeaderElectedRole: CaseIterable {
    case controllerManager, scheduler

    var component: ControlPlaneComponent { self == .controllerManager ? .controllerManager : .scheduler }
    var leaseLost: MilestoneName { self == .controllerManager ? .controllerManagerLeaseLost : .schedulerLeaseLost }
    var resumed: MilestoneName { self == .controllerManager ? .controllerManagerResumed : .schedulerResumed }
}

/// kube-controller-manager's and kube-scheduler's leader election (client-go
/// `tools/leaderelection`): which server's instance holds each Lease, when the holder gives up or
/// loses it, and when another acquires it.
///
/// Events that need a component without a working leader wait here until it has one.
final class LeaderElection {
    private(set) var controllerManager = LeaderElectedComponent(name: "kube-controller-manager")
    private(set) var scheduler = LeaderElectedComponent(name: "kube-scheduler", releasesOnCancel: true)

    private(set) subscript(role: LeaderElectedRole) -> LeaderElectedComponent {
        get { role == .controllerManager ? controllerManager : scheduler }
        set { if role == .controllerManager { controllerManager = newValue } else { scheduler = newValue } }
    }

    /// At t=0 each Lease is held by a random server that renewed it within the last 2 s.
    func start(in ctx: LeaderElectionContext) {
        var rng = ctx.freshStream("control-plane", "lease-holders")
        let servers = ctx.serverNodes
        guard !servers.isEmpty else { return }
        controllerManager.holder = servers[Int(rng.next() % UInt64(servers.count))]
        scheduler.holder = servers[Int(rng.next() % UInt64(servers.count))]
        controllerManager.lastRenew = .zero - SimTime(microseconds: Int64(rng.nextUnit() * 2_000_000))
        scheduler.lastRenew = .zero - SimTime(microseconds: Int64(rng.nextUnit() * 2_000_000))
    }

    func handle(_ event: LeaderElectionEvent, in ctx: LeaderElectionContext) {
        switch event {
        case .takeover(let role, let epoch): takeover(role, epoch: epoch, in: ctx)
        case .renewDeadline(let role, let epoch): renewDeadlinePassed(role, epoch: epoch, in: ctx)
        }
    }

    /// The leader runs and reaches an API server that writes (the datastore is known to write).
    func holderWorking(_ role: LeaderElectedRole, in ctx: LeaderElectionContext) -> Bool {
        if ctx.serverNodes.isEmpty { return true }
        guard let h = self[role].holder else { return false }
        return ctx.k3sRunning(h) && ctx.canReachWritableServer(from: h)
    }

    /// Holds `event` until `role` works again.
    func hold(_ event: SimEvent, for role: LeaderElectedRole) { self[role].deferred.append(event) }

    /// The events held for `role`, each periodic loop (monitor pass, scheduling cycle) once;
    /// the caller replays them.
    func takeHeld(_ role: LeaderElectedRole) -> [SimEvent] {
        let held = Self.dedupe(self[role].deferred)
        self[role].deferred.removeAll()
        return held
    }

    /// A server or the datastore changed: holders whose writes start failing count down to
    /// renewDeadline, and holders whose K3S stopped lose their Lease.
    func serversChanged(in ctx: LeaderElectionContext) {
        for role in LeaderElectedRole.allCases {
            guard let h = self[role].holder else { continue }
            if ctx.k3sRunning(h), !ctx.canWrite(from: h), self[role].renewFailingSince == nil {
                // Renewals start failing; the holder gives up after renewDeadline.
                self[role].renewFailingSince = ctx.now
                ctx.schedule(
                    .renewDeadline(role, epoch: self[role].epoch), at: ctx.now + ctx.controlPlaneSpec.renewDeadline)
            } else if ctx.k3sRunning(h), ctx.canWrite(from: h) {
                self[role].renewFailingSince = nil
            }
            if !ctx.k3sRunning(h) { holderStopped(role, holder: h, in: ctx) }
        }
    }

    /// The holder's K3S stopped.
    ///
    /// A graceful stop of a component that releases its Lease on shutdown (kube-scheduler:
    /// ReleaseOnCancel in cmd/kube-scheduler/app/options `makeLeaderElectionConfig`) frees it at
    /// once; otherwise (a crash, or kube-controller-manager, which does not release) the Lease
    /// expires leaseDuration after its last renewal.
    private func holderStopped(_ role: LeaderElectedRole, holder lost: Int, in ctx: LeaderElectionContext) {
        let cp = ctx.controlPlaneSpec
        var comp = self[role]
        comp.holder = nil
        comp.lossCauses = ctx.faultsCausing(nodes: [lost])
        comp.epoch += 1
        let released = ctx.stoppedGracefully(lost) && comp.releasesOnCancel
        let expiry = released ? ctx.now : max(ctx.now, lastRenewal(comp, atOrBefore: ctx.now, in: ctx) + cp.leaseDuration)
        let retry = ctx.drawInSequence(comp.name, "lease-retry") {
            SimTime(microseconds: Int64($0.nextUnit() * Double(cp.retryPeriod.microseconds)))
        }
        ctx.schedule(.takeover(role, epoch: comp.epoch), at: expiry + retry)
        self[role] = comp
        ctx.faultsObserveControlPlane(
            role.leaseLost,
            released
                ? "\(comp.name) on \(ctx.nodeName(lost)) shut down and released its Lease (ReleaseOnCancel); another server takes it at its next retry (retryPeriod \(cp.retryPeriod))"
                : "\(comp.name) on \(ctx.nodeName(lost)) stops renewing its Lease; another server takes over once it expires (leaseDuration \(cp.leaseDuration), retryPeriod \(cp.retryPeriod))",
            causes: comp.lossCauses)
    }

    /// The holder renews every retryPeriod from `lastRenew` (when it acquired the Lease, or its
    /// last known renewal): its last renewal at or before `t`, without an event per renewal.
    func lastRenewal(_ comp: LeaderElectedComponent, atOrBefore t: SimTime, in ctx: LeaderElectionContext) -> SimTime {
        TickGrid(start: comp.lastRenew, period: ctx.controlPlaneSpec.retryPeriod).last(atOrBefore: t)
    }

    /// renewDeadline passed without a successful renewal: the holder gives up leadership.
    private func renewDeadlinePassed(_ role: LeaderElectedRole, epoch: Int, in ctx: LeaderElectionContext) {
        var comp = self[role]
        guard comp.epoch == epoch, let h = comp.holder, let since = comp.renewFailingSince, !ctx.canWrite(from: h)
        else { return }
        comp.holder = nil
        comp.epoch += 1
        comp.renewFailingSince = nil
        comp.lastRenew = lastRenewal(comp, atOrBefore: since, in: ctx)
        // Its server is fine but cannot write: the cause is what cut it off or cost the quorum.
        let onHolder = ctx.faultsCausing(nodes: [h])
        comp.lossCauses = onHolder.isEmpty ? ctx.datastoreLossCauses : onHolder
        self[role] = comp
        ctx.faultsObserveControlPlane(
            role.leaseLost,
            "\(comp.name) on \(ctx.nodeName(h)) could not renew its Lease for renewDeadline \(ctx.controlPlaneSpec.renewDeadline) and gave up leadership",
            causes: comp.lossCauses)
        ctx.schedule(.takeover(role, epoch: comp.epoch), at: max(ctx.now, comp.lastRenew + ctx.controlPlaneSpec.leaseDuration))
    }

    /// The Lease expired: a live instance on a server that can write acquires it at its retry.
    private func takeover(_ role: LeaderElectedRole, epoch: Int, in ctx: LeaderElectionContext) {
        guard self[role].epoch == epoch, self[role].holder == nil else { return }
        guard let next = ctx.serverNodes.first(where: { ctx.k3sRunning($0) && ctx.canWrite(from: $0) }) else {
            ctx.schedule(.takeover(role, epoch: epoch), at: ctx.now + ctx.controlPlaneSpec.retryPeriod)
            return
        }
        self[role].holder = next
        self[role].lastRenew = ctx.now
        self[role].renewFailingSince = nil
        ctx.faultsObserveControlPlane(
            role.resumed, "\(self[role].name) on \(ctx.nodeName(next)) acquired the Lease", causes: self[role].lossCauses)
        ctx.leaseAcquired(role)
    }

    /// Periodic loops (monitor pass, scheduling cycle) are replayed once.
    private static func dedupe(_ events: [SimEvent]) -> [SimEvent] {
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
}
