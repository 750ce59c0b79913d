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
    /// In place: each node's upgrade Job (its pods' failed attempts; the drain running now).
    var jobs: [Int: UpgradeJob] = [:]
    /// A managed platform's node pool upgrade.
    var pool = NodePoolUpgradeState()
}

/// The system-upgrade-controller's Job for one node: the drain is its init container, so a
/// drain that fails fails the Job's pod, which the Job controller retries with back-off (10 s
/// doubling, at most 6 min) up to `backoffLimit`, all within `activeDeadlineSeconds`.
struct UpgradeJob {
    let started: SimTime
    let deadline: EventID
    var failedPods = 0
    var lastFailure = ""
    var drain: Int?
    var failed = false
}

/// A node-by-node K3S upgrade driven like the system-upgrade-controller: up to
/// `concurrency` nodes at once; each is cordoned (or drained), its K3S service restarts
/// (the kubelet stops renewing its lease meanwhile; containers keep running), then it is
/// uncordoned and, after `postCompleteDelay`, the next node starts.
extension ClusterSimulation {
    func startUpgrade(fault i: Int, nodes targets: [Int], plan: UpgradePlan) {
        let servers = targets.filter { nodes[$0].spec.pool == "control-plane" }
        let agents = targets.filter { nodes[$0].spec.pool != "control-plane" }
        if plan.strategy == .surge, let settings = plan.nodePool {
            upgrades.append(UpgradeState(fault: i, plan: plan, queue: agents))
            startNodePoolUpgrade(upgrades.count - 1, settings: settings)
            return
        }
        if plan.strategy == .surge {
            // Managed platforms upgrade their own control plane; the node pools surge.
            upgrades.append(UpgradeState(fault: i, plan: plan, queue: agents))
            faults.records[i].mark(
                .started, now,
                "surge upgrade of \(agents.count) node(s): a new node first (provisioning \(plan.provisionTime), assumption), then the old one drained and deleted; \(plan.concurrency) at a time"
            )
        } else if plan.strategy == .reboot {
            upgrades.append(UpgradeState(fault: i, plan: plan, queue: servers + agents))
            faults.records[i].mark(
                .started, now,
                "talosctl upgrade node by node: \(servers.count) control-plane node(s) then \(agents.count) worker(s), \(plan.concurrency) at a time; each is cordoned and drained, stops its pods and services, installs the new image and reboots (installAndRebootTime \(plan.installAndRebootTime), assumption)"
            )
        } else {
            upgrades.append(UpgradeState(fault: i, plan: plan, queue: servers + agents))
            faults.records[i].mark(
                .started, now,
                "system-upgrade-controller plan: \(servers.count) server(s) then \(agents.count) agent(s), concurrency \(plan.concurrency), \(plan.drain ? "drain" : "cordon only"), K3S restart \(plan.restartTime) (assumption)"
            )
        }
        advanceUpgrade(upgrades.count - 1)
    }

    func advanceUpgrade(_ u: Int) {
        if upgrades[u].plan.strategy == .surge && upgrades[u].plan.nodePool != nil {
            advanceNodePoolUpgrade(u)
            return
        }
        while upgrades[u].inProgress.count < upgrades[u].plan.concurrency, !upgrades[u].queue.isEmpty {
            let n = upgrades[u].queue.removeFirst()
            upgrades[u].inProgress.insert(n)
            nodeStateChanged(n)
            if upgrades[u].plan.strategy == .surge {
                // maxUnavailable 0: the old node serves until its replacement is Ready.
                engine.schedule(.upgrade(.surgeNodeReady(upgrade: u, replacing: n)), after: upgrades[u].plan.provisionTime)
                continue
            }
            upgrades[u].maxUnavailable = max(upgrades[u].maxUnavailable, upgrades[u].inProgress.count)
            if upgrades[u].plan.strategy == .reboot {
                startRebootUpgrade(u, node: n)
            } else if upgrades[u].plan.drain {
                let deadline = engine.schedule(
                    .upgrade(.jobDeadline(upgrade: u, node: n)), after: upgrades[u].plan.jobActiveDeadline)
                upgrades[u].jobs[n] = UpgradeJob(started: now, deadline: deadline)
                startUpgradeJobPod(u, node: n)
            } else {
                cordon(n)
                upgradeNodeDrained(u, node: n, failure: nil)
            }
        }
        if upgrades[u].queue.isEmpty && upgrades[u].inProgress.isEmpty { finishUpgrade(u) }
    }

    func finishUpgrade(_ u: Int) {
        let i = upgrades[u].fault
        faults.records[i].result.stats["nodesUpgraded"] = Double(upgrades[u].upgraded)
        faults.records[i].result.stats["maxNodesUnavailable"] = Double(upgrades[u].maxUnavailable)
        faults.records[i].mark(
            .completed, now,
            "\(upgrades[u].upgraded) node(s) upgraded"
                + (upgrades[u].failures.isEmpty ? "" : "; \(upgrades[u].failures.count) drain failure(s)"))
        faults.records[i].done = true
    }

    /// Surge: the new node is Ready; now drain the old one.
    func surgeNodeReady(_ u: Int, replacing n: Int) {
        if upgrades[u].plan.nodePool != nil { poolSurgeNodeReady(u, replacing: n); return }
        addNode(like: n, name: nextNodeName(pool: nodes[n].spec.pool))
        upgrades[u].maxUnavailable = max(upgrades[u].maxUnavailable, upgrades[u].inProgress.count)
        if case .failure(let refusal) = startDrain(
            n, owner: .upgrade(u), force: true, timeout: faults.records[upgrades[u].fault].spec.timeout)
        {
            upgradeNodeDrained(u, node: n, failure: refusal.message)
        }
    }

