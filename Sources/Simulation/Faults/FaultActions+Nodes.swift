import KubeModel
import SimKernel

/// Faults that hit machines, the network and the platform: what each does when it is injected.
extension FaultInjector {
    func injectCrash(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        crashMachines(i, resolveNodes(f, in: ctx), in: ctx)
        if let d = f.duration { ctx.schedule(.recover(i), at: f.at + d) }
    }

    func injectPartition(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        let targets = resolveNodes(f, in: ctx)
        noteAffectedWorkloads(i, targets, in: ctx)
        let zones = Set(targets.map { ctx.nodes[$0].zone })
        ctx.faultTimelines.mark(
            i, .partitioned, ctx.now,
            "network partition: \(zones.map(ctx.zoneLabel).sorted().joined(separator: ", ")) cut off from the other locations; the raft minority side cannot write, kubelets there cannot renew their Leases"
        )
        ctx.setPartition(isolating: zones, healing: [])
        if let d = f.duration { ctx.schedule(.recover(i), at: f.at + d) }
    }

    func injectHostFailure(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        // Hetzner: the server shuts off and restarts on another host in the same location.
        crashMachines(i, resolveNodes(f, in: ctx), in: ctx)
        let delay = f.duration ?? ctx.hostFailureRestartDelay
        ctx.faultTimelines.mark(
            i, .hostFailed, ctx.now,
            "host failure: the server is off until Hetzner restarts it on another host after \(delay) (hostFailureRestartDelay, assumption)"
        )
        ctx.schedule(.recover(i), at: f.at + delay)
    }

    func injectDeleteNode(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        let targets = resolveNodes(f, in: ctx)
        ctx.faultTimelines.update(i) { $0.nodes = targets }
        for n in targets { ctx.deleteNodeObject(n) }
        ctx.faultTimelines.mark(
            i, .nodeDeleted, ctx.now,
            "Node object deleted: PodGC force-deletes its pods after the \(ctx.storageSettings.orphanPodQuarantine) quarantine; their volumes are detached (6 min after, the node being unhealthy)"
        )
    }

    func injectOutOfService(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        let targets = resolveNodes(f, in: ctx)
        ctx.faultTimelines.update(i) { $0.nodes = targets }
        for n in targets { ctx.addTaint(n, Taint(key: Taint.outOfServiceKey, value: "nodeshutdown", effect: .NoExecute)) }
        ctx.faultTimelines.mark(
            i, .outOfService, ctx.now,
            "taint node.kubernetes.io/out-of-service=nodeshutdown:NoExecute: pods evicted at once, PodGC force-deletes them on the NotReady node, volumes force-detached without the 6-minute wait"
        )
    }

    func injectDeleteServer(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        crashMachines(i, resolveNodes(f, in: ctx), in: ctx)
        for n in ctx.faultTimelines.records[i].nodes { ctx.markServerDeleted(n) }
        ctx.faultTimelines.mark(
            i, .serverDeleted, ctx.now,
            "server deleted at Hetzner: the hcloud cloud controller manager deletes the Node once it is NotReady (its cloud node lifecycle loop, every 5 s)"
        )
    }

    func injectSlowDisk(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        // Every write waits for the leader's and a follower's fsync: the extra latency adds
        // to each API write and to each election round.
        let extra = f.latency ?? .milliseconds(100)
        let targets = resolveNodes(f, in: ctx)
        ctx.faultTimelines.update(i) { $0.nodes = targets }
        ctx.slowEtcdDisk(by: extra)
        ctx.faultTimelines.mark(
            i, .slowDisk, ctx.now, "etcd fsync \(extra) slower: every API write and every election round waits for it")
        if let d = f.duration { ctx.schedule(.recover(i), at: f.at + d) }
    }

    func injectRestart(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        let duration = f.duration ?? f.upgrade.restartTime
        noteAffectedWorkloads(i, resolveNodes(f, in: ctx), in: ctx)
        let targets = ctx.faultTimelines.records[i].nodes
        for n in targets { ctx.restartK3s(n, for: duration) }
        let servers = ctx.serverNodes
        ctx.faultTimelines.mark(
            i, .restarted, ctx.now,
            "\(ctx.nodeServiceName) stopped for \(duration): kubelet (no Lease, no status)\(targets.contains(where: servers.contains) ? ", \(ctx.raftStoreName) member, API server, controller-manager and scheduler" : ""); containers keep running"
        )
    }

    func injectRuntimeDown(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        noteAffectedWorkloads(i, resolveNodes(f, in: ctx), in: ctx)
        for n in ctx.faultTimelines.records[i].nodes { ctx.stopContainerRuntime(n) }
        ctx.faultTimelines.mark(
            i, .runtimeDown, ctx.now,
            "container runtime down: the kubelet keeps renewing its Lease but reports Ready=False at its next status sync; containers keep running, none start or stop"
        )
        if let d = f.duration { ctx.schedule(.recover(i), at: f.at + d) }
    }

    func injectRecover(_ i: FaultID, _ f: FaultSpec, in ctx: FaultInjectorContext) {
        let targets = resolveNodes(f, in: ctx)
        let timelines = ctx.faultTimelines
        timelines.update(i) { $0.nodes = targets }
        // The machines it switches on, and the faults that had stopped them: their
        // timelines go on to nodeReady, and the recover's lists the same steps.
        let down = targets.filter { !ctx.nodes[$0].up && !ctx.nodes[$0].serverDeleted }
        for n in down {
            for c in timelines.activeFaults(onNode: n, at: ctx.now) where timelines.records[c].spec.action != .recover {
                timelines.mark(c, .powerOn, ctx.now, "machine switched back on by recover (fault \(i))")
            }
            ctx.powerOnNode(n)
        }
        if !down.isEmpty {
            timelines.mark(
                i, .powerOn, ctx.now,
                "\(describeNodes(down.map { ctx.nodes[$0].name }, noun: true)) switched back on; the kubelet is up after nodeBootTime \(ctx.nodeBootTime) (assumption)"
            )
        }
        // A partition of the target's locations heals too; its recovery milestones go to
        // both faults.
        for p in timelines.records.ids
        where timelines.records[p].spec.action == .partition
            && timelines.records[p].has(.partitioned) && !timelines.records[p].has(.healed)
            && timelines.records[p].nodes.contains(where: targets.contains)
        {
            let partitioned = timelines.records[p].affected
            timelines.update(i) { $0.affected.formUnion(partitioned) }
            timelines.mark(i, .healed, ctx.now, "network partition of fault \(p) healed by recover")
            healPartition(p, "network partition healed by recover (fault \(i))", in: ctx)
        }
    }
}
