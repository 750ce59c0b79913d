import Foundation
import KubeModel
import SimKernel

/// One injected fault and what is tracked for its timeline.
struct FaultRecord {
    var result: FaultResult
    let spec: FaultSpec
    var nodes: [Int] = []
    /// Workloads that lost serving pods when the fault hit, and those of them that a
    /// controller replaces (Deployment, ReplicaSet).
    var affected: Set<Int> = []
    var replaceable: Set<Int> = []
    var deployment: Int?
    var workload: Int?
    var done = false
    /// Per node milestone: the nodes it happened to so far, in order.
    var milestoneNodes: [String: [String]] = [:]

    mutating func mark(_ name: String, _ t: SimTime, _ mechanism: String, replace: Bool = false) {
        if let i = result.milestones.firstIndex(where: { $0.name == name }) {
            guard replace else { return }
            result.milestones[i] = Milestone(name: name, at: t.seconds, mechanism: mechanism)
        } else {
            result.milestones.append(Milestone(name: name, at: t.seconds, mechanism: mechanism))
        }
    }

    func has(_ name: String) -> Bool { result.milestones.contains { $0.name == name } }

    /// A milestone that happens node by node (a zone fault hits several): one line naming
    /// every node so far, at the time of the latest. `text` gets the nodes' names.
    mutating func markNode(_ name: String, _ node: String, _ t: SimTime, _ text: ([String]) -> String) {
        var list = milestoneNodes[name] ?? []
        if !list.contains(node) { list.append(node) }
        milestoneNodes[name] = list
        mark(name, t, text(list), replace: true)
    }
}

struct FaultState {
    var records: [FaultRecord] = []
}

/// The fault injector and the milestones of each fault's timeline. The hooks
/// (`faultsObserve…`) are called where the API store changes; they only record.
extension ClusterSimulation {
    func setUpFaults() {
        for (i, f) in spec.faults.enumerated() {
            faults.records.append(FaultRecord(
                result: FaultResult(index: i, action: f.action.rawValue, target: f.target.description, at: f.at.seconds),
                spec: f))
            engine.schedule(.fault(i), at: f.at)
        }
    }

    func resolveNodes(_ f: FaultSpec) -> [Int] {
        switch f.target {
        case .node(let name): return nodeIndex[name].map { [$0] } ?? []
        case .nodeOfPod(let ns, let name):
            return pods.values.first { $0.namespace == ns && $0.name == name && !$0.isTerminating }?.node.map { [$0] } ?? []
        case .zone(let z):
            let all = nodes.indices.filter {
                nodes[$0].labels["topology.kubernetes.io/zone"] == z || nodes[$0].labels["topology.kubernetes.io/region"] == z
            }
            return Array(all.prefix(f.count ?? all.count))
        case .pool(let p):
            let all = nodes.indices.filter { nodes[$0].spec.pool == p }
            return Array(all.prefix(f.count ?? all.count))
        case .cluster: return Array(nodes.indices)
        case .controlPlaneLeader:
            if let l = etcd.leader { return [etcd.members[l].node] }
            return serverNodes.first.map { [$0] } ?? []
        case .deployment, .pod, .statefulSet, .daemonSet: return []
        }
    }

    func deploymentIndex(_ ns: String, _ name: String) -> Int? {
        deployments.firstIndex { $0.object.metadata.namespace == ns && $0.object.metadata.name == name }
    }

