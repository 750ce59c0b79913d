import KubeModel
import SimKernel

/// The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go): every
/// `--node-monitor-period` it checks each node's heartbeat against the grace period, marks silent
/// nodes Ready=Unknown and their pods not ready, queues them for the NoExecute taint through a
/// per-zone rate limiter (`NodeLifecycleController+Zones.swift`), and removes the taints when the
/// node is Ready again.
///
/// Nodes the pass can change nothing about are not visited (`SettledNodes.swift`).
final class NodeLifecycleController {
    /// The controller's flags (`--node-monitor-period`, `--node-monitor-grace-period`,
    /// `--node-eviction-rate`, …), fixed for the run.
    let params: ClusterParameters
    /// When the controller last saw a new heartbeat (lease renewTime) per node; stamped
    /// with the controller's own clock at the pass that saw it.
    var probeTimestamp: [SimTime] = []
    var lastSeenRenew: [SimTime] = []
    var zoneStates: [ZoneState] = []
    var zoneQueues: [[Int]] = []
    /// The nodes in `zoneQueues`: a node is looked up at every pass while it is not ready,
    /// and a zone outage queues hundreds.
    var queued: Set<Int> = []
    var zoneLimiters: [TokenBucket] = []
    var taintPassPending: [Bool] = []
    /// Phase of the 100 ms tainting loop.
    var taintGridStart: SimTime = .zero
    /// When a new controller-manager leader last started the controller (nil: never).
    private(set) var restartedAt: SimTime?
    /// Nodes the monitor pass skips; their bookkeeping above is as of `settled.appliedPasses`.
    var settled = SettledNodes()

    init(params: ClusterParameters) { self.params = params }

    func handle(_ event: NodeLifecycleEvent, in ctx: NodeLifecycleContext) {
        switch event {
        case .monitorPass: monitorNodeHealth(in: ctx)
        case .taintPass(let z): noExecuteTaintingPass(zone: z, in: ctx)
        }
    }

    /// The controller manager started at `phase`, within a period before t=0.
    func start(phase: SimTime, in ctx: NodeLifecycleContext) {
        probeTimestamp = Array(repeating: .zero, count: ctx.nodes.count)
        lastSeenRenew = ctx.nodes.indices.map { heartbeat($0, in: ctx) }
        zoneStates = Array(repeating: .initial, count: ctx.zoneCount)
        zoneQueues = Array(repeating: [], count: ctx.zoneCount)
        zoneLimiters = Array(repeating: TokenBucket(qps: params.nodeEvictionRate, last: .zero), count: ctx.zoneCount)
        taintPassPending = Array(repeating: false, count: ctx.zoneCount)
        taintGridStart = SimTime(microseconds: phase.microseconds % params.nodeEvictionPeriod.microseconds)
        ctx.schedule(.monitorPass, at: phase)
    }

    /// A node joined during the run: the controller first sees it now.
    func nodeAdded(in ctx: NodeLifecycleContext) {
        probeTimestamp.append(ctx.now)
        lastSeenRenew.append(ctx.now)
    }

    /// A node in a zone the controller has not seen joined.
    func zoneAdded(in ctx: NodeLifecycleContext) {
        zoneStates.append(.initial)
        zoneQueues.append([])
        zoneLimiters.append(TokenBucket(qps: params.nodeEvictionRate, last: ctx.now))
        taintPassPending.append(false)
    }

    /// A new kube-controller-manager leader starts the controller from scratch: it observes
    /// every node anew (probe timestamps = now).
    func restart(in ctx: NodeLifecycleContext) {
        restartedAt = ctx.now
        resetProbeTimestamps(renewals: true, in: ctx)
    }

    func monitorNodeHealth(in ctx: NodeLifecycleContext) {
        settled.passTimes.append(ctx.now)
        // Every node of a run has posted Ready before, so the monitor grace period applies;
        // `--node-startup-grace-period` (60 s) is for nodes that never did, which only nodes
        // joining during a run could be (node autoscaling is not modelled).
        let grace = params.nodeMonitorGracePeriod
        if settled.explicit {
            monitorEveryNode(grace: grace, in: ctx)
            handleDisruption(computeZoneStates(in: ctx), in: ctx)
            for z in 0..<ctx.zoneCount { scheduleTaintPass(zone: z, in: ctx) }
            ctx.cloudNodeLifecycle(Array(ctx.nodes.indices))
        } else {
            monitorUnsettledNodes(grace: grace, in: ctx)
            handleDisruption(computeZoneStatesOfVisitedNodes(in: ctx), in: ctx)
            for z in 0..<ctx.zoneCount { scheduleTaintPass(zone: z, in: ctx) }
            // Settled nodes are Ready: the loop acts on none of them.
            ctx.cloudNodeLifecycle(settled.visits)
        }
        // wait.Until is sliding: the next pass starts a period after this one ends.
        ctx.schedule(.monitorPass, at: ctx.now + params.nodeMonitorPeriod + params.nodeMonitorPassDuration)
    }

