import KubeModel
import SimKernel

/// Lease renewals of healthy kubelets cost no events ("don't simulate what can be computed"): after
/// a successful renewal the next ones are derived from its phase (`leaseRenewTime(_:)`) until the
/// kubelet stops, restarts or can no longer write.
///
/// `explicit` keeps one event per renewal; both give the same run (SimulationTests
/// LeaseDerivationTests).
struct LeaseState {
    var explicit = false
    /// Per node, while its renewals are derived: its last explicit renewal.
    ///
    /// An array, not a dictionary: the node lifecycle controller reads it for every node every
    /// pass.
    private(set) var anchors: [SimTime?] = []
    /// Nodes whose renewals are derived.
    private(set) var derivedCount = 0
    var signature: WritabilitySignature?

    func anchor(_ n: Int) -> SimTime? { n < anchors.count ? anchors[n] : nil }

    mutating func setAnchor(_ n: Int, _ t: SimTime?) {
        if n >= anchors.count { anchors += Array(repeating: nil, count: n + 1 - anchors.count) }
        derivedCount += (t == nil ? 0 : 1) - (anchors[n] == nil ? 0 : 1)
        anchors[n] = t
    }
}

/// What `canWrite(from:)` depends on besides the node's own zone.
struct WritabilitySignature: Equatable {
    let apiWritable: Bool
    let side: [Int: Int]
    let leader: Int?
}

/// The kubelet's node Lease: renewals (explicit, or derived from their phase), the renewTime
/// as the API holds it, and the derived renewals that end when the kubelet can no longer write.
extension Kubelet {
    func renewLease<C: KubeletContext>(node n: Int, epoch: Int, in ctx: C) {
        guard ctx.nodes[n].up, machineEpoch(n) == epoch else { return }
        guard ctx.canWrite(from: n) else {
            // The Lease update fails; the kubelet retries with backoff 200 ms doubling to 7 s (an
            // assumption, not yet checked against k8s.io/component-helpers/apimachinery/lease).
            let backoff = nodes[n].leaseBackoff
            setLeaseBackoff(n, backoff == .zero ? .milliseconds(200) : min(backoff * 2, .seconds(7)))
            setLeaseTimer(n, ctx.schedule(.leaseRetry(node: n, epoch: epoch), after: nodes[n].leaseBackoff))
            return
        }
        if nodes[n].leaseBackoff != .zero { reconnected(n, in: ctx) }
        setLeaseBackoff(n, .zero)
        let t = ctx.now
        ctx.store.update(node: n) { $0.leaseRenewTime = t }
        if leases.explicit {
            setLeaseTimer(n, ctx.schedule(.leaseRenew(node: n, epoch: epoch), after: ctx.params.leaseRenewInterval))
        } else {
            // From here on the renewals are derived: now + k · interval while nothing changes.
            // The Lease phase is the kubelet's, outside the store: the monitor pass must see it.
            setLeaseTimer(n, nil)
            ctx.leasePhaseChanged(n)
            setLeaseAnchor(n, ctx.now)
        }
    }

    /// The kubelet's last explicit renewal while its renewals follow a fixed phase (nil: not).
    func leaseAnchor(_ n: Int) -> SimTime? { leases.anchor(n) }

    /// The Lease's renewTime as the API holds it now.
    ///
    /// A healthy kubelet renews every `leaseRenewInterval` from its last explicit renewal (the
    /// anchor): the last renewal at or before now follows from that phase, without an event per
    /// renewal.
    func leaseRenewTime<C: KubeletContext>(_ n: Int, in ctx: C) -> SimTime {
        guard let anchor = leases.anchor(n) else { return ctx.nodes[n].leaseRenewTime }
        return TickGrid(start: anchor, period: ctx.params.leaseRenewInterval).last(atOrBefore: ctx.now)
    }

    /// Ends a derived chain (the kubelet stops or restarts): the renewals up to now happened.
    func stopDerivedLease<C: KubeletContext>(_ n: Int, in ctx: C) {
        guard leases.anchor(n) != nil else { return }
        // The node lifecycle controller's derived view of this node ends with the phase.
        ctx.leasePhaseChanged(n)
        let renewed = leaseRenewTime(n, in: ctx)
        ctx.store.update(node: n) { $0.leaseRenewTime = renewed }
        setLeaseAnchor(n, nil)
    }

    /// After every event: if what decides whether a kubelet can write (API server
    /// writability, partitions, the etcd leader) changed, the kubelets that can no longer
    /// write go back to explicit renewals, so that the next one fails and retries with
    /// backoff exactly as in the explicit model. (A renewal due at the very microsecond of
    /// such a change counts as done before it.)
    func checkLeaseWritability<C: KubeletContext>(in ctx: C) {
        guard leases.derivedCount > 0 else { return }
        let signature = ctx.writabilitySignature()
        guard signature != leases.signature else { return }
        setWritabilitySignature(signature)
        for n in leases.anchors.indices where leases.anchors[n] != nil && !ctx.canWrite(from: n) {
            stopDerivedLease(n, in: ctx)
            setLeaseTimer(
                n,
                ctx.schedule(
                    .leaseRenew(node: n, epoch: machineEpoch(n)),
                    at: ctx.nodes[n].leaseRenewTime + ctx.params.leaseRenewInterval))
        }
    }
}
