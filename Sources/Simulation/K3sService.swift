import KubeModel
import SimKernel

/// The K3S service on a node (`k3s server` or `k3s agent`), which runs the kubelet and, on a
/// server, the etcd member, the API server and the embedded kube-controller-manager and
/// kube-scheduler in one process.
///
/// A restart (an upgrade, a `restart` fault) stops all of them gracefully for its duration while
/// the containers keep running under their shims.
struct K3sServiceState {
    /// Nodes whose K3S service is restarting, and until when.
    var restartingUntil: [Int: SimTime] = [:]
    /// Machines shut down by their OS (services stopped in order, then off) until they boot:
    /// their components released what they release on a graceful stop.
    var shutDown: Set<Int> = []
}

extension ClusterSimulation {
    /// The machine is up and its K3S service runs.
    func k3sRunning(_ n: Int) -> Bool {
        guard nodes[n].up else { return false }
        let restarting = k3sService.restartingUntil
        return restarting.isEmpty || restarting[n] == nil
    }

    /// Stops the K3S service on node `n` for `duration`.
    ///
    /// The kubelet stops renewing its Lease and syncing status; on a server the etcd member stops
    /// (a leader hands its leadership over first) and the controller-manager and scheduler
    /// instances stop.
    func restartK3s(_ n: Int, for duration: SimTime) {
        guard k3sRunning(n) else { return }
        kubelet.stop(n, in: self)
        let member = etcd.members.firstIndex { $0.node == n }
        let transferee = member.flatMap { etcd.leader == $0 ? etcd.leadershipTransferee(from: $0, in: self) : nil }
        k3sService.restartingUntil[n] = now + duration
        if let member, let transferee {
            etcd.transferLeadership(from: member, to: transferee, why: spec.nodeService.restart, in: self)
        } else if member != nil {
            etcdMembershipChanged()
        }
        if serverNodes.contains(n) { controlPlaneAvailabilityChanged() }
        engine.schedule(.kubelet(.started(node: n, epoch: kubelet.machineEpoch(n))), after: duration)
    }

    /// K3S is running again (the kubelet's `started` event, which then goes on with the kubelet's
    /// own restart): the etcd member rejoins as a follower.
    ///
    /// False when the service was not restarting.
    func k3sServiceStarted(_ n: Int) -> Bool {
        guard k3sService.restartingUntil[n] != nil else { return false }
        k3sService.restartingUntil[n] = nil
        if etcd.members.contains(where: { $0.node == n }) { etcdMembershipChanged() }
        if serverNodes.contains(n) { controlPlaneAvailabilityChanged() }
        return true
    }
}
