import KubeModel
import SimKernel

/// Who started a drain and is told when it ends.
enum DrainOwner: Equatable {
    case fault(FaultID)
    case upgrade(Int)
    case nodePoolUpgrade(Int)
}

struct DrainState {
    let node: Int
    let owner: DrainOwner
    /// Pods still to go.
    var pending: Set<PodID>
    var retries = 0
    var done = false
    var deadline: SimTime?
}

struct DrainRefusal: Error, Equatable { let message: String }

/// What a drain uses of the cluster: the nodes and pods it reads, the clock, its event
/// queue, the API calls kubectl makes (cordon, the eviction subresource) and whoever
/// started the drain, told when it ends.
protocol NodeDrainerContext: AnyObject {
    var now: SimTime { get }
    var nodes: [SimNode] { get }
    var pods: [PodID: SimPod] { get }
    /// One API round trip: kubectl's first eviction or poll follows the cordon by this much.
    var apiRequestLatency: SimTime { get }
    func schedule(_ event: DrainEvent, after delay: SimTime)
    func cordon(_ n: Int)
    func evict(_ id: PodID) -> EvictionResult
    func drainEnded(_ drain: DrainState, failure: String?)
}

/// `kubectl drain` as a client (k8s.io/kubectl/pkg/drain: `Helper.GetPodsForDeletion`,
/// `evictPods`): cordon; evict every pod in parallel through the eviction API, skipping DaemonSet
/// pods; a 429 from a PodDisruptionBudget is retried every 5 s; after an eviction, poll every
/// second until the pod is gone; optional timeout.
///
/// Pods without a controller stop the drain unless `force`. Each drain is kept (by index) so its
/// owner can read its retries and stop it.
final class NodeDrainer {
    static let retryInterval = SimTime.seconds(5)
    static let pollInterval = SimTime.seconds(1)

    private(set) var drains: [DrainState] = []

    func handle(_ event: DrainEvent, in ctx: NodeDrainerContext) {
        switch event {
        case .evict(let d, let p): evict(d, pod: p, in: ctx)
        case .poll(let d, let p): poll(d, pod: p, in: ctx)
        case .timeout(let d): timedOut(d, in: ctx)
        }
    }

    /// Starts draining node `n`; returns the drain's index, or the reason kubectl refuses.
    ///
    /// `skipUnmanaged` leaves pods without a controller where they are, as Talos's drain does.
    func start(
        _ n: Int, owner: DrainOwner, force: Bool, timeout: SimTime?, skipUnmanaged: Bool = false,
        in ctx: NodeDrainerContext
    ) -> Result<Int, DrainRefusal> {
        ctx.cordon(n)
        var toEvict: [PodID] = [], terminating: [PodID] = []
        for id in ctx.nodes[n].pods.sorted() {
            guard let p = ctx.pods[id] else { continue }
            if case .daemonSet = p.owner { continue }  // --ignore-daemonsets
            if p.isTerminating {
                // Already going: not evicted again, but waited for (skip-wait-for-delete-timeout 0).
                terminating.append(id)
                continue
            }
            if case .none = p.owner, skipUnmanaged { continue }
            if case .none = p.owner, !force {
                return .failure(
                    DrainRefusal(message: "cannot delete Pods that declare no controller (use --force to override): \(p.key)"))
            }
            toEvict.append(id)
        }
        let d = drains.count
        drains.append(
            DrainState(node: n, owner: owner, pending: Set(toEvict + terminating), deadline: timeout.map { ctx.now + $0 }))
        for id in toEvict { ctx.schedule(.evict(drain: d, pod: id), after: ctx.apiRequestLatency) }
        for id in terminating { ctx.schedule(.poll(drain: d, pod: id), after: ctx.apiRequestLatency) }
        if let t = timeout { ctx.schedule(.timeout(drain: d), after: t) }
        if toEvict.isEmpty && terminating.isEmpty { finish(d, in: ctx) }
        return .success(d)
    }

    /// The drain's owner gives up on it (an upgrade Job's deadline, a provider's drain limit): its
    /// queued evictions and polls do nothing more and its owner is not told.
    ///
    /// Returns the pods still left, or nil when the drain had already ended.
    func abandon(_ d: Int) -> Set<PodID>? {
        guard !drains[d].done else { return nil }
        drains[d].done = true
        return drains[d].pending
    }

    private func evict(_ d: Int, pod id: PodID, in ctx: NodeDrainerContext) {
        guard !drains[d].done, drains[d].pending.contains(id) else { return }
        switch ctx.evict(id) {
        case .evicted:
            ctx.schedule(.poll(drain: d, pod: id), after: NodeDrainer.pollInterval)
        case .tooManyRequests:
            drains[d].retries += 1
            ctx.schedule(.evict(drain: d, pod: id), after: NodeDrainer.retryInterval)
        case .failed(let message):
            drains[d].done = true
            ctx.drainEnded(drains[d], failure: message)
        }
    }

    private func poll(_ d: Int, pod id: PodID, in ctx: NodeDrainerContext) {
        guard !drains[d].done else { return }
        if ctx.pods[id] == nil {
            drains[d].pending.remove(id)
            if drains[d].pending.isEmpty { finish(d, in: ctx) }
        } else {
            ctx.schedule(.poll(drain: d, pod: id), after: NodeDrainer.pollInterval)
        }
    }

    private func timedOut(_ d: Int, in ctx: NodeDrainerContext) {
        guard !drains[d].done else { return }
        drains[d].done = true
        ctx.drainEnded(drains[d], failure: "drain timed out with \(drains[d].pending.count) pod(s) left")
    }

    private func finish(_ d: Int, in ctx: NodeDrainerContext) {
        guard !drains[d].done else { return }
        drains[d].done = true
        ctx.drainEnded(drains[d], failure: nil)
    }
}

/// The simulation's side of a drain: faults and upgrades start drains through `startDrain`
/// and hear of their end.
extension ClusterSimulation: NodeDrainerContext {
    /// The drains as the drainer holds them (read-only here).
    var drains: [DrainState] { nodeDrainer.drains }

    var apiRequestLatency: SimTime { params.apiLatency }

    func schedule(_ event: DrainEvent, after delay: SimTime) { engine.schedule(.drain(event), after: delay) }

    @discardableResult
    func startDrain(
        _ n: Int, owner: DrainOwner, force: Bool, timeout: SimTime?, skipUnmanaged: Bool = false
    ) -> Result<Int, DrainRefusal> {
        nodeDrainer.start(n, owner: owner, force: force, timeout: timeout, skipUnmanaged: skipUnmanaged, in: self)
    }

    func drainEnded(_ drain: DrainState, failure: String?) {
        switch drain.owner {
        case .fault(let i): faultTimelines.drainEnded(i, drain: drain, failure: failure, at: now)
        case .upgrade(let u): upgradeController.nodeDrained(u, node: drain.node, failure: failure, in: self)
        case .nodePoolUpgrade(let u): nodePoolUpgradeController.nodeDrained(u, drain.node, failure: failure, in: self)
        }
    }
}
