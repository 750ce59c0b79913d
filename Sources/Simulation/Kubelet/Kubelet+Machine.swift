import KubeModel
import SimKernel

/// The machine under the kubelet: a crash, a halt (the power goes), power on, and the boot
/// after which the kubelet runs again.
extension Kubelet {
    /// The machine stops: no more lease renewals, every container on it is gone.
    ///
    /// The API still shows the node Ready and its pods Ready until the node lifecycle controller
    /// notices; measurement counts those pods as not serving from now on.
    func crashNode<C: KubeletContext>(_ n: Int, in ctx: C) {
        guard ctx.nodes[n].up else { return }
        haltMachine(n, in: ctx)
        if ctx.isServer(n) { ctx.etcdMembershipChanged(); ctx.controlPlaneAvailabilityChanged() }
        ctx.noteAPIAvailability()
    }

    /// The machine is off: lease renewals, image pulls and every container stop.
    ///
    /// What that does to etcd and the control plane is for the caller, which knows whether the
    /// services stopped in order first.
    func haltMachine<C: KubeletContext>(_ n: Int, in ctx: C) {
        // Before the write, so that whatever its watchers set off already sees the new epoch.
        advanceMachineEpoch(n)
        ctx.store.update(node: n) { $0.up = false }
        stopDerivedLease(n, in: ctx)
        if let t = nodes[n].leaseTimer { ctx.cancelEvent(t) }
        setLeaseTimer(n, nil)
        clearPulls(n)
        for id in ctx.nodes[n].pods.sorted() {
            guard ctx.pods[id] != nil else { continue }
            ctx.store.update(pod: id) { $0.running = false }
            resetPod(id)
            if let pod = ctx.pods[id] { ctx.containersStoppedWithMachine(pod) }
        }
    }

    /// Switches a crashed machine back on; the kubelet is up after `nodeBootTime`.
    func powerOn<C: KubeletContext>(_ n: Int, in ctx: C) {
        guard !ctx.nodes[n].up, !ctx.nodes[n].serverDeleted else { return }
        ctx.schedule(.nodeBooted(node: n, epoch: machineEpoch(n)), after: ctx.params.nodeBootTime)
    }

    func nodeBooted<C: KubeletContext>(node n: Int, epoch: Int, in ctx: C) {
        guard !ctx.nodes[n].up, machineEpoch(n) == epoch else { return }
        ctx.machineBooted(n)
        ctx.store.update(node: n) { $0.up = true }
        renewLease(node: n, epoch: epoch, in: ctx)
        // The kubelet posts its node status with Ready=True once the runtime is up, if an API
        // server can write it; else its status loop posts it once one can.
        // (A node the controller could not mark, because no controller-manager ran, still
        // shows Ready: there is nothing to post.)
        if ctx.canWrite(from: n) || ctx.nodes[n].ready == .isTrue {
            ctx.setNodeReady(n, .isTrue)
            ctx.faultsObserveNodeReady(n)
        } else {
            requestNodeStatusSync(n, in: ctx)
        }
        if ctx.isServer(n) { ctx.etcdMembershipChanged(); ctx.controlPlaneAvailabilityChanged() }
        ctx.noteAPIAvailability()
        if ctx.nodes[n].deleted {
            // The kubelet registers its Node again.
            ctx.store.update(node: n) { node in
                node.deleted = false
                node.deletedAt = nil
            }
        }
        for id in ctx.nodes[n].pods.sorted() {
            ctx.store.update(pod: id) { $0.statusRunning = false }  // the kubelet reports what really runs
            guard let pod = ctx.pods[id] else { continue }
            if pod.isTerminating {
                // Its containers died with the machine: the kubelet finishes the deletion.
                ctx.removePod(id)
            } else if ctx.jobPodFailedByReboot(id) {
                continue
            } else {
                // RestartPolicy Always: containers are started again (images are still on disk).
                ctx.setPodReady(id, false)
                ctx.schedule(.admit(pod: id, generation: self.pod(id).generation), after: ctx.params.apiLatency)
            }
        }
    }

    /// K3S runs again after a restart: the kubelet renews its Lease, and its status loops
    /// start with a sync at once (`wait.JitterUntil` with sliding start), so a node marked
    /// Ready=Unknown meanwhile posts Ready=True as soon as it can write.
    func started<C: KubeletContext>(node n: Int, epoch: Int, in ctx: C) {
        guard ctx.nodes[n].up, machineEpoch(n) == epoch, ctx.k3sServiceStarted(n) else { return }
        setNodeStatusGrid(n, ctx.now)
        setPodStatusGrid(n, ctx.now)
        renewLease(node: n, epoch: epoch, in: ctx)
        guard ctx.nodes[n].ready != .isTrue else { return }
        if ctx.canWrite(from: n) {
            postNodeReady(n, why: "kubelet restarted and posted Ready=True at its first node status sync", in: ctx)
        } else {
            requestNodeStatusSync(n, in: ctx)
        }
    }

    /// K3S stops (a restart): the kubelet stops renewing its Lease; containers run on.
    func stop<C: KubeletContext>(_ n: Int, in ctx: C) {
        stopDerivedLease(n, in: ctx)
        if let t = nodes[n].leaseTimer { ctx.cancelEvent(t) }
        setLeaseTimer(n, nil)
    }
}
