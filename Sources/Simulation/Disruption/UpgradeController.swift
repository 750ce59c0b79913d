import KubeModel
import SimKernel

struct UpgradeState {
    let fault: FaultID
    let plan: UpgradePlan
    /// Nodes to upgrade, in order: servers first, then agents.
    var queue: [Int]
    var inProgress: Set<Int> = []
    var upgraded = 0
    var maxUnavailable = 0
    var failures: [String] = []
    /// In place: each node's upgrade Job (its pods' failed attempts; the drain running now).
    var jobs: [Int: UpgradeJob] = [:]
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

/// A node-by-node K3S upgrade driven like the system-upgrade-controller: up to `concurrency` nodes
/// at once; each is cordoned (or drained), its K3S service restarts (the kubelet stops renewing its
/// lease meanwhile; containers keep running), then it is uncordoned and, after `postCompleteDelay`,
/// the next node starts.
///
/// The same type drives surge upgrades of self-managed nodes and Talos's reboots
/// (`RebootUpgrade.swift`), which share its plan queue and events; managed node pools have their
/// own controller.
final class UpgradeController {
    /// Written only by this type; its reboot half lives in its own file as an extension, which a
    /// `private(set)` would shut out.
    ///
    /// Others read `ClusterSimulation.upgrades`.
    var upgrades: [UpgradeState] = []

    func handle(_ event: UpgradeEvent, in ctx: UpgradeControllerContext) {
        switch event {
        case .nodeDone(let u, let n): nodeDone(u, node: n, in: ctx)
        case .next(let u, let n): next(u, node: n, in: ctx)
        case .surgeNodeReady(let u, let n): surgeNodeReady(u, replacing: n, in: ctx)
        case .jobRetry(let u, let n): startJobPod(u, node: n, in: ctx)
        case .jobDeadline(let u, let n): jobDeadline(u, node: n, in: ctx)
        case .machineRebooted(let u, let n): rebootedMachineStarts(u, node: n, in: ctx)
        }
    }

    func start(fault i: FaultID, nodes targets: [Int], plan: UpgradePlan, in ctx: UpgradeControllerContext) {
        let servers = targets.filter { ctx.nodes[$0].spec.pool == "control-plane" }
        let agents = targets.filter { ctx.nodes[$0].spec.pool != "control-plane" }
        let now = ctx.now
        if plan.strategy == .surge {
            // Managed platforms upgrade their own control plane; the node pools surge.
            upgrades.append(UpgradeState(fault: i, plan: plan, queue: agents))
            ctx.updateFault(i) {
                $0.mark(
                    .started, now,
                    "surge upgrade of \(agents.count) node(s): a new node first (provisioning \(plan.provisionTime), assumption), then the old one drained and deleted; \(plan.concurrency) at a time"
                )
            }
        } else if plan.strategy == .reboot {
            upgrades.append(UpgradeState(fault: i, plan: plan, queue: servers + agents))
            ctx.updateFault(i) {
                $0.mark(
                    .started, now,
                    "talosctl upgrade node by node: \(servers.count) control-plane node(s) then \(agents.count) worker(s), \(plan.concurrency) at a time; each is cordoned and drained, stops its pods and services, installs the new image and reboots (installAndRebootTime \(plan.installAndRebootTime), assumption)"
                )
            }
        } else {
            upgrades.append(UpgradeState(fault: i, plan: plan, queue: servers + agents))
            ctx.updateFault(i) {
                $0.mark(
                    .started, now,
                    "system-upgrade-controller plan: \(servers.count) server(s) then \(agents.count) agent(s), concurrency \(plan.concurrency), \(plan.drain ? "drain" : "cordon only"), K3S restart \(plan.restartTime) (assumption)"
                )
            }
        }
        advance(upgrades.count - 1, in: ctx)
    }

