import SimKernel

/// A machine its operating system shuts down (a Talos upgrade's reboot), as opposed to one
/// that crashes: the services stop in order before the power goes, so a leading etcd member
/// hands over its leadership (etcd's graceful `Stop`, server/etcdserver/server.go
/// `TransferLeadership`) and kube-scheduler releases its Lease, while the containers and the
/// kubelet are gone as in a crash. The machine comes back through `powerOnNode`.
extension ClusterSimulation {
    func shutDownMachine(_ n: Int, why: String) {
        guard nodes[n].up else { return }
        let member = etcd.members.firstIndex { $0.node == n }
        let transferee = member.flatMap { m in
            k3sRunning(n) && etcd.leader == m ? etcd.leadershipTransferee(from: m, in: self) : nil
        }
        k3sService.shutDown.insert(n)
        kubelet.haltMachine(n, in: self)
        if let member, let transferee {
            etcd.transferLeadership(from: member, to: transferee, why: why, in: self)
        } else if member != nil {
            etcdMembershipChanged()
        }
        if serverNodes.contains(n) { controlPlaneAvailabilityChanged() }
        noteAPIAvailability()
    }
}
