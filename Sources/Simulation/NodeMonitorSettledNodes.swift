import KubeModel
import SimKernel

/// Nodes the node monitor pass can change nothing about (what can be computed is not
/// simulated: a pass over 5,000 healthy nodes every 5 s would dominate a large run). A node is settled when its lease renewals are derived, it is Ready,
/// not deleted, has no not-ready/unreachable NoExecute taint and is in no zone's eviction
/// queue, and its probe timestamp is not before the renewal it records. Then every pass only
/// moves its bookkeeping (`lastSeenRenew`, `probeTimestamp`): the pass visits it no more and
/// derives that bookkeeping from the pass times and the lease phase when the node changes.
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

extension ClusterSimulation {
    /// The pass visiting only the nodes that are not settled; the same effects, in the same
    /// node order, as the explicit pass.
    func monitorUnsettledNodes(grace: SimTime) {
        let t = now
        // Nodes that joined since the last pass are visited.
        for n in nlc.settled.appliedPasses.count..<nodes.count {
            nlc.settled.appliedPasses.append(-1)
            nlc.settled.visits.append(n)
        }
        // Nodes settle only during a pass, so every node listed is still visited.
        nlc.settled.passOrder = nlc.settled.visits.count == nlc.settled.orderedVisits
            ? nlc.settled.visits : Array(Set(nlc.settled.visits)).sorted()
        nlc.settled.visits = []
        nlc.settled.passPosition = 0
        nlc.settled.passing = true
        while nlc.settled.passPosition < nlc.settled.passOrder.count {
            let n = nlc.settled.passOrder[nlc.settled.passPosition]
            if !nodes[n].deleted {
                let renewed = heartbeat(n)
                if renewed != nlc.lastSeenRenew[n] {
                    nlc.lastSeenRenew[n] = renewed
                    nlc.probeTimestamp[n] = t
                }
                monitor(n, at: t, probe: nlc.probeTimestamp[n], grace: grace)
                settleIfQuiet(n)
            }
            nlc.settled.passPosition += 1
        }
        nlc.settled.passing = false
        // Nodes unsettled during the pass are listed twice when it had reached them.
        let stillVisited = nlc.settled.passOrder.filter { !nlc.settled.isSettled($0) }
        nlc.settled.visits = nlc.settled.visits.isEmpty ? stillVisited
            : Array(Set(stillVisited + nlc.settled.visits)).filter { !nlc.settled.isSettled($0) }.sorted()
        nlc.settled.orderedVisits = nlc.settled.visits.count
        nlc.settled.passOrder = []
    }

    /// After the node's visit: settles it when the pass can change nothing more about it.
    func settleIfQuiet(_ n: Int) {
        guard !nlc.settled.explicit, params.leaseRenewInterval <= params.nodeMonitorGracePeriod,
              leases.anchor(n) != nil, leaseRenewTime(n) >= nodes[n].statusHeartbeat, !nodes[n].deleted, nodes[n].ready == .isTrue,
              nlc.probeTimestamp[n] >= nlc.lastSeenRenew[n],
              !nodes[n].taints.contains(where: { $0.effect == .NoExecute && ($0.key == Taint.unreachableKey || $0.key == Taint.notReadyKey) }),
              !nlc.queued.contains(n) else { return }
        nlc.settled.appliedPasses[n] = nlc.settled.passTimes.count
        let z = nodes[n].zone
        if !nodes[n].excludedFromDisruption {
            if z >= nlc.settled.readyInZone.count {
                nlc.settled.readyInZone += Array(repeating: 0, count: z + 1 - nlc.settled.readyInZone.count)
            }
            nlc.settled.readyInZone[z] += 1
        }
    }

    /// Something the pass depends on is about to change for node n (its lease phase, Ready
    /// condition, NoExecute taints, deletion): its bookkeeping is brought up to date and the
    /// pass visits it again, this pass too when it has not reached the node yet.
    func unsettleNode(_ n: Int) {
        guard nlc.settled.isSettled(n) else { return }
        materializeHeartbeat(n)
        nlc.settled.appliedPasses[n] = -1
        if !nodes[n].excludedFromDisruption { nlc.settled.readyInZone[nodes[n].zone] -= 1 }
        nlc.settled.visits.append(n)
        if nlc.settled.passing, n > nlc.settled.passOrder[nlc.settled.passPosition] {
            let rest = nlc.settled.passPosition + 1
            let at = nlc.settled.passOrder[rest...].firstIndex { $0 >= n } ?? nlc.settled.passOrder.count
            if at == nlc.settled.passOrder.count || nlc.settled.passOrder[at] != n {
                nlc.settled.passOrder.insert(n, at: at)
            }
        }
    }

    /// Writes a settled node's derived bookkeeping into the controller's state.
    func materializeHeartbeat(_ n: Int) {
        guard nlc.settled.isSettled(n) else { return }
        let (lastSeen, probe) = heartbeatBookkeeping(n)
        nlc.lastSeenRenew[n] = lastSeen
        nlc.probeTimestamp[n] = probe
        nlc.settled.appliedPasses[n] = nlc.settled.passTimes.count
    }

    /// The node's (lastSeenRenew, probeTimestamp) as the explicit pass would hold them now.
    /// For a settled node: the renewal seen at the last pass, first seen at the first pass at
    /// or after it (the renewals it sees only grow, so those passes are the last ones).
    func heartbeatBookkeeping(_ n: Int) -> (lastSeen: SimTime, probe: SimTime) {
        let stored = (lastSeen: nlc.lastSeenRenew[n], probe: nlc.probeTimestamp[n])
        guard nlc.settled.isSettled(n), let anchor = leases.anchor(n) else { return stored }
        let passes = nlc.settled.passTimes, applied = nlc.settled.appliedPasses[n]
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
    func computeZoneStatesOfVisitedNodes() -> [(state: ZoneState, notReady: Int, size: Int)] {
        var ready = Array(repeating: 0, count: zoneNames.count), notReady = ready
        for (z, count) in nlc.settled.readyInZone.enumerated() { ready[z] += count }
        for n in nlc.settled.visits where !nodes[n].deleted && !nodes[n].excludedFromDisruption {
            if nodes[n].ready == .isTrue { ready[nodes[n].zone] += 1 } else { notReady[nodes[n].zone] += 1 }
        }
        return zoneNames.indices.map { zoneState(ready: ready[$0], notReady: notReady[$0]) }
    }

    /// A new kube-controller-manager leader (or leaving master disruption mode): every node
    /// gets probe timestamp now; settled ones count their passes from here.
    func resetProbeTimestamps(renewals: Bool) {
        for n in nodes.indices {
            materializeHeartbeat(n)
            nlc.probeTimestamp[n] = now
            if renewals { nlc.lastSeenRenew[n] = heartbeat(n) }
        }
    }
}
