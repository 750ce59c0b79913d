import KubeModel
import SimKernel

/// NLC zone state (pkg/controller/nodelifecycle `ZoneState`).
enum ZoneState: String { case initial = "Initial", normal = "Normal", partialDisruption = "PartialDisruption", fullDisruption = "FullDisruption" }

/// A token bucket with burst 1, as `flowcontrol.NewTokenBucketRateLimiter(qps, 1)`;
/// qps 0 never accepts (`NewFakeNeverRateLimiter`).
struct TokenBucket {
    var qps: Double
    var tokens = 1.0
    var last: SimTime

    mutating func tryAccept(now: SimTime) -> Bool {
        guard qps > 0 else { return false }
        tokens = min(1, tokens + qps * (now - last).seconds)
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// When the next token is there; nil when the limiter never accepts.
    func nextToken(now: SimTime) -> SimTime? {
        guard qps > 0 else { return nil }
        let have = min(1, tokens + qps * (now - last).seconds)
        return have >= 1 ? now : now + .fromSeconds((1 - have) / qps)
    }
}

struct NodeLifecycleState {
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
    var restartedAt: SimTime?
    /// Nodes the monitor pass skips; their bookkeeping above is as of `settled.appliedPasses`.
    var settled = SettledNodes()
}

/// The node lifecycle controller (pkg/controller/nodelifecycle/node_lifecycle_controller.go):
/// every `--node-monitor-period` it checks each node's heartbeat against the grace period,
/// marks silent nodes Ready=Unknown and their pods not ready, queues them for the
/// NoExecute taint through a per-zone rate limiter, and adapts the limiters to the zone
/// states (Normal, PartialDisruption, FullDisruption).
extension ClusterSimulation {
    func startNodeLifecycleController() {
        nlc.probeTimestamp = Array(repeating: .zero, count: nodes.count)
        nlc.lastSeenRenew = nodes.indices.map { heartbeat($0) }
        nlc.zoneStates = Array(repeating: .initial, count: zoneNames.count)
        nlc.zoneQueues = Array(repeating: [], count: zoneNames.count)
        nlc.zoneLimiters = Array(repeating: TokenBucket(qps: params.nodeEvictionRate, last: .zero), count: zoneNames.count)
        nlc.taintPassPending = Array(repeating: false, count: zoneNames.count)
        // The controller manager started at some point within a period before t=0.
        var rng = streams.stream("kube-controller-manager", "monitor-phase")
        let phase = SimTime(microseconds: Int64(rng.nextUnit() * Double(params.nodeMonitorPeriod.microseconds)))
        nlc.taintGridStart = SimTime(microseconds: phase.microseconds % params.nodeEvictionPeriod.microseconds)
        engine.schedule(.nodeMonitorPass, at: phase)
        for n in nodes.indices { recordNodeState(n) }
    }

    func monitorNodeHealth() {
        nlc.settled.passTimes.append(now)
        // Every node of a run has posted Ready before, so the monitor grace period applies;
        // `--node-startup-grace-period` (60 s) is for nodes that never did, which only nodes
        // joining during a run could be (node autoscaling is not modelled).
        let grace = params.nodeMonitorGracePeriod
        if nlc.settled.explicit {
            monitorEveryNode(grace: grace)
            handleDisruption(computeZoneStates())
            for z in zoneNames.indices { scheduleTaintPass(zone: z) }
            cloudNodeLifecycle(nodes.indices)
        } else {
            monitorUnsettledNodes(grace: grace)
            handleDisruption(computeZoneStatesOfVisitedNodes())
            for z in zoneNames.indices { scheduleTaintPass(zone: z) }
            // Settled nodes are Ready: the loop acts on none of them.
            cloudNodeLifecycle(nlc.settled.visits)
        }
        // wait.Until is sliding: the next pass starts a period after this one ends.
        engine.schedule(.nodeMonitorPass, after: params.nodeMonitorPeriod + params.nodeMonitorPassDuration)
    }

    /// The explicit pass: tryUpdateNodeHealth and the taint decision for every node.
    func monitorEveryNode(grace: SimTime) {
        // The heartbeat bookkeeping stays in locals for the pass: one access to the state per
        // pass instead of several per node (their exclusivity checks dominated the pass).
        // Nothing the pass calls reads it.
        var lastSeen = nlc.lastSeenRenew, probe = nlc.probeTimestamp
        nlc.lastSeenRenew = []
        nlc.probeTimestamp = []
        let t = now
        for n in nodes.indices where !nodes[n].deleted {
            // tryUpdateNodeHealth
            let renewed = heartbeat(n)
            if renewed != lastSeen[n] {
                lastSeen[n] = renewed
                probe[n] = t
            }
            monitor(n, at: t, probe: probe[n], grace: grace)
        }
        nlc.lastSeenRenew = lastSeen
        nlc.probeTimestamp = probe
    }

