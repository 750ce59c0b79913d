import KubeModel
import SimKernel

/// The taint eviction controller's events.
enum TaintEvictionEvent: Equatable {
    /// A pod's toleration of its node's NoExecute taints ran out.
    case evict(pod: PodID)
}

/// What the taint eviction controller uses of the cluster: the store to read, the clock and
/// the event queue, and the API to delete a pod.
protocol TaintEvictionContext: AnyObject {
    var now: SimTime { get }
    var pods: [PodID: SimPod] { get }
    var nodes: [SimNode] { get }
    func schedule(_ event: TaintEvictionEvent, at time: SimTime) -> EventID
    func cancel(_ timer: EventID)
    /// DELETE of the pod with its grace period ("DeletionByTaintManager").
    func evictPod(_ id: PodID, node: Int)
}

/// The taint eviction controller (kubernetes pkg/controller/tainteviction `taint_eviction.go`): a
/// pod on a node with NoExecute taints is deleted at once if it does not tolerate one of them,
/// after the smallest matching `tolerationSeconds` if it tolerates them all for a while, and never
/// if it tolerates them forever.
///
/// Removing the taints cancels the pending deletion. It owns its queue of timed evictions; the
/// store's watchers tell it when a node's NoExecute taints change, a pod is bound or deleted.
final class TaintEvictionController {
    /// pod → (when its countdown started, the timer).
    private(set) var scheduled: [PodID: (createdAt: SimTime, timer: EventID)] = [:]

    func handle(_ event: TaintEvictionEvent, in ctx: TaintEvictionContext) {
        switch event {
        case .evict(let id):
            scheduled[id] = nil
            guard let pod = ctx.pods[id], !pod.isTerminating, let n = pod.node else { return }
            ctx.evictPod(id, node: n)
        }
    }

    /// `handleNodeUpdate`: every pod on the node is looked at again.
    func noExecuteTaintsChanged(node n: Int, in ctx: TaintEvictionContext) {
        for id in ctx.nodes[n].pods.sorted() { processPod(id, node: n, in: ctx) }
    }

    /// `handlePodUpdate` for a pod bound to a node that may already carry NoExecute taints.
    func podBound(_ id: PodID, node n: Int, in ctx: TaintEvictionContext) {
        guard ctx.nodes[n].hasNoExecuteTaints else { return }
        processPod(id, node: n, in: ctx)
    }

    /// A deleted pod needs no eviction.
    func podDeleted(_ id: PodID, in ctx: TaintEvictionContext) {
        if let existing = scheduled.removeValue(forKey: id) { ctx.cancel(existing.timer) }
    }

    /// A new kube-controller-manager leader starts the controller from scratch: the
    /// countdowns start again from now.
    func restart(in ctx: TaintEvictionContext) {
        for (_, entry) in scheduled.sorted(by: { $0.key < $1.key }) { ctx.cancel(entry.timer) }
        scheduled = [:]
        for n in ctx.nodes.indices where ctx.nodes[n].hasNoExecuteTaints { noExecuteTaintsChanged(node: n, in: ctx) }
    }

    private func processPod(_ id: PodID, node n: Int, in ctx: TaintEvictionContext) {
        guard let pod = ctx.pods[id], !pod.isTerminating else { return }
        let taints = ctx.nodes[n].taints.filter { $0.effect == .NoExecute }
        if taints.isEmpty { podDeleted(id, in: ctx); return }
        // GetMatchingTolerations: every taint must be tolerated, else delete now.
        var used: [Toleration] = []
        for taint in taints {
            guard let tol = pod.tolerations.first(where: { $0.tolerates(taint) }) else {
                podDeleted(id, in: ctx)
                handle(.evict(pod: id), in: ctx)
                return
            }
            used.append(tol)
        }
        guard let minToleration = Self.minTolerationTime(used) else { podDeleted(id, in: ctx); return }
        var start = ctx.now
        if let existing = scheduled[id] {
            start = existing.createdAt
            if start + minToleration < ctx.now + minToleration { return }
            ctx.cancel(existing.timer)
        }
        scheduled[id] = (start, ctx.schedule(.evict(pod: id), at: start + minToleration))
    }

    /// `getMinTolerationTime`: the smallest tolerationSeconds (≤ 0 means now); nil when
    /// none is set (tolerated forever).
    static func minTolerationTime(_ tolerations: [Toleration]) -> SimTime? {
        var minSeconds: Int64? = nil
        for t in tolerations {
            guard let s = t.tolerationSeconds else { continue }
            if s <= 0 { return .zero }
            minSeconds = min(minSeconds ?? s, s)
        }
        return minSeconds.map { SimTime.seconds($0) }
    }
}

extension ClusterSimulation: TaintEvictionContext {
    func schedule(_ event: TaintEvictionEvent, at time: SimTime) -> EventID {
        engine.schedule(.taintEviction(event), at: time)
    }

    func cancel(_ timer: EventID) { engine.cancel(timer) }

    func evictPod(_ id: PodID, node n: Int) {
        // taint_eviction.go `addConditionAndDeletePod`.
        deletePod(id, reason: "DeletionByTaintManager", disruptionTarget: "DeletionByTaintManager")
        faultTimelines.podEvicted(id, node: n, in: self)
    }
}