    private func advance(_ u: Int, in ctx: UpgradeControllerContext) {
        while upgrades[u].inProgress.count < upgrades[u].plan.concurrency, !upgrades[u].queue.isEmpty {
            let n = upgrades[u].queue.removeFirst()
            upgrades[u].inProgress.insert(n)
            ctx.nodeStateChanged(n)
            if upgrades[u].plan.strategy == .surge {
                // maxUnavailable 0: the old node serves until its replacement is Ready.
                ctx.schedule(.surgeNodeReady(upgrade: u, replacing: n), after: upgrades[u].plan.provisionTime)
                continue
            }
            upgrades[u].maxUnavailable = max(upgrades[u].maxUnavailable, upgrades[u].inProgress.count)
            if upgrades[u].plan.strategy == .reboot {
                startRebootUpgrade(u, node: n, in: ctx)
            } else if upgrades[u].plan.drain {
                let deadline = ctx.schedule(.jobDeadline(upgrade: u, node: n), after: upgrades[u].plan.jobActiveDeadline)
                upgrades[u].jobs[n] = UpgradeJob(started: ctx.now, deadline: deadline)
                startJobPod(u, node: n, in: ctx)
            } else {
                ctx.cordon(n)
                nodeDrained(u, node: n, failure: nil, in: ctx)
            }
        }
        if upgrades[u].queue.isEmpty && upgrades[u].inProgress.isEmpty { finish(u, in: ctx) }
    }

    private func finish(_ u: Int, in ctx: UpgradeControllerContext) {
        let upgrade = upgrades[u], now = ctx.now
        ctx.updateFault(upgrade.fault) {
            $0.markUpgradeCompleted(
                upgraded: upgrade.upgraded, maxUnavailable: upgrade.maxUnavailable, failures: upgrade.failures.count, at: now)
        }
    }

    /// Surge: the new node is Ready; now drain the old one.
    private func surgeNodeReady(_ u: Int, replacing n: Int, in ctx: UpgradeControllerContext) {
        ctx.addNode(like: n, name: ctx.nextNodeName(pool: ctx.nodes[n].spec.pool))
        upgrades[u].maxUnavailable = max(upgrades[u].maxUnavailable, upgrades[u].inProgress.count)
        if case .failure(let refusal) = ctx.startDrain(
            n, owner: .upgrade(u), force: true, timeout: ctx.fault(upgrades[u].fault).spec.timeout, skipUnmanaged: false)
        {
            nodeDrained(u, node: n, failure: refusal.message, in: ctx)
        }
    }

    /// A pod of the node's upgrade Job starts: its init container drains the node.
    private func startJobPod(_ u: Int, node n: Int, in ctx: UpgradeControllerContext) {
        guard let job = upgrades[u].jobs[n], !job.failed else { return }
        switch ctx.startDrain(
            n, owner: .upgrade(u), force: false, timeout: ctx.fault(upgrades[u].fault).spec.timeout, skipUnmanaged: false)
        {
        case .success(let d): upgrades[u].jobs[n]?.drain = d
        case .failure(let refusal): jobPodFailed(u, node: n, reason: refusal.message, in: ctx)
        }
    }

    /// The drain failed, so the Job's pod failed: the Job controller starts another after its
    /// back-off (pkg/controller/job: 10 s doubling, capped at 6 min) while the back-off limit
    /// allows; the active deadline ends the Job either way.
    private func jobPodFailed(_ u: Int, node n: Int, reason: String, in ctx: UpgradeControllerContext) {
        guard var job = upgrades[u].jobs[n], !job.failed else { return }
        job.failedPods += 1
        job.lastFailure = reason
        job.drain = nil
        upgrades[u].jobs[n] = job
        guard job.failedPods <= upgrades[u].plan.jobBackoffLimit else {
            jobFailed(u, node: n, why: "backoffLimit \(upgrades[u].plan.jobBackoffLimit) reached", in: ctx)
            return
        }
        let backoff = min(SimTime.seconds(10) * Int64(1 << min(job.failedPods - 1, 6)), .seconds(360))
        ctx.schedule(.jobRetry(upgrade: u, node: n), after: backoff)
    }

