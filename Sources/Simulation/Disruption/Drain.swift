import KubeModel
import SimKernel

/// Who started a drain and is told when it ends.
enum DrainOwner: Equatable {
    case fault(Int)
    case upgrade(Int)
}

struct DrainState {
    let node: Int
    let owner: DrainOwner
    /// Pods still to go.
    var pending: Set<Int>
    var retries = 0
    var done = false
    var deadline: SimTime?
}

/// `kubectl drain` (k8s.io/kubectl/pkg/drain): cordon; evict every pod in parallel
/// through the eviction API, skipping DaemonSet pods; a 429 from a PodDisruptionBudget
/// is retried every 5 s; after an eviction, poll every second until the pod is gone;
/// optional timeout. Pods without a controller stop the drain unless `force`.
extension ClusterSimulation {
    static let drainRetryInterval = SimTime.seconds(5)
    static let drainPollInterval = SimTime.seconds(1)

    func cordon(_ n: Int) {
        guard !nodes[n].unschedulable else { return }
        store.update(node: n) { $0.unschedulable = true }
        addTaint(n, Taint(key: Taint.unschedulableKey, effect: .NoSchedule))
        cnpgOperator.nodeCordoned(in: self)
    }

    func uncordon(_ n: Int) {
        guard nodes[n].unschedulable else { return }
        store.update(node: n) { $0.unschedulable = false }
        removeTaint(n, key: Taint.unschedulableKey, effect: .NoSchedule)
    }

    /// Starts draining node `n`; returns the drain's index, or nil (with the reason) when
    /// kubectl would refuse. `skipUnmanaged` leaves pods without a controller where they are,
    /// as Talos's drain does.
    @discardableResult
    func startDrain(
        _ n: Int, owner: DrainOwner, force: Bool, timeout: SimTime?, skipUnmanaged: Bool = false
    ) -> Result<Int, DrainRefusal> {
        cordon(n)
        var toEvict: [Int] = [], terminating: [Int] = []
        for id in nodes[n].pods.sorted() {
            guard let p = pods[id] else { continue }
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
        drains.append(DrainState(node: n, owner: owner, pending: Set(toEvict + terminating), deadline: timeout.map { now + $0 }))
        for id in toEvict { engine.schedule(.drain(.evict(drain: d, pod: id)), after: params.apiLatency) }
        for id in terminating { engine.schedule(.drain(.poll(drain: d, pod: id)), after: params.apiLatency) }
        if let t = timeout { engine.schedule(.drain(.timeout(drain: d)), after: t) }
        if toEvict.isEmpty && terminating.isEmpty { finishDrain(d) }
        return .success(d)
    }

    func drainEvict(_ d: Int, pod id: Int) {
        guard !drains[d].done, drains[d].pending.contains(id) else { return }
        switch evict(id) {
        case .evicted:
            engine.schedule(.drain(.poll(drain: d, pod: id)), after: ClusterSimulation.drainPollInterval)
        case .tooManyRequests:
            drains[d].retries += 1
            engine.schedule(.drain(.evict(drain: d, pod: id)), after: ClusterSimulation.drainRetryInterval)
        case .failed(let message):
            drains[d].done = true
            drainEnded(d, failure: message)
        }
    }

    func drainPoll(_ d: Int, pod id: Int) {
        guard !drains[d].done else { return }
        if pods[id] == nil {
            drains[d].pending.remove(id)
            if drains[d].pending.isEmpty { finishDrain(d) }
        } else {
            engine.schedule(.drain(.poll(drain: d, pod: id)), after: ClusterSimulation.drainPollInterval)
        }
    }

    func drainTimedOut(_ d: Int) {
        guard !drains[d].done else { return }
        drains[d].done = true
        drainEnded(d, failure: "drain timed out with \(drains[d].pending.count) pod(s) left")
    }

    func finishDrain(_ d: Int) {
        guard !drains[d].done else { return }
        drains[d].done = true
        drainEnded(d, failure: nil)
    }

    func drainEnded(_ d: Int, failure: String?) {
        switch drains[d].owner {
        case .fault(let i): faultsObserveDrainEnded(i, drain: drains[d], failure: failure)
        case .upgrade(let u): upgradeNodeDrained(u, node: drains[d].node, failure: failure)
        }
    }
}

struct DrainRefusal: Error, Equatable { let message: String }

extension ClusterSimulation {
    func handle(_ event: DrainEvent) {
        switch event {
        case .evict(let d, let p): drainEvict(d, pod: p)
        case .poll(let d, let p): drainPoll(d, pod: p)
        case .timeout(let d): drainTimedOut(d)
        }
    }
}
