import KubeModel
import SimKernel

/// One managed node pool upgrade: the plan, the nodes still to go and the ones under way, and the
/// provider's phases.
///
/// Each node's timeline is new node Ready, cordoned (drain start), drained, old node deleted.
struct NodePoolUpgrade {
    let fault: FaultID
    let plan: UpgradePlan
    let settings: NodePoolUpgradeSettings
    var queue: [Int]
    var inProgress: Set<Int> = []
    var upgraded = 0
    var maxUnavailable = 0
    var failures: [String] = []
    /// Nodes whose replacement is being provisioned or was added before their drain.
    var surged: Set<Int> = []
    /// EKS: the scale-up phase's nodes, removed again in the scale-down phase.
    var scaleUpNodes: [Int] = []
    var scaleDownStarted = false
    /// EKS: the update failed (PodEvictionFailure); nothing more happens.
    var failed = false
}

/// What a managed node pool upgrade uses of the cluster: the nodes and the clock, its fault,
/// its event queue, machines added and removed, pods force-deleted at the provider's drain
/// limit, and the drains it starts and abandons.
protocol NodePoolUpgradeControllerContext: AnyObject {
    var now: SimTime { get }
    var nodes: [SimNode] { get }
    func updateFault(_ i: FaultID, _ change: (inout FaultRecord) -> Void)
    func schedule(_ event: NodePoolUpgradeEvent, after delay: SimTime)
    func nodeStateChanged(_ n: Int)
    @discardableResult
    func addNode(like template: Int, name: String) -> Int
    func removeNode(_ n: Int)
    func nextNodeName(pool: String) -> String
    func forceDelete(_ id: PodID, why: String)
    @discardableResult
    func startDrain(
        _ n: Int, owner: DrainOwner, force: Bool, timeout: SimTime?, skipUnmanaged: Bool
    ) -> Result<Int, DrainRefusal>
    func isDrainDone(_ d: Int) -> Bool
    func abandonDrain(_ d: Int) -> Set<PodID>?
}

/// Managed node pools upgraded the way their provider does it (`NodePoolUpgradeSettings`):
/// GKE surge upgrades, EKS managed node group updates, LKE pool recycles.
final class NodePoolUpgradeController {
    private(set) var upgrades: [NodePoolUpgrade] = []

    func handle(_ event: NodePoolUpgradeEvent, in ctx: NodePoolUpgradeControllerContext) {
        switch event {
        case .next(let u, let n): next(u, node: n, in: ctx)
        case .surgeNodeReady(let u, let n): surgeNodeReady(u, replacing: n, in: ctx)
        case .replacementReady(let u, let n): replacementReady(u, replacing: n, in: ctx)
        case .drainLimit(let u, let n, let d): drainLimitPassed(u, node: n, drain: d, in: ctx)
        case .terminate(let u, let n): terminate(u, node: n, in: ctx)
        case .scaleUpReady(let u, let count, let n): scaleUpReady(u, count: count, like: n, in: ctx)
        }
    }

