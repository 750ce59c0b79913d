import Foundation
import KubeModel
import SimKernel

/// The fault timelines: one record per injected fault with the milestones that followed it.
///
/// The injector opens a record when it schedules a fault and notes what the fault hit; the other
/// components report what happened through the methods here, which only record (no component
/// depends on them), and the run record reads `records` and `results`.
final class FaultTimelines {
    private(set) var records: [FaultRecord] = []

    /// The timelines as the run record holds them, in fault order.
    var results: [FaultResult] { records.map(\.result) }

    /// Opens the timeline of a fault; its index.
    func add(_ spec: FaultSpec) -> FaultID {
        let i = FaultID(records.count)
        records.append(
            FaultRecord(
                result: FaultResult(
                    index: i.index, action: spec.action.rawValue, target: spec.target.description, at: spec.at.seconds),
                spec: spec))
        return i
    }

    /// What the fault's own actor (the injector, the upgrade controllers) notes: what it hit,
    /// its statistics, its milestones, that it is over.
    func update(_ i: FaultID, _ change: (inout FaultRecord) -> Void) { change(&records[i]) }

    func mark(_ i: FaultID, _ name: MilestoneName, _ t: SimTime, _ mechanism: String, replace: Bool = false) {
        records[i].mark(name, t, mechanism, replace: replace)
    }

    /// The faults a node event belongs to: the latest fault that touched the node (faults
    /// injected at the same moment all count; an earlier one is over for that node), and the
    /// operator's remediations since (delete-node, out-of-service, recover), which share its
    /// timeline.
    func activeFaults(onNode n: Int, at now: SimTime) -> [FaultID] {
        let remediation: Set<FaultSpec.Action> = [.deleteNode, .outOfService, .recover]
        let touching = records.ids.filter { records[$0].nodes.contains(n) && records[$0].spec.at <= now }
        let causes = touching.filter { !remediation.contains(records[$0].spec.action) }
        guard let latest = causes.map({ records[$0].spec.at }).max() else { return touching }
        return touching.filter { i in
            let f = records[i].spec
            return remediation.contains(f.action) ? f.at >= latest : f.at == latest
        }
    }

    /// The running faults on any of `nodes`, in fault order.
    func faultsCausing(nodes: [Int], at now: SimTime) -> [FaultID] {
        var causes = Set<FaultID>()
        for n in nodes { causes.formUnion(activeFaults(onNode: n, at: now)) }
        return causes.sorted()
    }

    /// `name` goes to the running faults on node `n` that have not reached it yet.
    func nodeMilestone(_ name: MilestoneName, onNode n: Int, _ mechanism: String, at now: SimTime) {
        for f in activeFaults(onNode: n, at: now) where !records[f].has(name) { records[f].mark(name, now, mechanism) }
    }

    /// A control-plane milestone goes to the faults that caused it (`causes`: the faults on the
    /// leader's or Lease holder's server, on the members cut off, or the partition that isolates
    /// them), the first occurrence of each name per fault.
    ///
    /// Without a known cause (the cluster's own churn) it goes to the latest running fault that
    /// touches the control plane (a server crash, a partition, an upgrade of servers).
    func controlPlaneMilestone(_ name: MilestoneName, _ mechanism: String, causes: [FaultID], in ctx: FaultTimelinesContext) {
        var targets = causes
        let now = ctx.now
        if targets.isEmpty {
            let servers = Set(ctx.serverNodes)
            let touching = records.ids.filter { i in
                let f = records[i]
                return f.spec.at <= now && (f.spec.action == .partition || f.nodes.contains { servers.contains($0) })
            }
            if let latest = touching.map({ records[$0].spec.at }).max() {
                targets = touching.filter { records[$0].spec.at == latest }
            }
        }
        for i in targets where !records[i].has(name) {
            records[i].mark(name, now, mechanism)
        }
    }

    /// Milestones of a primary change also go to delete-pod faults on the cluster's pods.
    func podDeletionMilestone(workload w: WorkloadID, _ name: MilestoneName, _ mechanism: String, at now: SimTime) {
        for f in records.ids
        where records[f].spec.action == .deletePod && !records[f].done && records[f].affected.contains(w)
            && !records[f].has(name)
        {
            records[f].mark(name, now, mechanism)
        }
    }

