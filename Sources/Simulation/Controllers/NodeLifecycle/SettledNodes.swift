import KubeModel
import SimKernel

/// Nodes the node monitor pass can change nothing about (what can be computed is not simulated: a
/// pass over 5,000 healthy nodes every 5 s would dominate a large run).
///
/// A node is settled when its lease renewals are derived, it is Ready, not deleted, has no
/// not-ready/unreachable NoExecute taint and is in no zone's eviction queue, and its probe
/// timestamp is not before the renewal it records. Then every pass only moves its bookkeeping
/// (`lastSeenRenew`, `probeTimestamp`): the pass visits it no more and derives that bookkeeping
/// from the pass times and the lease phase when the node changes.
///
/// A node is unsettled when something the pass depends on changes: the store's node watcher
/// does it for the Node's Ready condition, NoExecute taints, deletion and Lease renewTime;
/// the kubelet does it when the phase of its derived renewals starts or ends (`renewLease`,
/// `stopDerivedLease`), which lives outside the store.
///
/// Why the grace check cannot fire for a settled node: at a pass at t either its renewal
/// changed (probe = t), or it did not, and then probe ≥ lastSeen = the last renewal at or
/// before t > t − leaseRenewInterval. So t − probe < leaseRenewInterval ≤ the grace period.
///
/// `explicit` keeps the pass visiting every node; both give the same run, bookkeeping
/// included (SimulationTests NodeMonitorDerivationTests).
struct SettledNodes {
    var explicit = false
    /// When each monitor pass ran (both models keep them: the derivation needs the first
    /// pass at or after a renewal, and the pass schedule slides and stalls with the
    /// controller manager).
    var passTimes: [SimTime] = []
    /// Per node: how many passes its stored bookkeeping includes while it is settled; -1
    /// while the pass visits it.
    var appliedPasses: [Int] = []
    /// Settled nodes counted in their zone's state (all of them Ready), per zone.
    var readyInZone: [Int] = []
    /// Every node the pass visits: in index order up to `orderedVisits`, then the ones that
    /// became visited since the last pass (sorted in at the next).
    var visits: [Int] = []
    var orderedVisits = 0
    /// During a pass: the nodes it visits in index order, and the one it is at.
    var passOrder: [Int] = []
    var passPosition = 0
    var passing = false

    func isSettled(_ n: Int) -> Bool { n < appliedPasses.count && appliedPasses[n] >= 0 }
}

extension NodeLifecycleController {
    /// The pass visiting only the nodes that are not settled; the same effects, in the same
    /// node order, as the explicit pass.
    func monitorUnsettledNodes(grace: SimTime, in ctx: NodeLifecycleContext) {
        let t = ctx.now
        let nodeCount = ctx.nodes.count
        // Nodes that joined since the last pass are visited.
        for n in settled.appliedPasses.count..<nodeCount {
            settled.appliedPasses.append(-1)
            settled.visits.append(n)
        }
        // Nodes settle only during a pass, so every node listed is still visited.
        settled.passOrder =
            settled.visits.count == settled.orderedVisits
            ? settled.visits : Array(Set(settled.visits)).sorted()
        settled.visits = []
        settled.passPosition = 0
        settled.passing = true
        while settled.passPosition < settled.passOrder.count {
            let n = settled.passOrder[settled.passPosition]
            if !ctx.nodes[n].deleted {
                let renewed = heartbeat(n, in: ctx)
                if renewed != lastSeenRenew[n] {
                    lastSeenRenew[n] = renewed
                    probeTimestamp[n] = t
                }
                monitor(n, at: t, probe: probeTimestamp[n], grace: grace, in: ctx)
                settleIfQuiet(n, in: ctx)
            }
            settled.passPosition += 1
        }
        settled.passing = false
        // Nodes unsettled during the pass are listed twice when it had reached them.
        let stillVisited = settled.passOrder.filter { !settled.isSettled($0) }
        settled.visits =
            settled.visits.isEmpty
            ? stillVisited
            : Array(Set(stillVisited + settled.visits)).filter { !settled.isSettled($0) }.sorted()
        settled.orderedVisits = settled.visits.count
        settled.passOrder = []
    }