    func injectFault(_ i: Int) {
        let f = faults.records[i].spec
        switch f.action {
        case .crash, .outage:
            crashMachines(i, resolveNodes(f))
            if let d = f.duration { engine.schedule(.faultRecover(i), at: f.at + d) }
        case .drain:
            let targets = resolveNodes(f)
            faults.records[i].nodes = targets
            faults.records[i].result.stats["evictionRetries"] = 0
            for n in targets {
                switch startDrain(n, owner: .fault(i), force: f.force, timeout: f.timeout) {
                case .success: faults.records[i].mark("cordoned", now, "kubectl drain: spec.unschedulable=true (taint \(Taint.unschedulableKey):NoSchedule); pods evicted in parallel through the eviction API")
                case .failure(let refusal):
                    faults.records[i].mark("drainFailed", now, refusal.message)
                    faults.records[i].done = true
                }
            }
        case .partition:
            let targets = resolveNodes(f)
            noteAffectedWorkloads(i, targets)
            let zones = Set(targets.map { nodes[$0].zone })
            faults.records[i].mark("partitioned", now, "network partition: \(zones.map(zoneLabel).sorted().joined(separator: ", ")) cut off from the other locations; the raft minority side cannot write, kubelets there cannot renew their Leases")
            setPartition(isolating: zones)
            if let d = f.duration { engine.schedule(.faultRecover(i), at: f.at + d) }
        case .hostFailure:
            // Hetzner: the server shuts off and restarts on another host in the same location.
            crashMachines(i, resolveNodes(f))
            let delay = f.duration ?? params.hostFailureRestartDelay
            faults.records[i].mark("hostFailed", now, "host failure: the server is off until Hetzner restarts it on another host after \(delay) (hostFailureRestartDelay, assumption)")
            engine.schedule(.faultRecover(i), at: f.at + delay)
        case .deleteNode:
            let targets = resolveNodes(f)
            faults.records[i].nodes = targets
            for n in targets { deleteNodeObject(n) }
            faults.records[i].mark("nodeDeleted", now, "Node object deleted: PodGC force-deletes its pods after the \(spec.storage.orphanPodQuarantine) quarantine; their volumes are detached (6 min after, the node being unhealthy)")
        case .outOfService:
            let targets = resolveNodes(f)
            faults.records[i].nodes = targets
            for n in targets { addTaint(n, Taint(key: Taint.outOfServiceKey, value: "nodeshutdown", effect: .NoExecute)) }
            faults.records[i].mark("outOfService", now, "taint node.kubernetes.io/out-of-service=nodeshutdown:NoExecute: pods evicted at once, PodGC force-deletes them on the NotReady node, volumes force-detached without the 6-minute wait")
        case .deleteServer:
            crashMachines(i, resolveNodes(f))
            for n in faults.records[i].nodes { store.update(node: n) { $0.serverDeleted = true } }
            faults.records[i].mark("serverDeleted", now, "server deleted at Hetzner: the hcloud cloud controller manager deletes the Node once it is NotReady (its cloud node lifecycle loop, every 5 s)")
        case .slowDisk:
            // Every write waits for the leader's and a follower's fsync: the extra latency adds
            // to each API write and to each election round.
            let extra = f.latency ?? .milliseconds(100)
            faults.records[i].nodes = resolveNodes(f)
            params.apiLatency += extra
            spec.controlPlane.memberRoundTrip += extra
            faults.records[i].mark("slowDisk", now, "etcd fsync \(extra) slower: every API write and every election round waits for it")
            if let d = f.duration { engine.schedule(.faultRecover(i), at: f.at + d) }
        case .restart:
            let duration = f.duration ?? f.upgrade.restartTime
            noteAffectedWorkloads(i, resolveNodes(f))
            for n in faults.records[i].nodes { restartK3s(n, for: duration) }
            faults.records[i].mark("restarted", now, "K3S service stopped for \(duration): kubelet (no Lease, no status)\(faults.records[i].nodes.contains(where: serverNodes.contains) ? ", etcd member, API server, controller-manager and scheduler" : ""); containers keep running")
        case .runtimeDown:
            noteAffectedWorkloads(i, resolveNodes(f))
            for n in faults.records[i].nodes {
                kubeletStatus.runtimeDown.insert(n)
                requestNodeStatusSync(n)
            }
            faults.records[i].mark("runtimeDown", now, "container runtime down: the kubelet keeps renewing its Lease but reports Ready=False at its next status sync; containers keep running, none start or stop")
            if let d = f.duration { engine.schedule(.faultRecover(i), at: f.at + d) }
        case .uncordon:
            for n in resolveNodes(f) { uncordon(n) }
            faults.records[i].mark("uncordoned", now, "spec.unschedulable=false")
        case .upgrade:
            let targets = resolveNodes(f)
            faults.records[i].nodes = targets
            startUpgrade(fault: i, nodes: targets, plan: f.upgrade)
        case .recover:
            let targets = resolveNodes(f)
            faults.records[i].nodes = targets
            // The machines it switches on, and the faults that had stopped them: their
            // timelines go on to nodeReady, and the recover's lists the same steps.
            let down = targets.filter { !nodes[$0].up && !nodes[$0].serverDeleted }
            for n in down {
                for c in activeFaults(onNode: n) where faults.records[c].spec.action != .recover {
                    faults.records[c].mark("powerOn", now, "machine switched back on by recover (fault \(i))")
                }
                powerOnNode(n)
            }
            if !down.isEmpty {
                faults.records[i].mark("powerOn", now, "\(describeNodes(down.map { nodes[$0].name }, noun: true)) switched back on; the kubelet is up after nodeBootTime \(params.nodeBootTime) (assumption)")
            }
            // A partition of the target's locations heals too; its recovery milestones go to
            // both faults.
            for p in faults.records.indices where faults.records[p].spec.action == .partition
            && faults.records[p].has("partitioned") && !faults.records[p].has("healed")
            && faults.records[p].nodes.contains(where: targets.contains) {
                faults.records[i].affected.formUnion(faults.records[p].affected)
                faults.records[i].mark("healed", now, "network partition of fault \(p) healed by recover")
                healPartition(p, "network partition healed by recover (fault \(i))")
            }
        case .rollout:
            if case .statefulSet(let ns, let name) = f.target,
               let s = statefulSets.firstIndex(where: { $0.object.metadata.namespace == ns && $0.object.metadata.name == name }) {
                startWorkloadRollout(i, workload: statefulSets[s].workload,
                    "new pod template; StatefulSet RollingUpdate: one pod at a time from the highest ordinal, each back Running and Ready before the next")
                updateStatefulSetTemplate(s, image: f.image)
                return
            }
            if case .daemonSet(let ns, let name) = f.target,
               let d = daemonSets.firstIndex(where: { $0.object.metadata.namespace == ns && $0.object.metadata.name == name }) {
                startWorkloadRollout(i, workload: daemonSets[d].workload,
                    "new pod template; DaemonSet RollingUpdate maxUnavailable \(daemonSets[d].object.maxUnavailable): old pods deleted node by node")
                updateDaemonSetTemplate(d, image: f.image)
                return
            }
            guard case .deployment(let ns, let name) = f.target, let d = deploymentIndex(ns, name) else { return }
            faults.records[i].deployment = d
            faults.records[i].workload = deployments[d].workload
            let obj = deployments[d].object
            let surge = RollingUpdateMath.maxSurge(obj), unavailable = RollingUpdateMath.maxUnavailable(obj)
            faults.records[i].result.stats["maxPods"] = Double(workloads[deployments[d].workload].pods)
            faults.records[i].result.stats["minAvailable"] = Double(deploymentStatus(d).available)
            faults.records[i].mark("started", now, obj.strategy.type == .Recreate
                ? "new pod template; Recreate: all old pods stop before new ones start"
                : "new pod template; RollingUpdate maxSurge \(obj.strategy.maxSurge) → \(surge), maxUnavailable \(obj.strategy.maxUnavailable) → \(unavailable) of \(obj.replicas) replicas")
            updateDeploymentTemplate(d, image: f.image)
        case .scale:
            guard case .deployment(let ns, let name) = f.target, let d = deploymentIndex(ns, name),
                  let replicas = f.replicas else { return }
            faults.records[i].deployment = d
            faults.records[i].workload = deployments[d].workload
            faults.records[i].mark("started", now, "spec.replicas \(deployments[d].object.replicas) → \(replicas)")
            scaleDeployment(d, to: replicas)
        case .deletePod:
            var victims: [Int] = []
            switch f.target {
            case .pod(let ns, let name):
                victims = pods.values.filter { $0.namespace == ns && $0.name == name && !$0.isTerminating }.map(\.id)
            case .deployment(let ns, let name):
                if let d = deploymentIndex(ns, name) {
                    let w = deployments[d].workload
                    victims = Array(workloads[w].members.filter { pods[$0]?.isTerminating == false }.sorted().prefix(f.count ?? 1))
                }
            default: break
            }
            faults.records[i].affected = Set(victims.compactMap { pods[$0]?.workload })
            faults.records[i].replaceable = faults.records[i].affected
            for id in victims { deletePod(id, reason: "delete-pod fault") }
            faults.records[i].mark("deleted", now, "\(victims.count) pod(s) deleted; the controller creates replacements at once")
        }
    }