    /// A container of a crash-container or fail-probe fault's pod exited, failed a probe or
    /// started again.
    func containerMilestone(pod: PodID, key: String, _ name: MilestoneName, _ mechanism: String, restarts: Int, at now: SimTime) {
        for i in records.ids where records[i].pod == pod {
            // The first exit and the first probe failure start the timeline; the restart shown is the latest.
            records[i].mark(name, now, "\(key): \(mechanism)", replace: name == .containerRestarted)
            records[i].result.stats["restartCount"] = Double(restarts)
        }
    }

    func drainEnded(_ i: FaultID, drain: DrainState, failure: String?, at now: SimTime) {
        records[i].result.stats["evictionRetries", default: 0] += Double(drain.retries)
        if let failure {
            records[i].mark(.drainFailed, now, failure)
        } else {
            records[i].mark(
                .drained, now,
                "every pod evicted and gone (DaemonSet pods stay); \(drain.retries) eviction(s) answered 429 by a PodDisruptionBudget and retried every 5 s"
            )
        }
        records[i].done = true
    }

    // MARK: Workloads
    // Rollouts and scalings progress and complete; the workloads a fault hit come back to
    // their desired ready replicas.

    /// A StatefulSet or DaemonSet rollout starts: the counts its statistics follow from.
    func rolloutStarted(_ i: FaultID, workload w: WorkloadID, _ mechanism: String, in ctx: FaultTimelinesContext) {
        records[i].workload = w
        records[i].result.stats["maxPods"] = Double(ctx.workloads[w].pods)
        records[i].result.stats["minAvailable"] = Double(ctx.workloads[w].ready)
        records[i].mark(.started, ctx.now, mechanism)
    }

    /// A StatefulSet or DaemonSet rollout is complete.
    func rolloutDone(workload w: WorkloadID, _ mechanism: String, at now: SimTime) {
        for i in records.ids
        where records[i].workload == w && records[i].spec.action == .rollout && !records[i].done
            && records[i].spec.at < now
        {
            records[i].mark(.completed, now, mechanism)
            records[i].done = true
        }
    }

    func progressDeadlineExceeded(deployment d: Int, in ctx: FaultTimelinesContext) {
        for i in records.ids where records[i].deployment == d && !records[i].done {
            records[i].mark(
                .progressDeadlineExceeded, ctx.now,
                "no progress for progressDeadlineSeconds \(ctx.deployments[d].object.progressDeadlineSeconds ?? 0)")
        }
    }

    func deploymentStatusChanged(
        _ d: Int, status: (replicas: Int, updated: Int, ready: Int, available: Int), complete: Bool,
        in ctx: FaultTimelinesContext
    ) {
        for i in records.ids where records[i].deployment == d && !records[i].done {
            let old = records[i].result.stats["minAvailable"] ?? Double(status.available)
            records[i].result.stats["minAvailable"] = min(old, Double(status.available))
            if complete && records[i].has(.started) {
                records[i].mark(
                    .completed, ctx.now,
                    "DeploymentComplete: \(status.updated) updated, \(status.available) available of \(ctx.deployments[d].object.replicas)"
                )
                records[i].done = true
            }
        }
    }