    /// After the node's visit: settles it when the pass can change nothing more about it.
    func settleIfQuiet(_ n: Int, in ctx: NodeLifecycleContext) {
        let nodes = ctx.nodes
        guard !settled.explicit, params.leaseRenewInterval <= params.nodeMonitorGracePeriod,
            ctx.leaseAnchor(n) != nil, ctx.leaseRenewTime(n) >= nodes[n].statusHeartbeat, !nodes[n].deleted,
            nodes[n].ready == .isTrue,
            probeTimestamp[n] >= lastSeenRenew[n],
            !nodes[n].taints.contains(where: {
                $0.effect == .NoExecute && ($0.key == Taint.unreachableKey || $0.key == Taint.notReadyKey)
            }),
            !queued.contains(n)
        else { return }
        settled.appliedPasses[n] = settled.passTimes.count
        let z = nodes[n].zone
        if !nodes[n].excludedFromDisruption {
            if z >= settled.readyInZone.count {
                settled.readyInZone += Array(repeating: 0, count: z + 1 - settled.readyInZone.count)
            }
            settled.readyInZone[z] += 1
        }
    }

    /// Something the pass depends on is about to change for node n (its lease phase, Ready
    /// condition, NoExecute taints, deletion): its bookkeeping is brought up to date and the
    /// pass visits it again, this pass too when it has not reached the node yet.
    func unsettleNode(_ n: Int, in ctx: NodeLifecycleContext) {
        guard settled.isSettled(n) else { return }
        materializeHeartbeat(n, in: ctx)
        settled.appliedPasses[n] = -1
        if !ctx.nodes[n].excludedFromDisruption { settled.readyInZone[ctx.nodes[n].zone] -= 1 }
        settled.visits.append(n)
        if settled.passing, n > settled.passOrder[settled.passPosition] {
            let rest = settled.passPosition + 1
            let at = settled.passOrder[rest...].firstIndex { $0 >= n } ?? settled.passOrder.count
            if at == settled.passOrder.count || settled.passOrder[at] != n {
                settled.passOrder.insert(n, at: at)
            }
        }
    }

    /// Writes a settled node's derived bookkeeping into the controller's state.
    func materializeHeartbeat(_ n: Int, in ctx: NodeLifecycleContext) {
        guard settled.isSettled(n) else { return }
        let (lastSeen, probe) = heartbeatBookkeeping(n, in: ctx)
        lastSeenRenew[n] = lastSeen
        probeTimestamp[n] = probe
        settled.appliedPasses[n] = settled.passTimes.count
    }

    /// The node's (lastSeenRenew, probeTimestamp) as the explicit pass would hold them now.
    ///
    /// For a settled node: the renewal seen at the last pass, first seen at the first pass at or
    /// after it (the renewals it sees only grow, so those passes are the last ones).
    func heartbeatBookkeeping(_ n: Int, in ctx: NodeLifecycleContext) -> (lastSeen: SimTime, probe: SimTime) {
        let stored = (lastSeen: lastSeenRenew[n], probe: probeTimestamp[n])
        guard settled.isSettled(n), let anchor = ctx.leaseAnchor(n) else { return stored }
        let passes = settled.passTimes, applied = settled.appliedPasses[n]
        guard applied < passes.count else { return stored }
        let interval = params.leaseRenewInterval.microseconds
        let last = passes[passes.count - 1]
        let renewed = anchor + SimTime(microseconds: (last - anchor).microseconds / interval * interval)
        guard renewed != stored.lastSeen else { return stored }
        var first = passes.count - 1
        while first > applied && passes[first - 1] >= renewed { first -= 1 }
        return (renewed, passes[first])
    }

    /// Zone states counted from the settled nodes per zone and the visited ones: the same
    /// counts as `computeZoneStates()`, which walks every node.
    func computeZoneStatesOfVisitedNodes(in ctx: NodeLifecycleContext) -> [ZoneCount] {
        var ready = Array(repeating: 0, count: ctx.zoneCount), notReady = ready
        let nodes = ctx.nodes
        for (z, count) in settled.readyInZone.enumerated() { ready[z] += count }
        for n in settled.visits where !nodes[n].deleted && !nodes[n].excludedFromDisruption {
            if nodes[n].ready == .isTrue { ready[nodes[n].zone] += 1 } else { notReady[nodes[n].zone] += 1 }
        }
        return (0..<ctx.zoneCount).map { zoneState(ready: ready[$0], notReady: notReady[$0]) }
    }

    /// A new kube-controller-manager leader (or leaving master disruption mode): every node
    /// gets probe timestamp now; settled ones count their passes from here.
    func resetProbeTimestamps(renewals: Bool, in ctx: NodeLifecycleContext) {
        for n in ctx.nodes.indices {
            materializeHeartbeat(n, in: ctx)
            probeTimestamp[n] = ctx.now
            if renewals { lastSeenRenew[n] = heartbeat(n, in: ctx) }
        }
    }
}
