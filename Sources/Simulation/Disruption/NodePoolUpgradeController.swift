import KubeModel
import SimKernel

/// Managed node pools upgraded the way their provider does it (`NodePoolUpgradeSettings`):
/// GKE surge upgrades, EKS managed node group updates, LKE pool recycles. Each node's
/// timeline is new node Ready, cordoned (drain start), drained, old node deleted.
struct NodePoolUpgradeState {
    /// Nodes whose replacement is being provisioned or was added before their drain.
    var surged: Set<Int> = []
    /// EKS: the scale-up phase's nodes, removed again in the scale-down phase.
    var scaleUpNodes: [Int] = []
    var scaleDownStarted = false
    /// EKS: the update failed (PodEvictionFailure); nothing more happens.
    var failed = false
}

extension ClusterSimulation {
    func startNodePoolUpgrade(_ u: Int, settings s: NodePoolUpgradeSettings) {
        let agents = upgrades[u].queue
        let i = upgrades[u].fault
        let provision = upgrades[u].plan.provisionTime
        switch s.provider {
        case .eks:
            // Scale-up phase: the larger of twice the group's zones and maxUnavailable.
            let zones = Set(agents.map { nodes[$0].zone }).count
            let parallel = s.parallelism(groupSize: agents.count)
            let count = max(2 * zones, parallel)
            faults.records[i].mark(
                .started, now,
                "EKS managed node group update of \(agents.count) node(s): scale-up phase launches \(count) node(s) (twice the \(zones) zone(s), or maxUnavailable \(parallel) if larger; provisioning \(provision), assumption), then \(parallel) node(s) at a time drained (15 min PodDisruptionBudget limit, \(s.drainLimitAction == .failUpdate ? "then the update fails" : "then forced")), 60 s later terminated; scale-down phase removes \(count)"
            )
            guard let like = agents.first else { advanceNodePoolUpgrade(u); return }
            engine.schedule(.upgrade(.scaleUpReady(upgrade: u, count: count, like: like)), after: provision)
        case .gke:
            faults.records[i].mark(
                .started, now,
                "GKE surge upgrade of \(agents.count) node(s): maxSurge \(s.maxSurge), maxUnavailable \(s.maxUnavailable), so \(s.maxSurge + s.maxUnavailable) at a time; a surge node first (provisioning \(provision), assumption), then the old node drained (PodDisruptionBudgets respected up to 1 h) and deleted"
            )
            advanceNodePoolUpgrade(u)
        case .lke:
            faults.records[i].mark(
                .started, now,
                "LKE node pool recycle of \(agents.count) node(s), one at a time: drained, deleted, replaced by a new Linode (provisioning \(provision), assumption)"
            )
            advanceNodePoolUpgrade(u)
        }
    }

    /// Starts as many nodes as the provider allows at once.
    func advanceNodePoolUpgrade(_ u: Int) {
        let s = upgrades[u].plan.nodePool!
        guard !upgrades[u].pool.failed else { return }
        let total = upgrades[u].upgraded + upgrades[u].inProgress.count + upgrades[u].queue.count
        let parallel = s.provider == .eks ? s.parallelism(groupSize: total) : s.maxSurge + s.maxUnavailable
        while upgrades[u].inProgress.count < parallel, !upgrades[u].queue.isEmpty {
            let n = upgrades[u].queue.removeFirst()
            upgrades[u].inProgress.insert(n)
            nodeStateChanged(n)
            if s.provider == .gke && upgrades[u].pool.surged.count < s.maxSurge {
                upgrades[u].pool.surged.insert(n)
                engine.schedule(.upgrade(.surgeNodeReady(upgrade: u, replacing: n)), after: upgrades[u].plan.provisionTime)
            } else {
                drainPoolNode(u, n)
            }
        }
        if upgrades[u].queue.isEmpty && upgrades[u].inProgress.isEmpty {
            if s.provider == .eks && !upgrades[u].pool.scaleDownStarted && !upgrades[u].pool.scaleUpNodes.isEmpty {
                // Scale-down phase: the group returns to its size; which instances go is the
                // Auto Scaling group's choice (assumption: the scale-up phase's, newest first).
                upgrades[u].pool.scaleDownStarted = true
                upgrades[u].queue = upgrades[u].pool.scaleUpNodes.reversed()
                advanceNodePoolUpgrade(u)
                return
            }
            finishUpgrade(u)
        }
    }

    /// A node's replacement (surge) is Ready: record it, then drain the old node.
    func poolSurgeNodeReady(_ u: Int, replacing n: Int) {
        let new = addNode(like: n, name: nextNodeName(pool: nodes[n].spec.pool))
        markPoolNode(u, .nodeReady, new, "new node(s) Ready")
        drainPoolNode(u, n)
    }

