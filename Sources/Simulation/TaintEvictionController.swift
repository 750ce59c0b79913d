import KubeModel
import SimKernel

struct TaintEvictionState {
    /// pod → (createdAt, timer) of its scheduled eviction.
    var scheduled: [Int: (createdAt: SimTime, timer: EventID)] = [:]
}

/// The taint eviction controller (pkg/controller/tainteviction): a pod on a node with
/// NoExecute taints is deleted at once if it does not tolerate one of them, after the
/// smallest matching `tolerationSeconds` if it tolerates them all for a while, and never
/// if it tolerates them forever. Removing the taints cancels the pending deletion.
extension ClusterSimulation {
    func noExecuteTaintsChanged(node n: Int) {
        for id in nodes[n].pods.sorted() { processPodOnNode(id, node: n) }
    }

    /// A pod was bound to a node that may already carry NoExecute taints.
    func podOnTaintedNode(_ id: Int) {
        guard let n = pods[id]?.node, nodes[n].hasNoExecuteTaints else { return }
        processPodOnNode(id, node: n)
    }

    func processPodOnNode(_ id: Int, node n: Int) {
        guard let pod = pods[id], !pod.isTerminating else { return }
        let taints = nodes[n].taints.filter { $0.effect == .NoExecute }
        if taints.isEmpty { cancelTaintEviction(id); return }
        // GetMatchingTolerations: every taint must be tolerated, else delete now.
        var used: [Toleration] = []
        for taint in taints {
            guard let tol = pod.tolerations.first(where: { $0.tolerates(taint) }) else {
                cancelTaintEviction(id)
                evictByTaint(pod: id)
                return
            }
            used.append(tol)
        }
        guard let minToleration = minTolerationTime(used) else { cancelTaintEviction(id); return }
        var start = now
        if let existing = taintEviction.scheduled[id] {
            start = existing.createdAt
            if start + minToleration < now + minToleration { return }
            engine.cancel(existing.timer)
        }
        let timer = engine.schedule(.taintEviction(pod: id), at: start + minToleration)
        taintEviction.scheduled[id] = (start, timer)
    }

    /// `getMinTolerationTime`: the smallest tolerationSeconds (≤ 0 means now); nil when
    /// none is set (tolerated forever).
    func minTolerationTime(_ tolerations: [Toleration]) -> SimTime? {
        var minSeconds: Int64? = nil
        for t in tolerations {
            guard let s = t.tolerationSeconds else { continue }
            if s <= 0 { return .zero }
            minSeconds = min(minSeconds ?? s, s)
        }
        return minSeconds.map { SimTime.seconds($0) }
    }

    func cancelTaintEviction(_ id: Int) {
        if let existing = taintEviction.scheduled.removeValue(forKey: id) { engine.cancel(existing.timer) }
    }

    func evictByTaint(pod id: Int) {
        taintEviction.scheduled[id] = nil
        guard let pod = pods[id], !pod.isTerminating, let n = pod.node else { return }
        deletePod(id, reason: "DeletionByTaintManager")
        faultsObservePodEvicted(id, node: n)
    }
}