    /// The node's latest heartbeat as `tryUpdateNodeHealth` sees it: its Lease's renewTime
    /// or the Ready condition's lastHeartbeatTime from a kubelet status patch.
    func heartbeat(_ n: Int) -> SimTime { max(leaseRenewTime(n), nodes[n].statusHeartbeat) }

    /// The rest of tryUpdateNodeHealth (the grace check) and processTaintBasedEviction.
    func monitor(_ n: Int, at t: SimTime, probe: SimTime, grace: SimTime) {
        if nodes[n].ready != .unknown, t > probe + grace {
            setNodeReady(n, .unknown)
            markPodsNotReady(n)
            faultsObserveNodeNotReady(n)
            // A kubelet that is alive but cannot write sees the difference at its next
            // status sync that gets through.
            requestNodeStatusSync(n)
        }
        processTaintBasedEviction(n)
    }

    /// `MarkPodsNotReady`: Ready=False on every pod of the node; not rate-limited.
    func markPodsNotReady(_ n: Int) {
        for id in nodes[n].pods.sorted() { setPodReady(id, false) }
    }

    func processTaintBasedEviction(_ n: Int) {
        switch nodes[n].ready {
        case .isFalse, .unknown:
            let key = nodes[n].ready == .isFalse ? Taint.notReadyKey : Taint.unreachableKey
            let other = nodes[n].ready == .isFalse ? Taint.unreachableKey : Taint.notReadyKey
            if nodes[n].taints.contains(where: { $0.key == other && $0.effect == .NoExecute }) {
                // Swapped at once, not rate-limited (SwapNodeControllerTaint).
                removeTaint(n, key: other, effect: .NoExecute)
                addTaint(n, Taint(key: key, effect: .NoExecute))
            } else if !nodes[n].taints.contains(where: { $0.key == key && $0.effect == .NoExecute }),
                      !nlc.queued.contains(n) {
                nlc.zoneQueues[nodes[n].zone].append(n)
                nlc.queued.insert(n)
            }
        case .isTrue:
            markNodeAsReachable(n)
        }
    }

    /// Removes the not-ready/unreachable NoExecute taints and drops the node from its queue.
    func markNodeAsReachable(_ n: Int) {
        let z = nodes[n].zone
        if nlc.queued.remove(n) != nil { nlc.zoneQueues[z].removeAll { $0 == n } }
        // The explicit pass visits every Ready node: skip the taint removals when there is
        // nothing to remove (reading the taints alone: a computed property of SimNode copied the node).
        guard nodes[n].taints.contains(where: { $0.effect == .NoExecute }) else { return }
        removeTaint(n, key: Taint.unreachableKey, effect: .NoExecute)
        removeTaint(n, key: Taint.notReadyKey, effect: .NoExecute)
    }

    /// `ComputeZoneState`: FullDisruption when no node is ready; PartialDisruption when
    /// more than 2 are not ready and they are ≥ unhealthy-zone-threshold of the zone.
    func computeZoneState(_ z: Int) -> (state: ZoneState, notReady: Int, size: Int) {
        computeZoneStates()[z]
    }

    /// `ComputeZoneState` for every zone in one pass over the nodes.
    func computeZoneStates() -> [(state: ZoneState, notReady: Int, size: Int)] {
        var ready = Array(repeating: 0, count: zoneNames.count), notReady = ready
        for n in nodes.indices where !nodes[n].deleted && !nodes[n].excludedFromDisruption {
            if nodes[n].ready == .isTrue { ready[nodes[n].zone] += 1 } else { notReady[nodes[n].zone] += 1 }
        }
        return zoneNames.indices.map { zoneState(ready: ready[$0], notReady: notReady[$0]) }
    }

    func zoneState(ready: Int, notReady: Int) -> (state: ZoneState, notReady: Int, size: Int) {
        if ready == 0 && notReady > 0 { return (.fullDisruption, notReady, notReady) }
        if notReady > 2 && Double(notReady) / Double(notReady + ready) >= params.unhealthyZoneThreshold {
            return (.partialDisruption, notReady, ready + notReady)
        }
        return (.normal, notReady, ready + notReady)
    }