    func drainPoolNode(_ u: Int, _ n: Int) {
        upgrades[u].maxUnavailable = max(upgrades[u].maxUnavailable, upgrades[u].inProgress.count - upgrades[u].pool.surged.count)
        markPoolNode(u, .cordoned, n, "cordoned and draining")
        switch startDrain(n, owner: .upgrade(u), force: true, timeout: nil) {
        case .success(let d):
            if let limit = upgrades[u].plan.nodePool?.drainLimit, !drains[d].done {
                engine.schedule(.upgrade(.drainLimit(upgrade: u, node: n, drain: d)), after: limit)
            }
        case .failure(let refusal):
            poolNodeDrained(u, n, failure: refusal.message)
        }
    }

    /// The provider's limit on a blocked drain passed.
    func poolDrainLimit(_ u: Int, node n: Int, drain d: Int) {
        guard let s = upgrades[u].plan.nodePool, let pending = nodeDrainer.abandon(d) else { return }
        let left = pending.sorted()
        let i = upgrades[u].fault
        switch s.drainLimitAction {
        case .forceDelete:
            faults.records[i].markNode(.drainForced, nodes[n].name, now) {
                "\(s.provider.rawValue): \(describeNodes($0, noun: true)) still not drained after \(s.drainLimit!) (PodDisruptionBudget): \(left.count) pod(s) deleted anyway"
            }
            for id in left { forceDelete(id, why: "\(s.provider.rawValue) drain limit \(s.drainLimit!) passed") }
            poolNodeDrained(u, n, failure: nil)
        case .failUpdate:
            upgrades[u].pool.failed = true
            upgrades[u].failures.append("\(nodes[n].name): PodEvictionFailure")
            faults.records[i].result.stats["nodesUpgraded"] = Double(upgrades[u].upgraded)
            faults.records[i].markNode(.upgradeFailed, nodes[n].name, now) {
                "EKS: the update failed with PodEvictionFailure: \(left.count) pod(s) on \(describeNodes($0, noun: true)) not evicted within 15 min (PodDisruptionBudget) and the update is not forced; the node stays cordoned and the remaining \(upgrades[u].queue.count) node(s) are not upgraded"
            }
            faults.records[i].done = true
        }
    }

    /// The node is empty: terminate it (EKS after its 60 s wait), then replace it.
    func poolNodeDrained(_ u: Int, _ n: Int, failure: String?) {
        if let failure { upgrades[u].failures.append("\(nodes[n].name): \(failure)") }
        markPoolNode(u, .drained, n, "drained")
        engine.schedule(.upgrade(.terminate(upgrade: u, node: n)), after: upgrades[u].plan.nodePool!.terminateDelay)
    }

    func poolTerminate(_ u: Int, node n: Int) {
        let s = upgrades[u].plan.nodePool!
        removeNode(n)
        markPoolNode(u, .nodeDeleted, n, "deleted")
        let scaleDown = upgrades[u].pool.scaleUpNodes.contains(n)
        if !scaleDown { upgrades[u].upgraded += 1 }
        if upgrades[u].pool.surged.remove(n) != nil || scaleDown {
            engine.schedule(.upgrade(.next(upgrade: u, node: n)), after: upgrades[u].plan.postCompleteDelay)
        } else if s.provider == .eks {
            // The Auto Scaling group keeps its raised size, so it launches an instance in the
            // terminated one's place; the update does not wait for it.
            engine.schedule(.upgrade(.replacementReady(upgrade: u, replacing: n)), after: upgrades[u].plan.provisionTime)
            engine.schedule(.upgrade(.next(upgrade: u, node: n)), after: upgrades[u].plan.postCompleteDelay)
        } else {
            engine.schedule(.upgrade(.replacementReady(upgrade: u, replacing: n)), after: upgrades[u].plan.provisionTime)
        }
    }

    func poolReplacementReady(_ u: Int, replacing n: Int) {
        let new = addNode(like: n, name: nextNodeName(pool: nodes[n].spec.pool))
        markPoolNode(u, .nodeReady, new, "new node(s) Ready")
        if upgrades[u].plan.nodePool?.provider != .eks { upgradeNext(u, node: n) }
    }

    func poolScaleUpReady(_ u: Int, count: Int, like n: Int) {
        for _ in 0..<count {
            let new = addNode(like: n, name: nextNodeName(pool: nodes[n].spec.pool))
            upgrades[u].pool.scaleUpNodes.append(new)
            markPoolNode(u, .nodeReady, new, "new node(s) Ready")
        }
        advanceNodePoolUpgrade(u)
    }

    func markPoolNode(_ u: Int, _ name: MilestoneName, _ n: Int, _ what: String) {
        let provider = upgrades[u].plan.nodePool?.provider.rawValue ?? ""
        faults.records[upgrades[u].fault].markNode(name, nodes[n].name, now) {
            "\(provider) node pool upgrade: \(describeNodes($0, noun: true)) \(what)"
        }
    }
}