    /// Upgrades the pool's nodes (`targets` without the control plane, which the provider
    /// upgrades on its own).
    func start(
        fault i: FaultID, nodes targets: [Int], plan: UpgradePlan, settings s: NodePoolUpgradeSettings,
        in ctx: NodePoolUpgradeControllerContext
    ) {
        let agents = targets.filter { ctx.nodes[$0].spec.pool != "control-plane" }
        upgrades.append(NodePoolUpgrade(fault: i, plan: plan, settings: s, queue: agents))
        let u = upgrades.count - 1
        let provision = plan.provisionTime
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
            guard let like = agents.first else { advance(u, in: ctx); return }
            ctx.schedule(.scaleUpReady(upgrade: u, count: count, like: like), after: provision)
        case .gke:
            ctx.updateFault(i) {
                $0.mark(
                    .started, now,
                    "GKE surge upgrade of \(agents.count) node(s): maxSurge \(s.maxSurge), maxUnavailable \(s.maxUnavailable), so \(s.maxSurge + s.maxUnavailable) at a time; a surge node first (provisioning \(provision), assumption), then the old node drained (PodDisruptionBudgets respected up to 1 h) and deleted"
                )
            }
            advance(u, in: ctx)
        case .lke:
            ctx.updateFault(i) {
                $0.mark(
                    .started, now,
                    "LKE node pool recycle of \(agents.count) node(s), one at a time: drained, deleted, replaced by a new Linode (provisioning \(provision), assumption)"
                )
            }
            advance(u, in: ctx)
        }
    }

    /// Starts as many nodes as the provider allows at once.
    private func advance(_ u: Int, in ctx: NodePoolUpgradeControllerContext) {
        let s = upgrades[u].settings
        guard !upgrades[u].failed else { return }
        let total = upgrades[u].upgraded + upgrades[u].inProgress.count + upgrades[u].queue.count
        let parallel = s.provider == .eks ? s.parallelism(groupSize: total) : s.maxSurge + s.maxUnavailable
        while upgrades[u].inProgress.count < parallel, !upgrades[u].queue.isEmpty {
            let n = upgrades[u].queue.removeFirst()
            upgrades[u].inProgress.insert(n)
            ctx.nodeStateChanged(n)
            if s.provider == .gke && upgrades[u].surged.count < s.maxSurge {
                upgrades[u].surged.insert(n)
                ctx.schedule(.surgeNodeReady(upgrade: u, replacing: n), after: upgrades[u].plan.provisionTime)
            } else {
                drainNode(u, n, in: ctx)
            }
        }
        if upgrades[u].queue.isEmpty && upgrades[u].inProgress.isEmpty {
            if s.provider == .eks && !upgrades[u].scaleDownStarted && !upgrades[u].scaleUpNodes.isEmpty {
                // Scale-down phase: the group returns to its size; which instances go is the
                // Auto Scaling group's choice (assumption: the scale-up phase's, newest first).
                upgrades[u].scaleDownStarted = true
                upgrades[u].queue = upgrades[u].scaleUpNodes.reversed()
                advance(u, in: ctx)
                return
            }
            finish(u, in: ctx)
        }
    }

    private func next(_ u: Int, node n: Int, in ctx: NodePoolUpgradeControllerContext) {
        upgrades[u].inProgress.remove(n)
        ctx.nodeStateChanged(n)
        advance(u, in: ctx)
    }

    private func finish(_ u: Int, in ctx: NodePoolUpgradeControllerContext) {
        let upgrade = upgrades[u], now = ctx.now
        ctx.updateFault(upgrade.fault) {
            $0.markUpgradeCompleted(
                upgraded: upgrade.upgraded, maxUnavailable: upgrade.maxUnavailable, failures: upgrade.failures.count, at: now)
        }
    }

    /// A node's replacement (surge) is Ready: record it, then drain the old node.
    private func surgeNodeReady(_ u: Int, replacing n: Int, in ctx: NodePoolUpgradeControllerContext) {
        let new = ctx.addNode(like: n, name: ctx.nextNodeName(pool: ctx.nodes[n].spec.pool))
        markPoolNode(u, .nodeReady, new, "new node(s) Ready", in: ctx)
        drainNode(u, n, in: ctx)
    }

    private func drainNode(_ u: Int, _ n: Int, in ctx: NodePoolUpgradeControllerContext) {
        upgrades[u].maxUnavailable = max(upgrades[u].maxUnavailable, upgrades[u].inProgress.count - upgrades[u].surged.count)
        markPoolNode(u, .cordoned, n, "cordoned and draining", in: ctx)
        switch ctx.startDrain(n, owner: .nodePoolUpgrade(u), force: true, timeout: nil, skipUnmanaged: false) {
        case .success(let d):
            if let limit = upgrades[u].settings.drainLimit, !ctx.isDrainDone(d) {
                ctx.schedule(.drainLimit(upgrade: u, node: n, drain: d), after: limit)
            }
        case .failure(let refusal):
            nodeDrained(u, n, failure: refusal.message, in: ctx)
        }
    }

    /// The provider's limit on a blocked drain passed.
    private func drainLimitPassed(_ u: Int, node n: Int, drain d: Int, in ctx: NodePoolUpgradeControllerContext) {
        let s = upgrades[u].settings
        guard let pending = ctx.abandonDrain(d) else { return }
        let left = pending.sorted()
        let i = upgrades[u].fault
        let name = ctx.nodes[n].name, now = ctx.now
        let limit = s.drainLimit.map { "\($0)" } ?? "its limit"
        switch s.drainLimitAction {
        case .forceDelete:
            ctx.updateFault(i) {
                $0.markNode(.drainForced, name, now) {
                    "\(s.provider.rawValue): \(describeNodes($0, noun: true)) still not drained after \(limit) (PodDisruptionBudget): \(left.count) pod(s) deleted anyway"
                }
            }
            for id in left { ctx.forceDelete(id, why: "\(s.provider.rawValue) drain limit \(limit) passed") }
            nodeDrained(u, n, failure: nil, in: ctx)
        case .failUpdate:
            upgrades[u].failed = true
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
    func nodeDrained(_ u: Int, _ n: Int, failure: String?, in ctx: NodePoolUpgradeControllerContext) {
        if let failure { upgrades[u].failures.append("\(ctx.nodes[n].name): \(failure)") }
        markPoolNode(u, .drained, n, "drained", in: ctx)
        ctx.schedule(.terminate(upgrade: u, node: n), after: upgrades[u].settings.terminateDelay)
    }

    private func terminate(_ u: Int, node n: Int, in ctx: NodePoolUpgradeControllerContext) {
        let s = upgrades[u].settings
        ctx.removeNode(n)
        markPoolNode(u, .nodeDeleted, n, "deleted", in: ctx)
        let scaleDown = upgrades[u].scaleUpNodes.contains(n)
        if !scaleDown { upgrades[u].upgraded += 1 }
        if upgrades[u].surged.remove(n) != nil || scaleDown {
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

    private func replacementReady(_ u: Int, replacing n: Int, in ctx: NodePoolUpgradeControllerContext) {
        let new = ctx.addNode(like: n, name: ctx.nextNodeName(pool: ctx.nodes[n].spec.pool))
        markPoolNode(u, .nodeReady, new, "new node(s) Ready", in: ctx)
        if upgrades[u].settings.provider != .eks { next(u, node: n, in: ctx) }
    }

    private func scaleUpReady(_ u: Int, count: Int, like n: Int, in ctx: NodePoolUpgradeControllerContext) {
        for _ in 0..<count {
            let new = ctx.addNode(like: n, name: ctx.nextNodeName(pool: ctx.nodes[n].spec.pool))
            upgrades[u].scaleUpNodes.append(new)
            markPoolNode(u, .nodeReady, new, "new node(s) Ready", in: ctx)
        }
        advance(u, in: ctx)
    }

    private func markPoolNode(
        _ u: Int, _ milestone: MilestoneName, _ n: Int, _ what: String, in ctx: NodePoolUpgradeControllerContext
    ) {
        let provider = upgrades[u].settings.provider.rawValue
        let name = ctx.nodes[n].name, now = ctx.now
        ctx.updateFault(upgrades[u].fault) {
            $0.markNode(milestone, name, now) { "\(provider) node pool upgrade: \(describeNodes($0, noun: true)) \(what)" }
        }
    }
}

extension ClusterSimulation: NodePoolUpgradeControllerContext {
    /// The node pool upgrades as their controller holds them (read-only here).
    var nodePoolUpgrades: [NodePoolUpgrade] { nodePoolUpgradeController.upgrades }

    func schedule(_ event: NodePoolUpgradeEvent, after delay: SimTime) {
        engine.schedule(.nodePoolUpgrade(event), after: delay)
    }

    func isDrainDone(_ d: Int) -> Bool { drains[d].done }
}