    /// A workload's ready count changed (measurement calls this after every change).
    func workloadChanged(_ w: WorkloadID, pods count: Int, in ctx: FaultTimelinesContext) {
        let now = ctx.now
        for i in records.ids where !records[i].done {
            // Most faults are about other workloads: skip them before copying the record.
            guard records[i].workload == w || records[i].affected.contains(w) else { continue }
            let f = records[i]
            if f.workload == w, f.spec.action == .rollout {
                records[i].result.stats["maxPods"] = max(f.result.stats["maxPods"] ?? 0, Double(count))
                if f.deployment == nil {
                    // StatefulSets and DaemonSets: available = Ready (no minReadySeconds here).
                    records[i].result.stats["minAvailable"] = min(
                        f.result.stats["minAvailable"] ?? .infinity, Double(ctx.workloads[w].ready))
                }
            }
            guard f.affected.contains(w), now > f.spec.at else { continue }
            // A container fault is over once its pod failed and came back, not before.
            if f.spec.action == .crashContainer || f.spec.action == .failProbe,
                !f.has(.containerRestarted) && !f.has(.probeFailed)
            {
                continue
            }
            if f.spec.action == .partition {
                checkPartitionRecovered(i, in: ctx)
                continue
            }
            let workloads = ctx.workloads
            let atDesired: (WorkloadID) -> Bool = { workloads[$0].ready >= workloads[$0].desired }
            if !f.has(.replacementsReady), !f.replaceable.isEmpty, f.has(.podsEvicted) || f.spec.action == .deletePod,
                f.replaceable.allSatisfy(atDesired)
            {
                records[i].mark(
                    .replacementsReady, now,
                    "replacement pods scheduled, image pulled, container started and readiness probe passed")
            }
            if f.affected.allSatisfy(atDesired) {
                records[i].mark(.recovered, now, "every affected workload back at its desired ready replicas")
                records[i].done = true
            }
        }
    }

    /// A partition is over once it healed, every node it cut off is Ready again and the
    /// workloads that served there are back at their desired ready replicas.
    func checkPartitionRecovered(_ i: FaultID, in ctx: FaultTimelinesContext) {
        let f = records[i]
        let (nodes, workloads) = (ctx.nodes, ctx.workloads)
        guard !f.done, f.has(.healed), f.nodes.allSatisfy({ nodes[$0].ready == .isTrue }),
            f.affected.allSatisfy({ workloads[$0].ready >= workloads[$0].desired })
        else { return }
        records[i].mark(.recovered, ctx.now, "every node Ready and every affected workload back at its desired ready replicas")
        records[i].done = true
    }

    // MARK: Nodes and volumes
    // The node lifecycle controller marks and taints them, the taint eviction controller
    // evicts their pods, the kubelet posts their status again, the cloud controller manager
    // deletes them, volumes detach.

    func nodeMarkedUnknown(_ n: Int, controllerRestartedAt: SimTime?, in ctx: FaultTimelinesContext) {
        let grace = ctx.params.nodeMonitorGracePeriod
        let lastRenew = ctx.leaseRenewTime(n)
        for i in activeFaults(onNode: n, at: ctx.now) {
            let crash = records[i].spec.at
            let lag = (lastRenew - crash).seconds
            let why: String
            if let restarted = controllerRestartedAt, restarted > crash {
                why =
                    "counted from \(restarted), when a new kube-controller-manager leader restarted the node lifecycle controller after the control-plane outage"
            } else {
                why = "last renewal \(formatSeconds(-lag)) before the fault, node-monitor-period \(ctx.params.nodeMonitorPeriod)"
            }
            records[i].markNode(.nodeNotReady, ctx.nodes[n].name, ctx.now) {
                "\(describeNodes($0, noun: true)) Ready=Unknown: no Lease renewal for node-monitor-grace-period \(grace) (\(why)); pods marked NotReady"
            }
        }
    }

    func nodeTainted(_ n: Int, in ctx: FaultTimelinesContext) {
        let key = ctx.nodes[n].ready == .isFalse ? Taint.notReadyKey : Taint.unreachableKey
        let rate = ctx.params.nodeEvictionRate
        for i in activeFaults(onNode: n, at: ctx.now) {
            records[i].markNode(.nodeTainted, ctx.nodes[n].name, ctx.now) {
                "\(key):NoExecute on \(describeNodes($0)) via the zone rate limiter (node-eviction-rate \(rate)/s, burst 1)"
            }
        }
    }

    func podEvicted(_ id: PodID, node n: Int, in ctx: FaultTimelinesContext) {
        if let p = ctx.pods[id], case .statefulSet = p.owner, !ctx.nodes[n].up {
            nodeMilestone(
                .statefulPodStuck, onNode: n,
                "\(p.key) stays Terminating on the unreachable node: a StatefulSet never runs two pods of one identity, so no replacement until the pod is force-deleted, the Node is deleted (delete-node) or tainted node.kubernetes.io/out-of-service (out-of-service)",
                at: ctx.now)
        }
        for i in activeFaults(onNode: n, at: ctx.now) {
            records[i].mark(
                .podsEvicted, ctx.now,
                "taint eviction: tolerationSeconds \(ctx.params.defaultUnreachableTolerationSeconds) s (DefaultTolerationSeconds) after the taint; their controllers create replacements",
                replace: true)
        }
    }

