import KubeModel
import SimKernel

/// The scenario's faults, injected at their times.
enum FaultEvent {
    case inject(FaultID)
    /// A fault's `for:` ran out (or its scheduled end came).
    case recover(FaultID)
    /// A managed control plane's upgrade (fault index) ends.
    case managedControlPlaneUpgraded(FaultID)
}

/// The fault injector, the chaos tool of a drill: it holds the scheduled faults, injects each at
/// its time through the cluster's own entry points (the kubelet's crash and power-on, the network
/// partition, API writes, drains, upgrades) and undoes it when its `for:` runs out.
///
/// What a fault hit and did goes to its timeline (`FaultTimelines`), which the other components
/// report into from then on.
final class FaultInjector {
    /// The scheduled faults, in fault order (the index is the fault's).
    private(set) var faults: [FaultSpec] = []

    /// A fault joins the run: its timeline opens and its injection is queued.
    func schedule(_ f: FaultSpec, in ctx: FaultInjectorContext) {
        let i = ctx.faultTimelines.add(f)
        faults.append(f)
        ctx.schedule(.inject(i), at: f.at)
    }

    func handle(_ event: FaultEvent, in ctx: FaultInjectorContext) {
        switch event {
        case .inject(let i): inject(i, in: ctx)
        case .recover(let i): recover(i, in: ctx)
        case .managedControlPlaneUpgraded(let i): finishManagedControlPlaneUpgrade(i, in: ctx)
        }
    }

    /// The fault's action, each in its own function (node and platform faults in
    /// `FaultActions+Nodes.swift`, workload and maintenance ones in `FaultActions+Workloads.swift`,
    /// container failures in `FaultActions+Containers.swift`).
    func inject(_ i: FaultID, in ctx: FaultInjectorContext) {
        let f = faults[i.index]
        switch f.action {
        case .crash, .outage: injectCrash(i, f, in: ctx)
        case .drain: injectDrain(i, f, in: ctx)
        case .partition: injectPartition(i, f, in: ctx)
        case .hostFailure: injectHostFailure(i, f, in: ctx)
        case .deleteNode: injectDeleteNode(i, f, in: ctx)
        case .outOfService: injectOutOfService(i, f, in: ctx)
        case .deleteServer: injectDeleteServer(i, f, in: ctx)
        case .slowDisk: injectSlowDisk(i, f, in: ctx)
        case .restart: injectRestart(i, f, in: ctx)
        case .runtimeDown: injectRuntimeDown(i, f, in: ctx)
        case .uncordon: injectUncordon(i, f, in: ctx)
        case .upgrade: injectUpgrade(i, f, in: ctx)
        case .recover: injectRecover(i, f, in: ctx)
        case .rollout: injectRollout(i, f, in: ctx)
        case .scale: injectScale(i, f, in: ctx)
        case .deletePod: injectDeletePod(i, f, in: ctx)
        case .crashContainer, .failProbe: injectContainerFault(i, f, in: ctx)
        }
    }

    /// The end of a fault's `for:` (or of a host failure's restart delay).
    func recover(_ i: FaultID, in ctx: FaultInjectorContext) {
        let f = faults[i.index]
        let timelines = ctx.faultTimelines
        switch f.action {
        case .slowDisk:
            ctx.restoreEtcdDisk(by: f.latency ?? .milliseconds(100))
            timelines.mark(i, .diskRecovered, ctx.now, "fsync latency back to normal after for: \(f.duration ?? .zero)")
        case .partition:
            healPartition(i, "network partition healed after for: \(f.duration ?? .zero)", in: ctx)
        case .runtimeDown:
            for n in timelines.records[i].nodes { ctx.containerRuntimeUp(n) }
            timelines.mark(
                i, .runtimeUp, ctx.now,
                "container runtime back after for: \(f.duration ?? .zero); the kubelet stops the pods deleted meanwhile and reports Ready=True at its next status sync"
            )
        default:
            for n in timelines.records[i].nodes { ctx.powerOnNode(n) }
            let after = f.duration ?? (ctx.now - f.at)
            timelines.mark(
                i, .powerOn, ctx.now,
                f.action == .hostFailure
                    ? "server running again on another host after \(after)" : "machine switched back on after for: \(after)")
        }
    }

    func healPartition(_ i: FaultID, _ mechanism: String, in ctx: FaultInjectorContext) {
        ctx.setPartition(isolating: nil, healing: [i])
        ctx.faultTimelines.mark(i, .healed, ctx.now, mechanism)
        ctx.faultTimelines.checkPartitionRecovered(i, in: ctx)
    }

    /// The nodes a fault's target names, as they are when it is injected.
    func resolveNodes(_ f: FaultSpec, in ctx: FaultInjectorContext) -> [Int] {
        let nodes = ctx.nodes
        switch f.target {
        case .node(let name): return ctx.nodeIndex(named: name).map { [$0] } ?? []
        case .nodeOfPod(let ns, let name):
            return ctx.pods.values.first { $0.namespace == ns && $0.name == name && !$0.isTerminating }?.node.map { [$0] } ?? []
        case .zone(let z):
            let all = nodes.indices.filter {
                nodes[$0].labels["topology.kubernetes.io/zone"] == z || nodes[$0].labels["topology.kubernetes.io/region"] == z
            }
            return Array(all.prefix(f.count ?? all.count))
        case .pool(let p):
            let all = nodes.indices.filter { nodes[$0].spec.pool == p }
            return Array(all.prefix(f.count ?? all.count))
        case .cluster: return Array(nodes.indices)
        case .controlPlane: return ctx.serverNodes
        case .controlPlaneLeader:
            if let l = ctx.raftLeaderNode { return [l] }
            return ctx.serverNodes.first.map { [$0] } ?? []
        case .deployment, .pod, .statefulSet, .daemonSet: return []
        }
    }

    /// Stops the machines of a crash-like fault and notes which workloads it hits.
    func crashMachines(_ i: FaultID, _ targets: [Int], in ctx: FaultInjectorContext) {
        noteAffectedWorkloads(i, targets, in: ctx)
        for n in targets { ctx.crashNode(n) }
        if ctx.faultTimelines.records[i].affected.isEmpty { ctx.faultTimelines.update(i) { $0.done = true } }
    }

    /// The fault's nodes and the workloads serving on them when it hit.
    func noteAffectedWorkloads(_ i: FaultID, _ targets: [Int], in ctx: FaultInjectorContext) {
        let (nodes, pods, workloads) = (ctx.nodes, ctx.pods, ctx.workloads)
        var affected = Set<WorkloadID>()
        for n in targets { for id in nodes[n].pods { if let p = pods[id], p.serving { affected.insert(p.workload) } } }
        let replaceable = affected.filter { ["Deployment", "ReplicaSet", "ReplicationController"].contains(workloads[$0].kind) }
        let podsOnNodes = targets.reduce(0) { $0 + nodes[$1].pods.count }
        ctx.faultTimelines.update(i) {
            $0.nodes = targets
            $0.affected = affected
            $0.replaceable = replaceable
            $0.result.stats["nodes"] = Double(targets.count)
            $0.result.stats["podsOnNodes"] = Double(podsOnNodes)
        }
    }
}
