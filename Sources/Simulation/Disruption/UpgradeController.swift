import KubeModel
import SimKernel

struct UpgradeState {
    let fault: Int
    let plan: UpgradePlan
    /// Nodes to upgrade, in order: servers first, then agents.
    var queue: [Int]
    var inProgress: Set<Int> = []
    var upgraded = 0
    var maxUnavailable = 0
    var failures: [String] = []
}

/// A node-by-node K3S upgrade driven like the system-upgrade-controller: up to
/// `concurrency` nodes at once; each is cordoned (or drained), its K3S service restarts
/// (the kubelet stops renewing its lease meanwhile; containers keep running), then it is
/// uncordoned and, after `postCompleteDelay`, the next node starts.
extension ClusterSimulation {
    func startUpgrade(fault i: Int, nodes targets: [Int], plan: UpgradePlan) {
        let servers = targets.filter { nodes[$0].spec.pool == "control-plane" }
        let agents = targets.filter { nodes[$0].spec.pool != "control-plane" }
        if plan.strategy == .surge {
            // Managed platforms upgrade their own control plane; the node pools surge.
            upgrades.append(UpgradeState(fault: i, plan: plan, queue: agents))
            faults.records[i].mark("started", now, "surge upgrade of \(agents.count) node(s): a new node first (provisioning \(plan.provisionTime), assumption), then the old one drained and deleted; \(plan.concurrency) at a time")
        } else {
            upgrades.append(UpgradeState(fault: i, plan: plan, queue: servers + agents))
            faults.records[i].mark("started", now, "system-upgrade-controller plan: \(servers.count) server(s) then \(agents.count) agent(s), concurrency \(plan.concurrency), \(plan.drain ? "drain" : "cordon only"), K3S restart \(plan.restartTime) (assumption)")
        }
        advanceUpgrade(upgrades.count - 1)
    }

    func advanceUpgrade(_ u: Int) {
        while upgrades[u].inProgress.count < upgrades[u].plan.concurrency, !upgrades[u].queue.isEmpty {
            let n = upgrades[u].queue.removeFirst()
            upgrades[u].inProgress.insert(n)
            nodeStateChanged(n)
            if upgrades[u].plan.strategy == .surge {
                // maxUnavailable 0: the old node serves until its replacement is Ready.
                engine.schedule(.surgeNodeReady(upgrade: u, replacing: n), after: upgrades[u].plan.provisionTime)
                continue
            }
            upgrades[u].maxUnavailable = max(upgrades[u].maxUnavailable, upgrades[u].inProgress.count)
            if upgrades[u].plan.drain {
                if case .failure(let refusal) = startDrain(n, owner: .upgrade(u), force: false, timeout: faults.records[upgrades[u].fault].spec.timeout) {
                    upgradeNodeDrained(u, node: n, failure: refusal.message)
                }
            } else {
                cordon(n)
                upgradeNodeDrained(u, node: n, failure: nil)
            }
        }
        if upgrades[u].queue.isEmpty && upgrades[u].inProgress.isEmpty {
            let i = upgrades[u].fault
            faults.records[i].result.stats["nodesUpgraded"] = Double(upgrades[u].upgraded)
            faults.records[i].result.stats["maxNodesUnavailable"] = Double(upgrades[u].maxUnavailable)
            faults.records[i].mark("completed", now, "\(upgrades[u].upgraded) node(s) upgraded"
                + (upgrades[u].failures.isEmpty ? "" : "; \(upgrades[u].failures.count) drain failure(s)"))
            faults.records[i].done = true
        }
    }

    /// Surge: the new node is Ready; now drain the old one.
    func surgeNodeReady(_ u: Int, replacing n: Int) {
        addNode(like: n, name: nextNodeName(pool: nodes[n].spec.pool))
        upgrades[u].maxUnavailable = max(upgrades[u].maxUnavailable, upgrades[u].inProgress.count)
        if case .failure(let refusal) = startDrain(n, owner: .upgrade(u), force: true, timeout: faults.records[upgrades[u].fault].spec.timeout) {
            upgradeNodeDrained(u, node: n, failure: refusal.message)
        }
    }

    /// The node is cordoned/drained: its K3S restarts now (in place), or it is deleted (surge).
    func upgradeNodeDrained(_ u: Int, node n: Int, failure: String?) {
        if let failure { upgrades[u].failures.append("\(nodes[n].name): \(failure)") }
        if upgrades[u].plan.strategy == .surge {
            removeNode(n)
            upgrades[u].upgraded += 1
            engine.schedule(.upgradeNext(upgrade: u, node: n), after: upgrades[u].plan.postCompleteDelay)
            return
        }
        restartK3s(n, for: upgrades[u].plan.restartTime)
        engine.schedule(.upgradeNodeDone(upgrade: u, node: n), after: upgrades[u].plan.restartTime)
    }

    func upgradeNodeDone(_ u: Int, node n: Int) {
        uncordon(n)
        upgrades[u].upgraded += 1
        engine.schedule(.upgradeNext(upgrade: u, node: n), after: upgrades[u].plan.postCompleteDelay)
    }

    func upgradeNext(_ u: Int, node n: Int) {
        upgrades[u].inProgress.remove(n)
        nodeStateChanged(n)
        advanceUpgrade(u)
    }
}
