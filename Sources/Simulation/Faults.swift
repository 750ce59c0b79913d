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
    /// crash-container and fail-probe: the pod whose container fails.
    var pod: Int?
    var done = false
    /// Per node milestone: the nodes it happened to so far, in order.
    var milestoneNodes: [MilestoneName: [String]] = [:]

    mutating func mark(_ name: MilestoneName, _ t: SimTime, _ mechanism: String, replace: Bool = false) {
        if let i = result.milestones.firstIndex(where: { $0.name == name }) {
            guard replace else { return }
            result.milestones[i] = Milestone(name: name, at: t.seconds, mechanism: mechanism)
        } else {
            result.milestones.append(Milestone(name: name, at: t.seconds, mechanism: mechanism))
        }
    }

    func has(_ name: MilestoneName) -> Bool { result.milestones.contains { $0.name == name } }

    /// A milestone that happens node by node (a zone fault hits several): one line naming
    /// every node so far, at the time of the latest. `text` gets the nodes' names.
    mutating func markNode(_ name: MilestoneName, _ node: String, _ t: SimTime, _ text: ([String]) -> String) {
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
            faults.records.append(
                FaultRecord(
                    result: FaultResult(index: i, action: f.action.rawValue, target: f.target.description, at: f.at.seconds),
                    spec: f))
            engine.schedule(.fault(.inject(i)), at: f.at)
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
        case .controlPlane: return serverNodes
        case .controlPlaneLeader:
            if let l = etcd.leader { return [etcd.members[l].node] }
            return serverNodes.first.map { [$0] } ?? []
        case .deployment, .pod, .statefulSet, .daemonSet: return []
        }
    }

    /// The fault's action, each in its own function (node and platform faults in
    /// `FaultActions+Nodes.swift`, workload and maintenance ones in `FaultActions+Workloads.swift`).
    func injectFault(_ i: Int) {
        let f = faults.records[i].spec
        switch f.action {
        case .crash, .outage: injectCrash(i, f)
        case .drain: injectDrain(i, f)
        case .partition: injectPartition(i, f)
        case .hostFailure: injectHostFailure(i, f)
        case .deleteNode: injectDeleteNode(i, f)
        case .outOfService: injectOutOfService(i, f)
        case .deleteServer: injectDeleteServer(i, f)
        case .slowDisk: injectSlowDisk(i, f)
        case .restart: injectRestart(i, f)
        case .runtimeDown: injectRuntimeDown(i, f)
        case .uncordon: injectUncordon(i, f)
        case .upgrade: injectUpgrade(i, f)
        case .recover: injectRecover(i, f)
        case .rollout: injectRollout(i, f)
        case .scale: injectScale(i, f)
        case .deletePod: injectDeletePod(i, f)
        case .crashContainer, .failProbe: injectContainerFault(i, f)
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
        faults.records[i].replaceable = affected.filter {
            ["Deployment", "ReplicaSet", "ReplicationController"].contains(workloads[$0].kind)
        }
        faults.records[i].result.stats["nodes"] = Double(targets.count)
        faults.records[i].result.stats["podsOnNodes"] = Double(targets.reduce(0) { $0 + nodes[$1].pods.count })
    }

    func recoverFault(_ i: Int) {
        if faults.records[i].spec.action == .slowDisk {
            let extra = faults.records[i].spec.latency ?? .milliseconds(100)
            params.apiLatency = params.apiLatency - extra
            spec.controlPlane.memberRoundTrip = spec.controlPlane.memberRoundTrip - extra
            faults.records[i].mark(
                .diskRecovered, now, "fsync latency back to normal after for: \(faults.records[i].spec.duration ?? .zero)")
            return
        }
        if faults.records[i].spec.action == .partition {
            healPartition(i, "network partition healed after for: \(faults.records[i].spec.duration ?? .zero)")
            return
        }
        if faults.records[i].spec.action == .runtimeDown {
            for n in faults.records[i].nodes { containerRuntimeUp(n) }
            faults.records[i].mark(
                .runtimeUp, now,
                "container runtime back after for: \(faults.records[i].spec.duration ?? .zero); the kubelet stops the pods deleted meanwhile and reports Ready=True at its next status sync"
            )
            return
        }
        for n in faults.records[i].nodes { powerOnNode(n) }
        let after = faults.records[i].spec.duration ?? (now - faults.records[i].spec.at)
        faults.records[i].mark(
            .powerOn, now,
            faults.records[i].spec.action == .hostFailure
                ? "server running again on another host after \(after)" : "machine switched back on after for: \(after)")
    }
}

extension ClusterSimulation {
    func healPartition(_ i: Int, _ mechanism: String) {
        setPartition(isolating: nil, healing: [i])
        faults.records[i].mark(.healed, now, mechanism)
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

extension ClusterSimulation {
    func handle(_ event: FaultEvent) {
        switch event {
        case .inject(let i): injectFault(i)
        case .recover(let i): recoverFault(i)
        case .managedControlPlaneUpgraded(let i): finishManagedControlPlaneUpgrade(i)
        }
    }
}
