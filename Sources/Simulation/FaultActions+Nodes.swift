import KubeModel
import SimKernel

/// Faults that hit machines, the network and the platform: what each does when it is injected.
extension ClusterSimulation {
    func injectCrash(_ i: Int, _ f: FaultSpec) {
        crashMachines(i, resolveNodes(f))
        if let d = f.duration { engine.schedule(.fault(.recover(i)), at: f.at + d) }
    }

    func injectPartition(_ i: Int, _ f: FaultSpec) {
        let targets = resolveNodes(f)
        noteAffectedWorkloads(i, targets)
        let zones = Set(targets.map { nodes[$0].zone })
        faults.records[i].mark(
            .partitioned, now,
            "network partition: \(zones.map(zoneLabel).sorted().joined(separator: ", ")) cut off from the other locations; the raft minority side cannot write, kubelets there cannot renew their Leases"
        )
        setPartition(isolating: zones)
        if let d = f.duration { engine.schedule(.fault(.recover(i)), at: f.at + d) }
    }

    func injectHostFailure(_ i: Int, _ f: FaultSpec) {
        // Hetzner: the server shuts off and restarts on another host in the same location.
        crashMachines(i, resolveNodes(f))
        let delay = f.duration ?? params.hostFailureRestartDelay
        faults.records[i].mark(
            .hostFailed, now,
            "host failure: the server is off until Hetzner restarts it on another host after \(delay) (hostFailureRestartDelay, assumption)"
        )
        engine.schedule(.fault(.recover(i)), at: f.at + delay)
    }

    func injectDeleteNode(_ i: Int, _ f: FaultSpec) {
        let targets = resolveNodes(f)
        faults.records[i].nodes = targets
        for n in targets { deleteNodeObject(n) }
        faults.records[i].mark(
            .nodeDeleted, now,
            "Node object deleted: PodGC force-deletes its pods after the \(spec.storage.orphanPodQuarantine) quarantine; their volumes are detached (6 min after, the node being unhealthy)"
        )
    }

    func injectOutOfService(_ i: Int, _ f: FaultSpec) {
        let targets = resolveNodes(f)
        faults.records[i].nodes = targets
        for n in targets { addTaint(n, Taint(key: Taint.outOfServiceKey, value: "nodeshutdown", effect: .NoExecute)) }
        faults.records[i].mark(
            .outOfService, now,
            "taint node.kubernetes.io/out-of-service=nodeshutdown:NoExecute: pods evicted at once, PodGC force-deletes them on the NotReady node, volumes force-detached without the 6-minute wait"
        )
    }

    func injectDeleteServer(_ i: Int, _ f: FaultSpec) {
        crashMachines(i, resolveNodes(f))
        for n in faults.records[i].nodes { store.update(node: n) { $0.serverDeleted = true } }
        faults.records[i].mark(
            .serverDeleted, now,
            "server deleted at Hetzner: the hcloud cloud controller manager deletes the Node once it is NotReady (its cloud node lifecycle loop, every 5 s)"
        )
    }

    func injectSlowDisk(_ i: Int, _ f: FaultSpec) {
        // Every write waits for the leader's and a follower's fsync: the extra latency adds
        // to each API write and to each election round.
        let extra = f.latency ?? .milliseconds(100)
        faults.records[i].nodes = resolveNodes(f)
        params.apiLatency += extra
        spec.controlPlane.memberRoundTrip += extra
        faults.records[i].mark(
            .slowDisk, now, "etcd fsync \(extra) slower: every API write and every election round waits for it")
        if let d = f.duration { engine.schedule(.fault(.recover(i)), at: f.at + d) }
    }

    func injectRestart(_ i: Int, _ f: FaultSpec) {
        let duration = f.duration ?? f.upgrade.restartTime
        noteAffectedWorkloads(i, resolveNodes(f))
        for n in faults.records[i].nodes { restartK3s(n, for: duration) }
        faults.records[i].mark(
            .restarted, now,
            "\(spec.nodeService.name) stopped for \(duration): kubelet (no Lease, no status)\(faults.records[i].nodes.contains(where: serverNodes.contains) ? ", \(etcd.raftStoreName(in: self)) member, API server, controller-manager and scheduler" : ""); containers keep running"
        )
    }

    func injectRuntimeDown(_ i: Int, _ f: FaultSpec) {
        noteAffectedWorkloads(i, resolveNodes(f))
        for n in faults.records[i].nodes { containerRuntimeDown(n) }
        faults.records[i].mark(
            .runtimeDown, now,
            "container runtime down: the kubelet keeps renewing its Lease but reports Ready=False at its next status sync; containers keep running, none start or stop"
        )
        if let d = f.duration { engine.schedule(.fault(.recover(i)), at: f.at + d) }
    }

    func injectRecover(_ i: Int, _ f: FaultSpec) {
        let targets = resolveNodes(f)
        faults.records[i].nodes = targets
        // The machines it switches on, and the faults that had stopped them: their
        // timelines go on to nodeReady, and the recover's lists the same steps.
        let down = targets.filter { !nodes[$0].up && !nodes[$0].serverDeleted }
        for n in down {
            for c in activeFaults(onNode: n) where faults.records[c].spec.action != .recover {
                faults.records[c].mark(.powerOn, now, "machine switched back on by recover (fault \(i))")
            }
            powerOnNode(n)
        }
        if !down.isEmpty {
            faults.records[i].mark(
                .powerOn, now,
                "\(describeNodes(down.map { nodes[$0].name }, noun: true)) switched back on; the kubelet is up after nodeBootTime \(params.nodeBootTime) (assumption)"
            )
        }
        // A partition of the target's locations heals too; its recovery milestones go to
        // both faults.
        for p in faults.records.indices
        where faults.records[p].spec.action == .partition
            && faults.records[p].has(.partitioned) && !faults.records[p].has(.healed)
            && faults.records[p].nodes.contains(where: targets.contains)
        {
            faults.records[i].affected.formUnion(faults.records[p].affected)
            faults.records[i].mark(.healed, now, "network partition of fault \(p) healed by recover")
            healPartition(p, "network partition healed by recover (fault \(i))")
        }
    }
}