    /// activeDeadlineSeconds passed: the Job fails, a drain still running is stopped.
    private func jobDeadline(_ u: Int, node n: Int, in ctx: UpgradeControllerContext) {
        guard let job = upgrades[u].jobs[n], !job.failed else { return }
        if let d = job.drain, let pending = ctx.abandonDrain(d) {
            upgrades[u].jobs[n]?.lastFailure = "drain still waiting with \(pending.count) pod(s) left"
        }
        jobFailed(u, node: n, why: "activeDeadlineSeconds \(upgrades[u].plan.jobActiveDeadline) passed", in: ctx)
    }

    /// The Job failed: the node is neither restarted nor upgraded and stays cordoned; it
    /// keeps its place among the plan's `concurrency` nodes, so the plan does not get past it.
    private func jobFailed(_ u: Int, node n: Int, why: String, in ctx: UpgradeControllerContext) {
        upgrades[u].jobs[n]?.failed = true
        let job = upgrades[u].jobs[n]!
        let name = ctx.nodes[n].name, upgraded = upgrades[u].upgraded, now = ctx.now
        upgrades[u].failures.append("\(name): \(job.lastFailure)")
        ctx.updateFault(upgrades[u].fault) {
            $0.result.stats["nodesUpgraded"] = Double(upgraded)
            $0.markNode(.upgradeFailed, name, now) {
                "upgrade Job for \(describeNodes($0, noun: true)) failed (\(why), \(job.failedPods) failed pod(s)): \(job.lastFailure); the node stays cordoned and is not upgraded, and the plan does not go past it"
            }
        }
    }

    /// The node is cordoned/drained: its K3S restarts now (in place), or it is deleted (surge).
    func nodeDrained(_ u: Int, node n: Int, failure: String?, in ctx: UpgradeControllerContext) {
        if upgrades[u].plan.strategy == .reboot {
            rebootIntoNewImage(u, node: n, drainFailure: failure, in: ctx)
            return
        }
        if let failure, upgrades[u].plan.strategy == .inPlace, upgrades[u].plan.drain {
            jobPodFailed(u, node: n, reason: failure, in: ctx)
            return
        }
        // The drain passed: the Job's upgrade container restarts K3S, so its deadline no longer matters.
        if let job = upgrades[u].jobs.removeValue(forKey: n) { ctx.cancelEvent(job.deadline) }
        if let failure { upgrades[u].failures.append("\(ctx.nodes[n].name): \(failure)") }
        if upgrades[u].plan.strategy == .surge {
            ctx.removeNode(n)
            upgrades[u].upgraded += 1
            ctx.schedule(.next(upgrade: u, node: n), after: upgrades[u].plan.postCompleteDelay)
            return
        }
        ctx.restartK3s(n, for: upgrades[u].plan.restartTime)
        ctx.schedule(.nodeDone(upgrade: u, node: n), after: upgrades[u].plan.restartTime)
    }

    private func nodeDone(_ u: Int, node n: Int, in ctx: UpgradeControllerContext) {
        ctx.uncordon(n)
        upgrades[u].upgraded += 1
        ctx.schedule(.next(upgrade: u, node: n), after: upgrades[u].plan.postCompleteDelay)
    }

    private func next(_ u: Int, node n: Int, in ctx: UpgradeControllerContext) {
        upgrades[u].inProgress.remove(n)
        ctx.nodeStateChanged(n)
        advance(u, in: ctx)
    }
}

extension FaultRecord {
    /// Every node of the plan is through: the upgrade's statistics and its last milestone.
    mutating func markUpgradeCompleted(upgraded: Int, maxUnavailable: Int, failures: Int, at now: SimTime) {
        result.stats["nodesUpgraded"] = Double(upgraded)
        result.stats["maxNodesUnavailable"] = Double(maxUnavailable)
        mark(.completed, now, "\(upgraded) node(s) upgraded" + (failures == 0 ? "" : "; \(failures) drain failure(s)"))
        done = true
    }
}
