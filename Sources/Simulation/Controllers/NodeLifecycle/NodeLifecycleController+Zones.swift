import KubeModel
import SimKernel

/// NLC zone state (pkg/controller/nodelifecycle `ZoneState`).
enum ZoneState: String {
    case initial = "Initial", normal = "Normal", partialDisruption = "PartialDisruption", fullDisruption = "FullDisruption"
}

/// Zone states and the per-zone NoExecute tainting queues (node_lifecycle_controller.go
/// `handleDisruption`, `ComputeZoneState`, `setLimiterInZone`, `doNoExecuteTaintingPass`).
extension NodeLifecycleController {
    typealias ZoneCount = (state: ZoneState, notReady: Int, size: Int)

    /// `ComputeZoneState` for every zone in one pass over the nodes: FullDisruption when no
    /// node is ready; PartialDisruption when more than 2 are not ready and they are
    /// ≥ unhealthy-zone-threshold of the zone.
    func computeZoneStates(in ctx: NodeLifecycleContext) -> [ZoneCount] {
        var ready = Array(repeating: 0, count: ctx.zoneCount), notReady = ready
        let nodes = ctx.nodes
        for n in nodes.indices where !nodes[n].deleted && !nodes[n].excludedFromDisruption {
            if nodes[n].ready == .isTrue { ready[nodes[n].zone] += 1 } else { notReady[nodes[n].zone] += 1 }
        }
        return (0..<ctx.zoneCount).map { zoneState(ready: ready[$0], notReady: notReady[$0]) }
    }

    func zoneState(ready: Int, notReady: Int) -> ZoneCount {
        if ready == 0 && notReady > 0 { return (.fullDisruption, notReady, notReady) }
        if notReady > 2 && Double(notReady) / Double(notReady + ready) >= params.unhealthyZoneThreshold {
            return (.partialDisruption, notReady, ready + notReady)
        }
        return (.normal, notReady, ready + notReady)
    }

    func handleDisruption(_ computed: [ZoneCount], in ctx: NodeLifecycleContext) {
        let newStates = computed.map(\.state)
        let allWasFull = zoneStates.allSatisfy { $0 == .fullDisruption }
        let allAreFull = newStates.allSatisfy { $0 == .fullDisruption }
        if allAreFull && !allWasFull {
            // "Entering master disruption mode": every node looks down, so the controller
            // assumes its own view is broken, untaints everything and stops tainting.
            for n in ctx.nodes.indices { markNodeAsReachable(n, in: ctx) }
            for z in 0..<ctx.zoneCount {
                swapLimiter(z, qps: 0, now: ctx.now)
                zoneStates[z] = .fullDisruption
            }
            let count = ctx.nodes.count
            ctx.nodeLifecycleZoneChanged(nil, state: .fullDisruption, notReady: count, size: count, taintingStopped: true)
            return
        }
        if allWasFull && !allAreFull && !zoneStates.isEmpty {
            // Leaving master disruption mode: every node gets a fresh probe timestamp.
            resetProbeTimestamps(renewals: false, in: ctx)
            for z in 0..<ctx.zoneCount {
                setLimiterInZone(z, size: computed[z].size, state: newStates[z], now: ctx.now)
                zoneStates[z] = newStates[z]
            }
            return
        }
        for z in 0..<ctx.zoneCount where zoneStates[z] != newStates[z] {
            setLimiterInZone(z, size: computed[z].size, state: newStates[z], now: ctx.now)
            let old = zoneStates[z]
            zoneStates[z] = newStates[z]
            if old != .initial {
                ctx.nodeLifecycleZoneChanged(
                    z, state: newStates[z], notReady: computed[z].notReady,
                    size: computed[z].size, taintingStopped: zoneLimiters[z].qps == 0)
            }
        }
    }

    /// Normal and FullDisruption: `--node-eviction-rate`.
    ///
    /// PartialDisruption: the secondary rate in zones larger than `--large-cluster-size-threshold`,
    /// else 0 (tainting stops).
    func setLimiterInZone(_ z: Int, size: Int, state: ZoneState, now: SimTime) {
        switch state {
        case .normal, .fullDisruption, .initial: swapLimiter(z, qps: params.nodeEvictionRate, now: now)
        case .partialDisruption:
            swapLimiter(z, qps: size > params.largeClusterSizeThreshold ? params.secondaryNodeEvictionRate : 0, now: now)
        }
    }

    /// `SwapLimiter` (pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go): a new
    /// bucket unless the rate is unchanged; when the old one had no token left, the new one
    /// starts drained too, so a zone changing state does not get a free eviction.
    func swapLimiter(_ z: Int, qps: Double, now: SimTime) {
        guard zoneLimiters[z].qps != qps else { return }
        let oldHadToken = zoneLimiters[z].tryAccept(now: now)
        var limiter = TokenBucket(qps: qps, last: now)
        if !oldHadToken { _ = limiter.tryAccept(now: now) }
        zoneLimiters[z] = limiter
    }

    func scheduleTaintPass(zone z: Int, in ctx: NodeLifecycleContext) {
        guard !taintPassPending[z], !zoneQueues[z].isEmpty,
            let ready = zoneLimiters[z].nextToken(now: ctx.now)
        else { return }
        // The tainting loop runs every NodeEvictionPeriod; the first pass at or after the token.
        let t = TickGrid(start: taintGridStart, period: params.nodeEvictionPeriod)
            .next(atOrAfter: max(ready, ctx.now + SimTime(microseconds: 1)))
        taintPassPending[z] = true
        ctx.schedule(.taintPass(zone: z), at: t)
    }

    /// `doNoExecuteTaintingPass` for one zone: each queued node costs a token.
    func noExecuteTaintingPass(zone z: Int, in ctx: NodeLifecycleContext) {
        taintPassPending[z] = false
        while let n = zoneQueues[z].first {
            guard zoneLimiters[z].tryAccept(now: ctx.now) else { break }
            zoneQueues[z].removeFirst()
            queued.remove(n)
            switch ctx.nodes[n].ready {
            case .isFalse: ctx.addTaint(n, Taint(key: Taint.notReadyKey, effect: .NoExecute)); ctx.nodeLifecycleTainted(n)
            case .unknown: ctx.addTaint(n, Taint(key: Taint.unreachableKey, effect: .NoExecute)); ctx.nodeLifecycleTainted(n)
            case .isTrue: break
            }
        }
        scheduleTaintPass(zone: z, in: ctx)
    }
}
