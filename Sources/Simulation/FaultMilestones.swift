import Foundation
import KubeModel
import SimKernel

/// The milestones of each fault's timeline. These hooks are called where the API store and
/// the controllers change state; they only record (the controllers do not depend on them).
extension ClusterSimulation {
    /// The faults a node event belongs to: the latest fault that touched the node (faults
    /// injected at the same moment all count; an earlier one is over for that node), and the
    /// operator's remediations since (delete-node, out-of-service, recover), which share its
    /// timeline.
    func activeFaults(onNode n: Int) -> [Int] {
        let remediation: Set<FaultSpec.Action> = [.deleteNode, .outOfService, .recover]
        let touching = faults.records.indices.filter {
            faults.records[$0].nodes.contains(n) && faults.records[$0].spec.at <= now
        }
        let causes = touching.filter { !remediation.contains(faults.records[$0].spec.action) }
        guard let latest = causes.map({ faults.records[$0].spec.at }).max() else { return touching }
        return touching.filter { i in
            let f = faults.records[i].spec
            return remediation.contains(f.action) ? f.at >= latest : f.at == latest
        }
    }

    func faultsObserveNodeNotReady(_ n: Int, controllerRestartedAt: SimTime?) {
        let grace = params.nodeMonitorGracePeriod
        let lastRenew = leaseRenewTime(n)
        for i in activeFaults(onNode: n) {
            let crash = faults.records[i].spec.at
            let lag = (lastRenew - crash).seconds
            let why: String
            if let restarted = controllerRestartedAt, restarted > crash {
                why =
                    "counted from \(restarted), when a new kube-controller-manager leader restarted the node lifecycle controller after the control-plane outage"
            } else {
                why = "last renewal \(formatSeconds(-lag)) before the fault, node-monitor-period \(params.nodeMonitorPeriod)"
            }
            faults.records[i].markNode(.nodeNotReady, nodes[n].name, now) {
                "\(describeNodes($0, noun: true)) Ready=Unknown: no Lease renewal for node-monitor-grace-period \(grace) (\(why)); pods marked NotReady"
            }
        }
    }

    func faultsObserveNodeTainted(_ n: Int) {
        let key = nodes[n].ready == .isFalse ? Taint.notReadyKey : Taint.unreachableKey
        for i in activeFaults(onNode: n) {
            faults.records[i].markNode(.nodeTainted, nodes[n].name, now) {
                "\(key):NoExecute on \(describeNodes($0)) via the zone rate limiter (node-eviction-rate \(params.nodeEvictionRate)/s, burst 1)"
            }
        }
    }

    func faultsObservePodEvicted(_ id: Int, node n: Int) {
        if let p = pods[id], case .statefulSet = p.owner, !nodes[n].up {
            faultsObserve(
                .statefulPodStuck, onNode: n,
                "\(p.key) stays Terminating on the unreachable node: a StatefulSet never runs two pods of one identity, so no replacement until the pod is force-deleted, the Node is deleted (delete-node) or tainted node.kubernetes.io/out-of-service (out-of-service)"
            )
        }
        for i in activeFaults(onNode: n) {
            faults.records[i].mark(
                .podsEvicted, now,
                "taint eviction: tolerationSeconds \(params.defaultUnreachableTolerationSeconds) s (DefaultTolerationSeconds) after the taint; their controllers create replacements",
                replace: true)
        }
    }

    func faultsObserveZoneState(zone z: Int?, state: ZoneState, notReady: Int, size: Int, taintingStopped: Bool) {
        for i in faults.records.indices where !faults.records[i].nodes.isEmpty {
            guard let z else {
                faults.records[i].mark(
                    .evictionsHalted, now,
                    "every zone in FullDisruption: master disruption mode, NoExecute taints removed and tainting stopped")
                continue
            }
            guard faults.records[i].nodes.contains(where: { nodes[$0].zone == z }) else { continue }
            if state == .partialDisruption && taintingStopped {
                faults.records[i].mark(
                    .evictionsHalted, now,
                    "zone \(zoneLabel(z)) PartialDisruption: \(notReady)/\(size) nodes not ready ≥ unhealthy-zone-threshold \(params.unhealthyZoneThreshold) in a zone of ≤ large-cluster-size-threshold \(params.largeClusterSizeThreshold) nodes: NoExecute tainting stops"
                )
            }
        }
    }

