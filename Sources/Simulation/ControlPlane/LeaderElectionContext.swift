import SimKernel

/// What leader election uses of the cluster: the Lease timings, the clock and its own
/// events, which servers run K3S and can write through the API, seeded random streams, the
/// fault timelines its milestones go to, and the control plane it tells about a new leader.
protocol LeaderElectionContext: AnyObject {
    var now: SimTime { get }
    var controlPlaneSpec: ControlPlaneSpec { get }
    /// The K3S servers' node indices, where the instances run.
    var serverNodes: [Int] { get }
    func schedule(_ event: LeaderElectionEvent, at time: SimTime)
    func nodeName(_ n: Int) -> String
    func k3sRunning(_ n: Int) -> Bool
    /// Node `n` can write through an API server.
    func canWrite(from n: Int) -> Bool
    /// Node `n` is on the side of a partition where the API server writes.
    func canReachWritableServer(from n: Int) -> Bool
    /// The node's K3S was stopped on purpose (the machine runs, or the service shut down),
    /// so its instances cancelled their leader election.
    func stoppedGracefully(_ n: Int) -> Bool
    /// Runs `body` on the stream (entity, purpose), which goes on from its previous draw.
    func drawInSequence<T>(_ entity: String, _ purpose: String, _ body: (inout RandomStream) -> T) -> T
    func freshStream(_ entity: String, _ purpose: String) -> RandomStream
    func faultsCausing(nodes: [Int]) -> [FaultID]
    /// The faults that cost the datastore its leader or quorum.
    var datastoreLossCauses: [FaultID] { get }
    func faultsObserveControlPlane(_ name: MilestoneName, _ mechanism: String, causes: [FaultID])
    /// `role`'s new leader works: replay what waited for it.
    func leaseAcquired(_ role: LeaderElectedRole)
}

extension ClusterSimulation: LeaderElectionContext {
    func schedule(_ event: LeaderElectionEvent, at time: SimTime) { engine.schedule(.leaderElection(event), at: time) }
    func stoppedGracefully(_ n: Int) -> Bool { nodes[n].up || k3sService.shutDown.contains(n) }
    var datastoreLossCauses: [FaultID] { etcd.lossCauses }

    func leaseAcquired(_ role: LeaderElectedRole) {
        if role == .controllerManager { restartControllers() }
        replayDeferred()
        recordControlPlane()
    }
}