    func zoneStateChanged(
        zone z: Int?, state: ZoneState, notReady: Int, size: Int, taintingStopped: Bool, in ctx: FaultTimelinesContext
    ) {
        for i in records.ids where !records[i].nodes.isEmpty {
            guard let z else {
                records[i].mark(
                    .evictionsHalted, ctx.now,
                    "every zone in FullDisruption: master disruption mode, NoExecute taints removed and tainting stopped")
                continue
            }
            guard records[i].nodes.contains(where: { ctx.nodes[$0].zone == z }) else { continue }
            if state == .partialDisruption && taintingStopped {
                records[i].mark(
                    .evictionsHalted, ctx.now,
                    "zone \(ctx.zoneLabel(z)) PartialDisruption: \(notReady)/\(size) nodes not ready ≥ unhealthy-zone-threshold \(ctx.params.unhealthyZoneThreshold) in a zone of ≤ large-cluster-size-threshold \(ctx.params.largeClusterSizeThreshold) nodes: NoExecute tainting stops"
                )
            }
        }
    }

    /// The kubelet itself reported Ready=False (container runtime down).
    func nodeReportedNotReady(_ n: Int, in ctx: FaultTimelinesContext) {
        for i in activeFaults(onNode: n, at: ctx.now) {
            records[i].markNode(.nodeNotReady, ctx.nodes[n].name, ctx.now) {
                "\(describeNodes($0, noun: true)) Ready=False (KubeletNotReady: container runtime is down), posted by the kubelet, whose Lease stays fresh; its pods stay Ready until evicted"
            }
        }
    }

    /// A kubelet that kept running posted Ready=True again (after a partition, a control-plane
    /// outage or a K3S restart).
    func nodeStatusPosted(_ n: Int, _ why: String, in ctx: FaultTimelinesContext) {
        for i in activeFaults(onNode: n, at: ctx.now) {
            records[i].markNode(.nodeReady, ctx.nodes[n].name, ctx.now) {
                "\(describeNodes($0, noun: true)) Ready=True: \(why); NoExecute taints go at the next monitor pass"
            }
            if records[i].spec.action == .partition { checkPartitionRecovered(i, in: ctx) }
        }
    }

    /// A machine that was switched on again has its kubelet up and Ready.
    func nodeBootedReady(_ n: Int, in ctx: FaultTimelinesContext) {
        for i in activeFaults(onNode: n, at: ctx.now) where records[i].has(.powerOn) || records[i].spec.action == .recover {
            records[i].mark(
                .nodeReady, ctx.now,
                "kubelet up after nodeBootTime \(ctx.params.nodeBootTime) (assumption), Ready=True; NoExecute taints removed")
        }
    }

    /// The cloud controller manager deleted the Node of a deleted server.
    func nodeDeletedByCloud(_ n: Int, orphanPodQuarantine: SimTime, in ctx: FaultTimelinesContext) {
        for i in activeFaults(onNode: n, at: ctx.now) where !records[i].has(.nodeDeleted) {
            records[i].mark(
                .nodeDeleted, ctx.now,
                "the cloud controller manager deleted Node \(ctx.nodes[n].name): its server is gone; PodGC force-deletes its pods after \(orphanPodQuarantine)"
            )
        }
    }

    func volumeMultiAttach(_ v: Int, wantedOn n: Int, attachedTo other: Int, in ctx: FaultTimelinesContext) {
        nodeMilestone(
            .volumeMultiAttach, onNode: other,
            "Multi-Attach: \(ctx.volumes[v].claim) (ReadWriteOnce) is still attached to \(ctx.nodes[other].name); the pod on \(ctx.nodes[n].name) waits for the detach",
            at: ctx.now)
    }

    func volumeMilestone(_ v: Int, node n: Int, name: MilestoneName, _ mechanism: String, in ctx: FaultTimelinesContext) {
        nodeMilestone(name, onNode: n, "\(ctx.volumes[v].claim): \(mechanism)", at: ctx.now)
    }
}