    func zoneLabel(_ z: Int) -> String {
        zones[z].label
    }

    func faultsObserveProgressDeadline(_ d: Int) {
        for i in faults.records.indices where faults.records[i].deployment == d && !faults.records[i].done {
            faults.records[i].mark(
                .progressDeadlineExceeded, now,
                "no progress for progressDeadlineSeconds \(deployments[d].object.progressDeadlineSeconds ?? 0)")
        }
    }

    func faultsObserveDeployment(_ d: Int, status: (replicas: Int, updated: Int, ready: Int, available: Int), complete: Bool) {
        for i in faults.records.indices where faults.records[i].deployment == d && !faults.records[i].done {
            let old = faults.records[i].result.stats["minAvailable"] ?? Double(status.available)
            faults.records[i].result.stats["minAvailable"] = min(old, Double(status.available))
            if complete && faults.records[i].has(.started) {
                faults.records[i].mark(
                    .completed, now,
                    "DeploymentComplete: \(status.updated) updated, \(status.available) available of \(deployments[d].object.replicas)"
                )
                faults.records[i].done = true
            }
        }
    }

    func faultsObserveWorkload(_ w: Int, pods count: Int) {
        for i in faults.records.indices where !faults.records[i].done {
            // Most faults are about other workloads: skip them before copying the record.
            guard faults.records[i].workload == w || faults.records[i].affected.contains(w) else { continue }
            let f = faults.records[i]
            if f.workload == w, f.spec.action == .rollout {
                faults.records[i].result.stats["maxPods"] = max(f.result.stats["maxPods"] ?? 0, Double(count))
                if f.deployment == nil {
                    // StatefulSets and DaemonSets: available = Ready (no minReadySeconds here).
                    faults.records[i].result.stats["minAvailable"] = min(
                        f.result.stats["minAvailable"] ?? .infinity, Double(workloads[w].ready))
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
                faultsCheckPartitionRecovered(i)
                continue
            }
            let atDesired: (Int) -> Bool = { self.workloads[$0].ready >= self.workloads[$0].desired }
            if !f.has(.replacementsReady), !f.replaceable.isEmpty, f.has(.podsEvicted) || f.spec.action == .deletePod,
                f.replaceable.allSatisfy(atDesired)
            {
                faults.records[i].mark(
                    .replacementsReady, now,
                    "replacement pods scheduled, image pulled, container started and readiness probe passed")
            }
            if f.affected.allSatisfy(atDesired) {
                faults.records[i].mark(.recovered, now, "every affected workload back at its desired ready replicas")
                faults.records[i].done = true
            }
        }
    }

    /// A control-plane milestone goes to the faults that caused it (`causes`: the faults on
    /// the leader's or Lease holder's server, on the members cut off, or the partition that
    /// isolates them), the first occurrence of each name per fault. Without a known cause
    /// (the cluster's own churn) it goes to the latest running fault that touches the
    /// control plane (a server crash, a partition, an upgrade of servers).
    func faultsObserveControlPlane(_ name: MilestoneName, _ mechanism: String, causes: [Int]) {
        var targets = causes
        if targets.isEmpty {
            let servers = Set(serverNodes)
            let touching = faults.records.indices.filter { i in
                let f = faults.records[i]
                return f.spec.at <= now && (f.spec.action == .partition || f.nodes.contains { servers.contains($0) })
            }
            if let latest = touching.map({ faults.records[$0].spec.at }).max() {
                targets = touching.filter { faults.records[$0].spec.at == latest }
            }
        }
        for i in targets where !faults.records[i].has(name) {
            faults.records[i].mark(name, now, mechanism)
        }
    }

    /// The running faults on any of `nodes`, in fault order.
    func faultsCausing(nodes: [Int]) -> [Int] {
        var causes = Set<Int>()
        for n in nodes { causes.formUnion(activeFaults(onNode: n)) }
        return causes.sorted()
    }

    func faultsObserveMultiAttach(_ v: Int, wantedOn n: Int, attachedTo other: Int) {
        faultsObserve(
            .volumeMultiAttach, onNode: other,
            "Multi-Attach: \(volumes[v].claim) (ReadWriteOnce) is still attached to \(nodes[other].name); the pod on \(nodes[n].name) waits for the detach"
        )
    }

    func faultsObserveVolume(_ v: Int, node n: Int, name: MilestoneName, _ mechanism: String) {
        faultsObserve(name, onNode: n, "\(volumes[v].claim): \(mechanism)")
    }

    /// `name` goes to the running faults on node `n` that have not reached it yet.
    func faultsObserve(_ name: MilestoneName, onNode n: Int, _ mechanism: String) {
        for f in activeFaults(onNode: n) where !faults.records[f].has(name) { faults.records[f].mark(name, now, mechanism) }
    }

    /// Milestones of a primary change also go to delete-pod faults on the cluster's pods.
    func faultsObservePodDeletion(workload w: Int, _ name: MilestoneName, _ mechanism: String) {
        for f in faults.records.indices
        where faults.records[f].spec.action == .deletePod && !faults.records[f].done
            && faults.records[f].affected.contains(w) && !faults.records[f].has(name)
        {
            faults.records[f].mark(name, now, mechanism)
        }
    }

    func startWorkloadRollout(_ i: Int, workload w: Int, _ mechanism: String) {
        faults.records[i].workload = w
        faults.records[i].result.stats["maxPods"] = Double(workloads[w].pods)
        faults.records[i].result.stats["minAvailable"] = Double(workloads[w].ready)
        faults.records[i].mark(.started, now, mechanism)
    }

    /// A StatefulSet or DaemonSet rollout is complete.
    func faultsObserveRolloutDone(workload w: Int, _ mechanism: String) {
        for i in faults.records.indices
        where faults.records[i].workload == w && faults.records[i].spec.action == .rollout
            && !faults.records[i].done && faults.records[i].spec.at < now
        {
            faults.records[i].mark(.completed, now, mechanism)
            faults.records[i].done = true
        }
    }

    func faultsObserveDrainEnded(_ i: Int, drain: DrainState, failure: String?) {
        faults.records[i].result.stats["evictionRetries", default: 0] += Double(drain.retries)
        if let failure {
            faults.records[i].mark(.drainFailed, now, failure)
        } else {
            faults.records[i].mark(
                .drained, now,
                "every pod evicted and gone (DaemonSet pods stay); \(drain.retries) eviction(s) answered 429 by a PodDisruptionBudget and retried every 5 s"
            )
        }
        faults.records[i].done = true
    }

    /// The kubelet itself reported Ready=False (container runtime down).
    func faultsObserveNodeReportedNotReady(_ n: Int) {
        for i in activeFaults(onNode: n) {
            faults.records[i].markNode(.nodeNotReady, nodes[n].name, now) {
                "\(describeNodes($0, noun: true)) Ready=False (KubeletNotReady: container runtime is down), posted by the kubelet, whose Lease stays fresh; its pods stay Ready until evicted"
            }
        }
    }

    /// A kubelet that kept running posted Ready=True again (after a partition, a control-plane
    /// outage or a K3S restart).
    func faultsObserveNodeStatusPosted(_ n: Int, _ why: String) {
        for i in activeFaults(onNode: n) {
            faults.records[i].markNode(.nodeReady, nodes[n].name, now) {
                "\(describeNodes($0, noun: true)) Ready=True: \(why); NoExecute taints go at the next monitor pass"
            }
            if faults.records[i].spec.action == .partition { faultsCheckPartitionRecovered(i) }
        }
    }

    /// A partition is over once it healed, every node it cut off is Ready again and the
    /// workloads that served there are back at their desired ready replicas.
    func faultsCheckPartitionRecovered(_ i: Int) {
        let f = faults.records[i]
        guard !f.done, f.has(.healed), f.nodes.allSatisfy({ nodes[$0].ready == .isTrue }),
            f.affected.allSatisfy({ workloads[$0].ready >= workloads[$0].desired })
        else { return }
        faults.records[i].mark(.recovered, now, "every node Ready and every affected workload back at its desired ready replicas")
        faults.records[i].done = true
    }

    func faultsObserveNodeReady(_ n: Int) {
        for i in activeFaults(onNode: n) where faults.records[i].has(.powerOn) || faults.records[i].spec.action == .recover {
            faults.records[i].mark(
                .nodeReady, now,
                "kubelet up after nodeBootTime \(params.nodeBootTime) (assumption), Ready=True; NoExecute taints removed")
        }
    }
}
