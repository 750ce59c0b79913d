import SimKernel

/// What the embedded raft (etcd, or dqlite on MicroK8s) uses of the cluster: its settings,
/// the clock and its own events, which servers run K3S and which sides of a partition they
/// are on, seeded random streams, the fault timelines its milestones go to, and the control
/// plane it tells when the datastore can write again.
protocol EtcdContext: AnyObject {
    var now: SimTime { get }
    var controlPlaneSpec: ControlPlaneSpec { get }
    /// Location index → partition side (absent: side 0).
    var partitionSides: [Int: Int] { get }
    func schedule(_ event: EtcdEvent, at time: SimTime)
    func nodeName(_ n: Int) -> String
    func nodeIndex(named name: String) -> Int?
    func zone(ofNode n: Int) -> Int
    /// The node's K3S (and so its etcd member) runs.
    func k3sRunning(_ n: Int) -> Bool
    func sameSide(_ a: Int, _ b: Int) -> Bool
    /// Runs `body` on the stream (entity, purpose), which goes on from its previous draw.
    func drawInSequence<T>(_ entity: String, _ purpose: String, _ body: (inout RandomStream) -> T) -> T
    func freshStream(_ entity: String, _ purpose: String) -> RandomStream
    func faultsCausing(nodes: [Int]) -> [FaultID]
    func faultsObserveControlPlane(_ name: MilestoneName, _ mechanism: String, causes: [FaultID])
    func noteAPIAvailability()
    func controlPlaneAvailabilityChanged()
    func recordControlPlane()
}

extension ClusterSimulation: EtcdContext {
    var controlPlaneSpec: ControlPlaneSpec { spec.controlPlane }
    var partitionSides: [Int: Int] { controlPlane.side }

    func schedule(_ event: EtcdEvent, at time: SimTime) { engine.schedule(.etcd(event), at: time) }
    func nodeName(_ n: Int) -> String { nodes[n].name }
    func nodeIndex(named name: String) -> Int? { nodeIndex[name] }
    func zone(ofNode n: Int) -> Int { nodes[n].zone }

    func freshStream(_ entity: String, _ purpose: String) -> RandomStream { streams.stream(entity, purpose) }

    // MARK: The simulation's entry points to its datastore

    /// Something changed (a server crashed or came back, a partition started or healed).
    func etcdMembershipChanged() { etcd.membershipChanged(in: self) }
}
