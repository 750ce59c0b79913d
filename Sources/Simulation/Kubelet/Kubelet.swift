import SimKernel

/// The kubelets of all nodes, and the machines under them: pod admission, serialized image pulls,
/// container start, readiness, graceful termination, the node Lease, the node and pod status loops,
/// and what a machine crash, a reboot and a stopped container runtime do to all of that.
///
/// Behaviour lives in the files beside this one (`Kubelet+Machine.swift`, `PodLifecycle.swift`,
/// `PodTermination.swift`, `KubeletJobPods.swift`, `NodeLease.swift`, `StatusLoops.swift`); the
/// state is written only through the methods below, so what each change means has one name.
final class Kubelet {
    /// Per node (indexed like the store's nodes).
    private(set) var nodes: [KubeletNodeState] = []
    /// Per pod the kubelet has work for; dropped with the pod object.
    private(set) var pods: [PodID: KubeletPodState] = [:]
    private(set) var leases = LeaseState()
    private(set) var status = KubeletStatusState()

    /// One event per Lease renewal instead of deriving them (`LeaseDerivationTests` compares both).
    var explicitLeaseRenewals: Bool {
        get { leases.explicit }
        set { leases.explicit = newValue }
    }

    func pod(_ id: PodID) -> KubeletPodState { pods[id] ?? KubeletPodState() }

    func machineEpoch(_ n: Int) -> Int { nodes[n].epoch }

    func handle<C: KubeletContext>(_ event: KubeletEvent, in ctx: C) {
        switch event {
        case .leaseRenew(let n, let epoch), .leaseRetry(let n, let epoch): renewLease(node: n, epoch: epoch, in: ctx)
        case .nodeBooted(let n, let epoch): nodeBooted(node: n, epoch: epoch, in: ctx)
        case .started(let n, let epoch): started(node: n, epoch: epoch, in: ctx)
        case .admit(let p, let g): admit(pod: p, generation: g, in: ctx)
        case .imagePulled(let n, let epoch): imagePulled(node: n, epoch: epoch, in: ctx)
        case .containerStarted(let p, let g): containerStarted(pod: p, generation: g, in: ctx)
        case .podReady(let p, let g): probeSucceeded(pod: p, generation: g, in: ctx)
        case .containerStopped(let p, let g): containerStopped(pod: p, generation: g, in: ctx)
        case .jobPodExited(let p, let g, let failed): jobPodExited(pod: p, generation: g, failed: failed, in: ctx)
        case .nodeStatusSync(let n, let epoch): nodeStatusSync(node: n, epoch: epoch, in: ctx)
        case .podStatusSync(let n, let epoch): podStatusSync(node: n, epoch: epoch, in: ctx)
        }
    }

    // MARK: node state

    /// A node joins (at start, with its first Lease renewal already scheduled, or later).
    func addNode(leaseTimer: EventID?) { nodes.append(KubeletNodeState(leaseTimer: leaseTimer)) }

    /// The machine stops: the kubelet's pending events for it go stale.
    func advanceMachineEpoch(_ n: Int) { nodes[n].epoch += 1 }

    func setLeaseTimer(_ n: Int, _ timer: EventID?) { nodes[n].leaseTimer = timer }

    func setLeaseBackoff(_ n: Int, _ backoff: SimTime) { nodes[n].leaseBackoff = backoff }

    func setLeaseAnchor(_ n: Int, _ t: SimTime?) { leases.setAnchor(n, t) }

    func setWritabilitySignature(_ s: WritabilitySignature) { leases.signature = s }

    func queuePull(_ n: Int, pod: PodID, image: String) { nodes[n].pullQueue.append((pod, image)) }

    /// The head of the node's pull queue is done with (pulled, or no longer wanted).
    @discardableResult
    func dequeuePull(_ n: Int) -> (pod: PodID, image: String)? { nodes[n].pullQueue.popFirst() }

    func setPulling(_ n: Int, _ pulling: Bool) { nodes[n].pulling = pulling }

    /// The machine stopped: queued pulls are forgotten.
    func clearPulls(_ n: Int) {
        nodes[n].pullQueue.removeAll()
        nodes[n].pulling = false
    }

    func setRuntimeDown(_ n: Int) { status.runtimeDown.insert(n) }

    /// Whether the runtime was down (and is now up).
    func setRuntimeUp(_ n: Int) -> Bool { status.runtimeDown.remove(n) != nil }

    /// Whether a node status sync was not pending yet (and is now).
    func markNodeSyncPending(_ n: Int) -> Bool { status.nodeSyncPending.insert(n).inserted }
    func clearNodeSyncPending(_ n: Int) { status.nodeSyncPending.remove(n) }
    func markPodSyncPending(_ n: Int) -> Bool { status.podSyncPending.insert(n).inserted }
    func clearPodSyncPending(_ n: Int) { status.podSyncPending.remove(n) }

    func setNodeStatusGrid(_ n: Int, _ t: SimTime) { status.nodeGrid[n] = t }
    func setPodStatusGrid(_ n: Int, _ t: SimTime) { status.podGrid[n] = t }

    // MARK: pod state

    /// The kubelet admits the pod in machine epoch `epoch`; its prober worker starts now.
    func markAdmitted(_ id: PodID, epoch: Int, at now: SimTime) {
        pods[id, default: KubeletPodState()].admittedEpoch = epoch
        pods[id, default: KubeletPodState()].probeGridStart = now
    }

    func markStartRequested(_ id: PodID, imagesPending: Int) {
        pods[id, default: KubeletPodState()].startRequested = true
        pods[id, default: KubeletPodState()].imagesPending = imagesPending
    }

    /// One of the pod's images arrived; returns how many are still pending.
    func imageArrived(_ id: PodID) -> Int {
        pods[id, default: KubeletPodState()].imagesPending -= 1
        return pod(id).imagesPending
    }

    func markProbedReady(_ id: PodID) { pods[id, default: KubeletPodState()].probedReady = true }

    /// The prober's verdict ends with the container (a pod the kubelet never tracked keeps no entry).
    func clearProbedReady(_ id: PodID) { pods[id]?.probedReady = false }

    /// The kubelet's pending work for the pod is stale (its containers stop or exited).
    func invalidatePendingWork(_ id: PodID) { pods[id, default: KubeletPodState()].generation += 1 }

    /// The pod starts over from admission: everything but a new generation is forgotten.
    func resetPod(_ id: PodID) { pods[id] = KubeletPodState(generation: pod(id).generation + 1) }

    /// The pod object is gone.
    func forgetPod(_ id: PodID) { pods[id] = nil }
}