    /// Stops the machines of a crash-like fault and notes which workloads it hits.
    func crashMachines(_ i: Int, _ targets: [Int]) {
        noteAffectedWorkloads(i, targets)
        for n in targets { crashNode(n) }
        if faults.records[i].affected.isEmpty { faults.records[i].done = true }
    }

    /// The fault's nodes and the workloads serving on them when it hit.
    func noteAffectedWorkloads(_ i: Int, _ targets: [Int]) {
        faults.records[i].nodes = targets
        var affected = Set<Int>()
        for n in targets { for id in nodes[n].pods { if let p = pods[id], p.serving { affected.insert(p.workload) } } }
        faults.records[i].affected = affected
        faults.records[i].replaceable = affected.filter { ["Deployment", "ReplicaSet"].contains(workloads[$0].kind) }
        faults.records[i].result.stats["nodes"] = Double(targets.count)
        faults.records[i].result.stats["podsOnNodes"] = Double(targets.reduce(0) { $0 + nodes[$1].pods.count })
    }

    func recoverFault(_ i: Int) {
        if faults.records[i].spec.action == .slowDisk {
            let extra = faults.records[i].spec.latency ?? .milliseconds(100)
            params.apiLatency = params.apiLatency - extra
            spec.controlPlane.memberRoundTrip = spec.controlPlane.memberRoundTrip - extra
            faults.records[i].mark("diskRecovered", now, "fsync latency back to normal after for: \(faults.records[i].spec.duration ?? .zero)")
            return
        }
        if faults.records[i].spec.action == .partition {
            healPartition(i, "network partition healed after for: \(faults.records[i].spec.duration ?? .zero)")
            return
        }
        if faults.records[i].spec.action == .runtimeDown {
            for n in faults.records[i].nodes { containerRuntimeUp(n) }
            faults.records[i].mark("runtimeUp", now, "container runtime back after for: \(faults.records[i].spec.duration ?? .zero); the kubelet stops the pods deleted meanwhile and reports Ready=True at its next status sync")
            return
        }
        for n in faults.records[i].nodes { powerOnNode(n) }
        let after = faults.records[i].spec.duration ?? (now - faults.records[i].spec.at)
        faults.records[i].mark("powerOn", now, faults.records[i].spec.action == .hostFailure
            ? "server running again on another host after \(after)" : "machine switched back on after for: \(after)")
    }
}

extension ClusterSimulation {
    func healPartition(_ i: Int, _ mechanism: String) {
        setPartition(isolating: nil)
        faults.records[i].mark("healed", now, mechanism)
        faultsCheckPartitionRecovered(i)
    }
}

/// "agents-2", or "3 nodes (agents-1, agents-2, server-1)"; with `noun`, "node agents-2".
func describeNodes(_ names: [String], noun: Bool = false) -> String {
    if names.count == 1 { return noun ? "node \(names[0])" : names[0] }
    return "\(names.count) nodes (\(names.joined(separator: ", ")))"
}

func formatSeconds(_ s: Double) -> String {
    let r = (s * 10).rounded() / 10
    return r == r.rounded() ? "\(Int(r)) s" : "\(r) s"
}