    /// The explicit pass: tryUpdateNodeHealth and the taint decision for every node.
    func monitorEveryNode(grace: SimTime, in ctx: NodeLifecycleContext) {
        // The heartbeat bookkeeping stays in locals for the pass: one access to the state per
        // pass instead of several per node (their exclusivity checks dominated the pass).
        // Nothing the pass calls reads it.
        var lastSeen = lastSeenRenew, probe = probeTimestamp
        lastSeenRenew = []
        probeTimestamp = []
        let t = ctx.now
        for n in ctx.nodes.indices where !ctx.nodes[n].deleted {
            // tryUpdateNodeHealth
            let renewed = heartbeat(n, in: ctx)
            if renewed != lastSeen[n] {
                lastSeen[n] = renewed
                probe[n] = t
            }
            monitor(n, at: t, probe: probe[n], grace: grace, in: ctx)
        }
        lastSeenRenew = lastSeen
        probeTimestamp = probe
    }

    /// The node's latest heartbeat as `tryUpdateNodeHealth` sees it: its Lease's renewTime
    /// or the Ready condition's lastHeartbeatTime from a kubelet status patch.
    func heartbeat(_ n: Int, in ctx: NodeLifecycleContext) -> SimTime {
        max(ctx.leaseRenewTime(n), ctx.nodes[n].statusHeartbeat)
    }

    /// The rest of tryUpdateNodeHealth (the grace check) and processTaintBasedEviction.
    func monitor(_ n: Int, at t: SimTime, probe: SimTime, grace: SimTime, in ctx: NodeLifecycleContext) {
        if ctx.nodes[n].ready != .unknown, t > probe + grace {
            ctx.setNodeReady(n, .unknown)
            markPodsNotReady(n, in: ctx)
            ctx.nodeLifecycleMarkedUnknown(n, controllerRestartedAt: restartedAt)
            ctx.readyConditionOverwritten(n)
        }
        processTaintBasedEviction(n, in: ctx)
    }

    /// `MarkPodsNotReady`: Ready=False on every pod of the node; not rate-limited.
    func markPodsNotReady(_ n: Int, in ctx: NodeLifecycleContext) {
        for id in ctx.nodes[n].pods.sorted() { ctx.setPodReady(id, false) }
    }

    func processTaintBasedEviction(_ n: Int, in ctx: NodeLifecycleContext) {
        let ready = ctx.nodes[n].ready
        switch ready {
        case .isFalse, .unknown:
            let key = ready == .isFalse ? Taint.notReadyKey : Taint.unreachableKey
            let other = ready == .isFalse ? Taint.unreachableKey : Taint.notReadyKey
            if ctx.nodes[n].taints.contains(where: { $0.key == other && $0.effect == .NoExecute }) {
                // Swapped at once, not rate-limited (SwapNodeControllerTaint).
                ctx.removeTaint(n, key: other, effect: .NoExecute)
                ctx.addTaint(n, Taint(key: key, effect: .NoExecute))
            } else if !ctx.nodes[n].taints.contains(where: { $0.key == key && $0.effect == .NoExecute }),
                !queued.contains(n)
            {
                zoneQueues[ctx.nodes[n].zone].append(n)
                queued.insert(n)
            }
        case .isTrue:
            markNodeAsReachable(n, in: ctx)
        }
    }

    /// Removes the not-ready/unreachable NoExecute taints and drops the node from its queue.
    func markNodeAsReachable(_ n: Int, in ctx: NodeLifecycleContext) {
        let z = ctx.nodes[n].zone
        if queued.remove(n) != nil { zoneQueues[z].removeAll { $0 == n } }
        // The explicit pass visits every Ready node: skip the taint removals when there is
        // nothing to remove (reading the taints alone: a computed property of SimNode copied the node).
        guard ctx.nodes[n].taints.contains(where: { $0.effect == .NoExecute }) else { return }
        ctx.removeTaint(n, key: Taint.unreachableKey, effect: .NoExecute)
        ctx.removeTaint(n, key: Taint.notReadyKey, effect: .NoExecute)
    }
}
