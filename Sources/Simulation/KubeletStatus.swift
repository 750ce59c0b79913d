import KubeModel
import SimKernel

/// The kubelet's two status loops, for the moments they change something:
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

extension ClusterSimulation {
    /// `nodeStatusUpdateFrequency` and the status manager's sync period: both 10 s upstream.
    var kubeletStatusPeriod: SimTime { .seconds(10) }

    /// The kubelet's node status differs from the API's: its next sync posts it.
    func requestNodeStatusSync(_ n: Int) {
        guard nodes[n].up, kubeletStatus.nodeSyncPending.insert(n).inserted else { return }
        engine.schedule(
            .kubelet(.nodeStatusSync(node: n, epoch: nodes[n].epoch)),
            at: nextStatusTick(n, &kubeletStatus.nodeGrid, purpose: "node-status-phase"))
    }

    func nodeStatusSync(node n: Int, epoch: Int) {
        kubeletStatus.nodeSyncPending.remove(n)
        let reported = kubeletReportedReady(n)
        guard nodes[n].up, nodes[n].epoch == epoch, k3sRunning(n), nodes[n].ready != reported else { return }
        guard canWrite(from: n) else {
            // The patch fails; the loop tries again at its next tick.
            requestNodeStatusSync(n)
            return
        }
        if reported == .isTrue {
            postNodeReady(
                n,
                why:
                    "kubelet node status sync (nodeStatusUpdateFrequency \(kubeletStatusPeriod)) reached a writable API server and posted Ready=True"
            )
        } else {
            postNodeNotReady(n)
        }
    }

    /// The Ready condition the kubelet computes: False while the container runtime is down
    /// (the runtime-status setter in pkg/kubelet/nodestatus `ReadyCondition`).
    func kubeletReportedReady(_ n: Int) -> ConditionStatus {
        kubeletStatus.runtimeDown.contains(n) ? .isFalse : .isTrue
    }

    /// The kubelet posts Ready=False itself. The node lifecycle controller then taints the
    /// node `not-ready:NoExecute` through its rate limiter but does not mark the pods
    /// NotReady: it does that only for a node that turns not ready in its own eyes, i.e. one it
    /// sets to Unknown (`monitorNodeHealth`: MarkPodsNotReady needs the observed condition True).
    func postNodeNotReady(_ n: Int) {
        let t = now
        store.update(node: n) { $0.statusHeartbeat = t }
        setNodeReady(n, .isFalse)
        faultsObserveNodeReportedNotReady(n)
    }

    /// The kubelet patches Ready=True with a fresh heartbeat; the node lifecycle controller's
    /// next pass removes the NoExecute taints (`markNodeAsReachable`) and the taint-eviction
    /// controller cancels the evictions it had scheduled.
    func postNodeReady(_ n: Int, why: String) {
        let t = now
        store.update(node: n) { $0.statusHeartbeat = t }
        setNodeReady(n, .isTrue)
        faultsObserveNodeStatusPosted(n, why)
        requestPodStatusSync(n)
    }

    func requestPodStatusSync(_ n: Int) {
        guard nodes[n].up, kubeletStatus.podSyncPending.insert(n).inserted else { return }
        engine.schedule(
            .kubelet(.podStatusSync(node: n, epoch: nodes[n].epoch)),
            at: nextStatusTick(n, &kubeletStatus.podGrid, purpose: "pod-status-phase"))
    }

    /// `syncBatch`: pods whose containers run and passed their readiness probe but that the
    /// API shows not ready get Ready again.
    func podStatusSync(node n: Int, epoch: Int) {
        kubeletStatus.podSyncPending.remove(n)
        guard nodes[n].up, nodes[n].epoch == epoch, k3sRunning(n) else { return }
        guard canWrite(from: n) else {
            requestPodStatusSync(n)
            return
        }
        for id in nodes[n].pods.sorted() {
            guard let pod = pods[id], kubelet.pod(id).probedReady, pod.running, !pod.ready, !pod.isTerminating else { continue }
            setPodReady(id, true)
        }
    }

    /// The loop's next tick after now on node `n`; its phase is drawn when first needed.
    private func nextStatusTick(_ n: Int, _ grids: inout [Int: SimTime], purpose: String) -> SimTime {
        let grid: SimTime
        if let g = grids[n] {
            grid = g
        } else {
            var rng = streams.stream("node/\(nodes[n].name)", purpose)
            grid = SimTime(microseconds: Int64(rng.nextUnit() * Double(kubeletStatusPeriod.microseconds)))
            grids[n] = grid
        }
        return TickGrid(start: grid, period: kubeletStatusPeriod).next(atOrAfter: now + SimTime(microseconds: 1))
    }
}
