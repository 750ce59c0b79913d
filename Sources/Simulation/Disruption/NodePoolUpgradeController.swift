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

extension UpgradeController {
    func startNodePoolUpgrade(_ u: Int, settings s: NodePoolUpgradeSettings, in ctx: UpgradeControllerContext) {
        let agents = upgrades[u].queue
        let i = upgrades[u].fault
        let provision = upgrades[u].plan.provisionTime
        let now = ctx.now
        switch s.provider {
        case .eks:
            // Scale-up phase: the larger of twice the group's zones and maxUnavailable.
            let zones = Set(agents.map { ctx.nodes[$0].zone }).count
            let parallel = s.parallelism(groupSize: agents.count)
            let count = max(2 * zones, parallel)
            ctx.updateFault(i) {
                $0.mark(
                    .started, now,
                    "EKS managed node group update of \(agents.count) node(s): scale-up phase launches \(count) node(s) (twice the \(zones) zone(s), or maxUnavailable \(parallel) if larger; provisioning \(provision), assumption), then \(parallel) node(s) at a time drained (15 min PodDisruptionBudget limit, \(s.drainLimitAction == .failUpdate ? "then the update fails" : "then forced")), 60 s later terminated; scale-down phase removes \(count)"
                )
            }
            guard let like = agents.first else { advanceNodePoolUpgrade(u, in: ctx); return }
            ctx.schedule(.scaleUpReady(upgrade: u, count: count, like: like), after: provision)
        case .gke:
            ctx.updateFault(i) {
                $0.mark(
                    .started, now,
                    "GKE surge upgrade of \(agents.count) node(s): maxSurge \(s.maxSurge), maxUnavailable \(s.maxUnavailable), so \(s.maxSurge + s.maxUnavailable) at a time; a surge node first (provisioning \(provision), assumption), then the old node drained (PodDisruptionBudgets respected up to 1 h) and deleted"
                )
            }
            advanceNodePoolUpgrade(u, in: ctx)
        case .lke:
            ctx.updateFault(i) {
                $0.mark(
                    .started, now,
                    "LKE node pool recycle of \(agents.count) node(s), one at a time: drained, deleted, replaced by a new Linode (provisioning \(provision), assumption)"
                )
            }
            advanceNodePoolUpgrade(u, in: ctx)
        }
    }

    /// Starts as many nodes as the provider allows at once.
    func advanceNodePoolUpgrade(_ u: Int, in ctx: UpgradeControllerContext) {
        let s = upgrades[u].plan.nodePool!
        guard !upgrades[u].pool.failed else { return }
        let total = upgrades[u].upgraded + upgrades[u].inProgress.count + upgrades[u].queue.count
        let parallel = s.provider == .eks ? s.parallelism(groupSize: total) : s.maxSurge + s.maxUnavailable
        while upgrades[u].inProgress.count < parallel, !upgrades[u].queue.isEmpty {
            let n = upgrades[u].queue.removeFirst()
            upgrades[u].inProgress.insert(n)
            ctx.nodeStateChanged(n)
            if s.provider == .gke && upgrades[u].pool.surged.count < s.maxSurge {
                upgrades[u].pool.surged.insert(n)
                ctx.schedule(.surgeNodeReady(upgrade: u, replacing: n), after: upgrades[u].plan.provisionTime)
            } else {
                drainPoolNode(u, n, in: ctx)
            }
        }
        if upgrades[u].queue.isEmpty && upgrades[u].inProgress.isEmpty {
            if s.provider == .eks && !upgrades[u].pool.scaleDownStarted && !upgrades[u].pool.scaleUpNodes.isEmpty {
                // Scale-down phase: the group returns to its size; which instances go is the
                // Auto Scaling group's choice (assumption: the scale-up phase's, newest first).
                upgrades[u].pool.scaleDownStarted = true
                upgrades[u].queue = upgrades[u].pool.scaleUpNodes.reversed()
                advanceNodePoolUpgrade(u, in: ctx)
                return
            }
            finish(u, in: ctx)
        }
    }

    /// A node's replacement (surge) is Ready: record it, then drain the old node.
    func poolSurgeNodeReady(_ u: Int, replacing n: Int, in ctx: UpgradeControllerContext) {
        let new = ctx.addNode(like: n, name: ctx.nextNodeName(pool: ctx.nodes[n].spec.pool))
        markPoolNode(u, .nodeReady, new, "new node(s) Ready", in: ctx)
        drainPoolNode(u, n, in: ctx)
    }

    private func drainPoolNode(_ u: Int, _ n: Int, in ctx: UpgradeControllerContext) {
        upgrades[u].maxUnavailable = max(upgrades[u].maxUnavailable, upgrades[u].inProgress.count - upgrades[u].pool.surged.count)
        markPoolNode(u, .cordoned, n, "cordoned and draining", in: ctx)
        switch ctx.startDrain(n, owner: .upgrade(u), force: true, timeout: nil, skipUnmanaged: false) {
        case .success(let d):
            if let limit = upgrades[u].plan.nodePool?.drainLimit, !ctx.isDrainDone(d) {
                ctx.schedule(.drainLimit(upgrade: u, node: n, drain: d), after: limit)
            }
        case .failure(let refusal):
            poolNodeDrained(u, n, failure: refusal.message, in: ctx)
        }
    }