    func handleDisruption(_ computed: [(state: ZoneState, notReady: Int, size: Int)]) {
        let newStates = computed.map(\.state)
        let allWasFull = nlc.zoneStates.allSatisfy { $0 == .fullDisruption }
        let allAreFull = newStates.allSatisfy { $0 == .fullDisruption }
        if allAreFull && !allWasFull {
            // "Entering master disruption mode": every node looks down, so the controller
            // assumes its own view is broken, untaints everything and stops tainting.
            for n in nodes.indices { markNodeAsReachable(n) }
            for z in zoneNames.indices {
                swapLimiter(z, qps: 0)
                nlc.zoneStates[z] = .fullDisruption
            }
            faultsObserveZoneState(zone: nil, state: .fullDisruption, notReady: nodes.count, size: nodes.count)
            return
        }
        if allWasFull && !allAreFull && !nlc.zoneStates.isEmpty {
            // Leaving master disruption mode: every node gets a fresh probe timestamp.
            resetProbeTimestamps(renewals: false)
            for z in zoneNames.indices {
                setLimiterInZone(z, size: computed[z].size, state: newStates[z])
                nlc.zoneStates[z] = newStates[z]
            }
            return
        }
        for z in zoneNames.indices where nlc.zoneStates[z] != newStates[z] {
            setLimiterInZone(z, size: computed[z].size, state: newStates[z])
            let old = nlc.zoneStates[z]
            nlc.zoneStates[z] = newStates[z]
            if old != .initial {
                faultsObserveZoneState(zone: z, state: newStates[z], notReady: computed[z].notReady, size: computed[z].size)
            }
        }
    }

    /// Normal and FullDisruption: `--node-eviction-rate`. PartialDisruption: the secondary
    /// rate in zones larger than `--large-cluster-size-threshold`, else 0 (tainting stops).
    func setLimiterInZone(_ z: Int, size: Int, state: ZoneState) {
        switch state {
        case .normal, .fullDisruption, .initial: swapLimiter(z, qps: params.nodeEvictionRate)
        case .partialDisruption:
            swapLimiter(z, qps: size > params.largeClusterSizeThreshold ? params.secondaryNodeEvictionRate : 0)
        }
    }

    /// `SwapLimiter` (pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go): a new
    /// bucket unless the rate is unchanged; when the old one had no token left, the new one
    /// starts drained too, so a zone changing state does not get a free eviction.
    func swapLimiter(_ z: Int, qps: Double) {
        guard nlc.zoneLimiters[z].qps != qps else { return }
        let oldHadToken = nlc.zoneLimiters[z].tryAccept(now: now)
        var limiter = TokenBucket(qps: qps, last: now)
        if !oldHadToken { _ = limiter.tryAccept(now: now) }
        nlc.zoneLimiters[z] = limiter
    }

    func scheduleTaintPass(zone z: Int) {
        guard !nlc.taintPassPending[z], !nlc.zoneQueues[z].isEmpty,
              let ready = nlc.zoneLimiters[z].nextToken(now: now) else { return }
        // The tainting loop runs every NodeEvictionPeriod; the first pass at or after the token.
        let t = TickGrid(start: nlc.taintGridStart, period: params.nodeEvictionPeriod)
            .next(atOrAfter: max(ready, now + SimTime(microseconds: 1)))
        nlc.taintPassPending[z] = true
        engine.schedule(.taintPass(zone: z), at: t)
    }

    /// `doNoExecuteTaintingPass` for one zone: each queued node costs a token.
    func noExecuteTaintingPass(zone z: Int) {
        nlc.taintPassPending[z] = false
        while let n = nlc.zoneQueues[z].first {
            guard nlc.zoneLimiters[z].tryAccept(now: now) else { break }
            nlc.zoneQueues[z].removeFirst()
            nlc.queued.remove(n)
            switch nodes[n].ready {
            case .isFalse: addTaint(n, Taint(key: Taint.notReadyKey, effect: .NoExecute)); faultsObserveNodeTainted(n)
            case .unknown: addTaint(n, Taint(key: Taint.unreachableKey, effect: .NoExecute)); faultsObserveNodeTainted(n)
            case .isTrue: break
            }
        }
        scheduleTaintPass(zone: z)
    }

    /// The cloud controller manager's node lifecycle loop (k8s.io/cloud-provider, run by the
    /// hcloud CCM every node-monitor-period): a NotReady node whose server no longer exists
    /// is deleted; PodGC then removes its pods.
    func cloudNodeLifecycle<Nodes: Sequence<Int>>(_ candidates: Nodes) {
        for n in candidates where nodes[n].serverDeleted && !nodes[n].deleted && nodes[n].ready != .isTrue {
            deleteNodeObject(n)
            for i in activeFaults(onNode: n) where !faults.records[i].has(.nodeDeleted) {
                faults.records[i].mark(.nodeDeleted, now, "the cloud controller manager deleted Node \(nodes[n].name): its server is gone; PodGC force-deletes its pods after \(spec.storage.orphanPodQuarantine)")
            }
        }
    }
}