    /// A pod of the node's upgrade Job starts: its init container drains the node.
    func startUpgradeJobPod(_ u: Int, node n: Int) {
        guard let job = upgrades[u].jobs[n], !job.failed else { return }
        switch startDrain(n, owner: .upgrade(u), force: false, timeout: faults.records[upgrades[u].fault].spec.timeout) {
        case .success(let d): upgrades[u].jobs[n]?.drain = d
        case .failure(let refusal): upgradeJobPodFailed(u, node: n, reason: refusal.message)
        }
    }

    /// The drain failed, so the Job's pod failed: the Job controller starts another after its
    /// back-off (pkg/controller/job: 10 s doubling, capped at 6 min) while the back-off limit
    /// allows; the active deadline ends the Job either way.
    func upgradeJobPodFailed(_ u: Int, node n: Int, reason: String) {
        guard var job = upgrades[u].jobs[n], !job.failed else { return }
        job.failedPods += 1
        job.lastFailure = reason
        job.drain = nil
        upgrades[u].jobs[n] = job
        guard job.failedPods <= upgrades[u].plan.jobBackoffLimit else {
            upgradeJobFailed(u, node: n, why: "backoffLimit \(upgrades[u].plan.jobBackoffLimit) reached")
            return
        }
        let backoff = min(SimTime.seconds(10) * Int64(1 << min(job.failedPods - 1, 6)), .seconds(360))
        engine.schedule(.upgrade(.jobRetry(upgrade: u, node: n)), after: backoff)
    }

    /// activeDeadlineSeconds passed: the Job fails, a drain still running is stopped.
    func upgradeJobDeadline(_ u: Int, node n: Int) {
        guard let job = upgrades[u].jobs[n], !job.failed else { return }
        if let d = job.drain, let pending = nodeDrainer.abandon(d) {
            upgrades[u].jobs[n]?.lastFailure = "drain still waiting with \(pending.count) pod(s) left"
        }
        upgradeJobFailed(u, node: n, why: "activeDeadlineSeconds \(upgrades[u].plan.jobActiveDeadline) passed")
    }

    /// The Job failed: the node is neither restarted nor upgraded and stays cordoned; it
    /// keeps its place among the plan's `concurrency` nodes, so the plan does not get past it.
    func upgradeJobFailed(_ u: Int, node n: Int, why: String) {
        upgrades[u].jobs[n]?.failed = true
        let job = upgrades[u].jobs[n]!
        upgrades[u].failures.append("\(nodes[n].name): \(job.lastFailure)")
        let i = upgrades[u].fault
        faults.records[i].result.stats["nodesUpgraded"] = Double(upgrades[u].upgraded)
        faults.records[i].markNode(.upgradeFailed, nodes[n].name, now) {
            "upgrade Job for \(describeNodes($0, noun: true)) failed (\(why), \(job.failedPods) failed pod(s)): \(job.lastFailure); the node stays cordoned and is not upgraded, and the plan does not go past it"
        }
    }

    /// The node is cordoned/drained: its K3S restarts now (in place), or it is deleted (surge).
    func upgradeNodeDrained(_ u: Int, node n: Int, failure: String?) {
        if upgrades[u].plan.strategy == .surge && upgrades[u].plan.nodePool != nil {
            poolNodeDrained(u, n, failure: failure)
            return
        }
        if upgrades[u].plan.strategy == .reboot {
            rebootIntoNewImage(u, node: n, drainFailure: failure)
            return
        }
        if let failure, upgrades[u].plan.strategy == .inPlace, upgrades[u].plan.drain {
            upgradeJobPodFailed(u, node: n, reason: failure)
            return
        }
        // The drain passed: the Job's upgrade container restarts K3S, so its deadline no longer matters.
        if let job = upgrades[u].jobs.removeValue(forKey: n) { engine.cancel(job.deadline) }
        if let failure { upgrades[u].failures.append("\(nodes[n].name): \(failure)") }
        if upgrades[u].plan.strategy == .surge {
            removeNode(n)
            upgrades[u].upgraded += 1
            engine.schedule(.upgrade(.next(upgrade: u, node: n)), after: upgrades[u].plan.postCompleteDelay)
            return
        }
        restartK3s(n, for: upgrades[u].plan.restartTime)
        engine.schedule(.upgrade(.nodeDone(upgrade: u, node: n)), after: upgrades[u].plan.restartTime)
    }

    func upgradeNodeDone(_ u: Int, node n: Int) {
        uncordon(n)
        upgrades[u].upgraded += 1
        engine.schedule(.upgrade(.next(upgrade: u, node: n)), after: upgrades[u].plan.postCompleteDelay)
    }

    func upgradeNext(_ u: Int, node n: Int) {
        upgrades[u].inProgress.remove(n)
        nodeStateChanged(n)
        advanceUpgrade(u)
    }
}

extension ClusterSimulation {
    func handle(_ event: UpgradeEvent) {
        switch event {
        case .nodeDone(let u, let n): upgradeNodeDone(u, node: n)
        case .next(let u, let n): upgradeNext(u, node: n)
        case .surgeNodeReady(let u, let n): surgeNodeReady(u, replacing: n)
        case .jobRetry(let u, let n): startUpgradeJobPod(u, node: n)
        case .jobDeadline(let u, let n): upgradeJobDeadline(u, node: n)
        case .replacementReady(let u, let n): poolReplacementReady(u, replacing: n)
        case .drainLimit(let u, let n, let d): poolDrainLimit(u, node: n, drain: d)
        case .terminate(let u, let n): poolTerminate(u, node: n)
        case .scaleUpReady(let u, let count, let n): poolScaleUpReady(u, count: count, like: n)
        case .machineRebooted(let u, let n): rebootedMachineStarts(u, node: n)
        }
    }
}
