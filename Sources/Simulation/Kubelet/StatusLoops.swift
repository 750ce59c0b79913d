import KubeModel
import SimKernel

/// The kubelet's two status loops, for the moments they change something.
///
/// - Node status (pkg/kubelet/kubelet_node_status.go `syncNodeStatus` → `tryUpdateNodeStatus`):
///   every `nodeStatusUpdateFrequency` (10 s) and once at start, the kubelet computes its
///   node's status and patches it when it differs from what the API holds
///   (`nodeStatusHasChanged`). A healthy node's status never differs, so those syncs are not
///   simulated; one that the node lifecycle controller marked Ready=Unknown differs, and the
///   kubelet posts Ready=True at its first sync that reaches a writable API server (after a
///   partition heals, the quorum returns, K3S has restarted). The post carries a heartbeat.
/// - Pod status (pkg/kubelet/status/status_manager.go `syncBatch`, every 10 s): the kubelet
///   reconciles pod statuses that differ from its own; the pods the node lifecycle controller
///   marked not ready (`MarkPodsNotReady`) while their containers kept running and passing
///   their probes are Ready again at its first batch after the node can write.
///
/// Each loop's phase on a node is drawn when first needed and restarts with the kubelet.
struct KubeletStatusState {
    /// Per node: the start of the node status loop's grid and of the status manager's.
    var nodeGrid: [Int: SimTime] = [:]
    var podGrid: [Int: SimTime] = [:]
    var nodeSyncPending: Set<Int> = []
    /// Nodes whose container runtime is down: the kubelet reports Ready=False.
    var runtimeDown: Set<Int> = []
    var podSyncPending: Set<Int> = []
}

extension Kubelet {
    /// `nodeStatusUpdateFrequency` and the status manager's sync period: both 10 s upstream.
    static let statusPeriod = SimTime.seconds(10)

    /// The kubelet's node status differs from the API's: its next sync posts it.
    func requestNodeStatusSync<C: KubeletContext>(_ n: Int, in ctx: C) {
        guard ctx.nodes[n].up, markNodeSyncPending(n) else { return }
        ctx.schedule(
            .nodeStatusSync(node: n, epoch: machineEpoch(n)),
            at: nextStatusTick(n, status.nodeGrid[n], purpose: "node-status-phase", in: ctx) { setNodeStatusGrid(n, $0) })
    }

    func nodeStatusSync<C: KubeletContext>(node n: Int, epoch: Int, in ctx: C) {
        clearNodeSyncPending(n)
        let reported = reportedReady(n)
        guard ctx.nodes[n].up, machineEpoch(n) == epoch, ctx.k3sRunning(n), ctx.nodes[n].ready != reported else {
            return
        }
        guard ctx.canWrite(from: n) else {
            // The patch fails; the loop tries again at its next tick.
            requestNodeStatusSync(n, in: ctx)
            return
        }
        if reported == .isTrue {
            postNodeReady(
                n,
                why:
                    "kubelet node status sync (nodeStatusUpdateFrequency \(Self.statusPeriod)) reached a writable API server and posted Ready=True",
                in: ctx)
        } else {
            postNodeNotReady(n, in: ctx)
        }
    }

    /// The Ready condition the kubelet computes: False while the container runtime is down
    /// (the runtime-status setter in pkg/kubelet/nodestatus `ReadyCondition`).
    func reportedReady(_ n: Int) -> ConditionStatus {
        status.runtimeDown.contains(n) ? .isFalse : .isTrue
    }

    /// The kubelet posts Ready=False itself.
    ///
    /// The node lifecycle controller then taints the node `not-ready:NoExecute` through its rate
    /// limiter but does not mark the pods NotReady: it does that only for a node that turns not
    /// ready in its own eyes, i.e. one it sets to Unknown (`monitorNodeHealth`: MarkPodsNotReady
    /// needs the observed condition True).
    func postNodeNotReady<C: KubeletContext>(_ n: Int, in ctx: C) {
        let t = ctx.now
        ctx.store.update(node: n) { $0.statusHeartbeat = t }
        ctx.setNodeReady(n, .isFalse)
        ctx.faultsObserveNodeReportedNotReady(n)
    }

    /// The kubelet patches Ready=True with a fresh heartbeat; the node lifecycle controller's
    /// next pass removes the NoExecute taints (`markNodeAsReachable`) and the taint-eviction
    /// controller cancels the evictions it had scheduled.
    func postNodeReady<C: KubeletContext>(_ n: Int, why: String, in ctx: C) {
        let t = ctx.now
        ctx.store.update(node: n) { $0.statusHeartbeat = t }
        ctx.setNodeReady(n, .isTrue)
        ctx.faultsObserveNodeStatusPosted(n, why)
        requestPodStatusSync(n, in: ctx)
    }

    func requestPodStatusSync<C: KubeletContext>(_ n: Int, in ctx: C) {
        guard ctx.nodes[n].up, markPodSyncPending(n) else { return }
        ctx.schedule(
            .podStatusSync(node: n, epoch: machineEpoch(n)),
            at: nextStatusTick(n, status.podGrid[n], purpose: "pod-status-phase", in: ctx) { setPodStatusGrid(n, $0) })
    }

    /// `syncBatch`: pods whose containers run and passed their readiness probe but that the
    /// API shows not ready get Ready again.
    func podStatusSync<C: KubeletContext>(node n: Int, epoch: Int, in ctx: C) {
        clearPodSyncPending(n)
        guard ctx.nodes[n].up, machineEpoch(n) == epoch, ctx.k3sRunning(n) else { return }
        guard ctx.canWrite(from: n) else {
            requestPodStatusSync(n, in: ctx)
            return
        }
        for id in ctx.nodes[n].pods.sorted() {
            guard let pod = ctx.pods[id], self.pod(id).probedReady, pod.running, !pod.ready, !pod.isTerminating else {
                continue
            }
            ctx.setPodReady(id, true)
        }
    }

    /// The loop's next tick after now on node `n`; its phase (`grid`, nil until first needed)
    /// is drawn then and kept with `keep`.
    private func nextStatusTick<C: KubeletContext>(
        _ n: Int, _ grid: SimTime?, purpose: String, in ctx: C, keep: (SimTime) -> Void
    ) -> SimTime {
        let start: SimTime
        if let grid {
            start = grid
        } else {
            var rng = ctx.freshStream("node/\(ctx.nodes[n].name)", purpose)
            start = SimTime(microseconds: Int64(rng.nextUnit() * Double(Self.statusPeriod.microseconds)))
            keep(start)
        }
        return TickGrid(start: start, period: Self.statusPeriod).next(atOrAfter: ctx.now + SimTime(microseconds: 1))
    }
}