    /// The provider's limit on a blocked drain passed.
    func poolDrainLimit(_ u: Int, node n: Int, drain d: Int, in ctx: UpgradeControllerContext) {
        guard let s = upgrades[u].plan.nodePool, let pending = ctx.abandonDrain(d) else { return }
        let left = pending.sorted()
        let i = upgrades[u].fault
        let name = ctx.nodes[n].name, now = ctx.now
        switch s.drainLimitAction {
        case .forceDelete:
            ctx.updateFault(i) {
                $0.markNode(.drainForced, name, now) {
                    "\(s.provider.rawValue): \(describeNodes($0, noun: true)) still not drained after \(s.drainLimit!) (PodDisruptionBudget): \(left.count) pod(s) deleted anyway"
                }
            }
            for id in left { ctx.forceDelete(id, why: "\(s.provider.rawValue) drain limit \(s.drainLimit!) passed") }
            poolNodeDrained(u, n, failure: nil, in: ctx)
        case .failUpdate:
            upgrades[u].pool.failed = true
            upgrades[u].failures.append("\(name): PodEvictionFailure")
            let upgraded = upgrades[u].upgraded, remaining = upgrades[u].queue.count
            ctx.updateFault(i) {
                $0.result.stats["nodesUpgraded"] = Double(upgraded)
                $0.markNode(.upgradeFailed, name, now) {
                    "EKS: the update failed with PodEvictionFailure: \(left.count) pod(s) on \(describeNodes($0, noun: true)) not evicted within 15 min (PodDisruptionBudget) and the update is not forced; the node stays cordoned and the remaining \(remaining) node(s) are not upgraded"
                }
                $0.done = true
            }
        }
    }

    /// The node is empty: terminate it (EKS after its 60 s wait), then replace it.
    func poolNodeDrained(_ u: Int, _ n: Int, failure: String?, in ctx: UpgradeControllerContext) {
        if let failure { upgrades[u].failures.append("\(ctx.nodes[n].name): \(failure)") }
        markPoolNode(u, .drained, n, "drained", in: ctx)
        ctx.schedule(.terminate(upgrade: u, node: n), after: upgrades[u].plan.nodePool!.terminateDelay)
    }

    func poolTerminate(_ u: Int, node n: Int, in ctx: UpgradeControllerContext) {
        let s = upgrades[u].plan.nodePool!
        ctx.removeNode(n)
        markPoolNode(u, .nodeDeleted, n, "deleted", in: ctx)
        let scaleDown = upgrades[u].pool.scaleUpNodes.contains(n)
        if !scaleDown { upgrades[u].upgraded += 1 }
        if upgrades[u].pool.surged.remove(n) != nil || scaleDown {
            ctx.schedule(.next(upgrade: u, node: n), after: upgrades[u].plan.postCompleteDelay)
        } else if s.provider == .eks {
            // The Auto Scaling group keeps its raised size, so it launches an instance in the
            // terminated one's place; the update does not wait for it.
            ctx.schedule(.replacementReady(upgrade: u, replacing: n), after: upgrades[u].plan.provisionTime)
            ctx.schedule(.next(upgrade: u, node: n), after: upgrades[u].plan.postCompleteDelay)
        } else {
            ctx.schedule(.replacementReady(upgrade: u, replacing: n), after: upgrades[u].plan.provisionTime)
        }
    }

    func poolReplacementReady(_ u: Int, replacing n: Int, in ctx: UpgradeControllerContext) {
        let new = ctx.addNode(like: n, name: ctx.nextNodeName(pool: ctx.nodes[n].spec.pool))
        markPoolNode(u, .nodeReady, new, "new node(s) Ready", in: ctx)
        if upgrades[u].plan.nodePool?.provider != .eks { next(u, node: n, in: ctx) }
    }

    func poolScaleUpReady(_ u: Int, count: Int, like n: Int, in ctx: UpgradeControllerContext) {
        for _ in 0..<count {
            let new = ctx.addNode(like: n, name: ctx.nextNodeName(pool: ctx.nodes[n].spec.pool))
            upgrades[u].pool.scaleUpNodes.append(new)
            markPoolNode(u, .nodeReady, new, "new node(s) Ready", in: ctx)
        }
        advanceNodePoolUpgrade(u, in: ctx)
    }

    private func markPoolNode(
        _ u: Int, _ milestone: MilestoneName, _ n: Int, _ what: String, in ctx: UpgradeControllerContext
    ) {
        let provider = upgrades[u].plan.nodePool?.provider.rawValue ?? ""
        let name = ctx.nodes[n].name, now = ctx.now
        ctx.updateFault(upgrades[u].fault) {
            $0.markNode(milestone, name, now) { "\(provider) node pool upgrade: \(describeNodes($0, noun: true)) \(what)" }
        }
    }
}
