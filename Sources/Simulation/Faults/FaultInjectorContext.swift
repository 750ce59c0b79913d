import KubeModel
import SimKernel

/// What the fault injector uses of the cluster: the clock and its own events, what a target
/// resolves to (nodes, pods, workloads and their controllers' objects, the servers and the
/// raft leader), the fault timelines it opens and notes into, and the entry points each
/// action goes through — the kubelet's crash and power-on, K3S restarts, the container
/// runtime, the network partition, the etcd disk, the managed control plane, API writes,
/// drains, upgrades and container failures.
protocol FaultInjectorContext: FaultTimelinesContext {
    var faultTimelines: FaultTimelines { get }
    var daemonSets: [SimDaemonSet] { get }
    var statefulSets: [SimStatefulSet] { get }
    var controlPlaneSpec: ControlPlaneSpec { get }
    /// The service that runs the kubelet ("K3S service", …), as the restart milestone names it.
    var nodeServiceName: String { get }
    /// "etcd" or "dqlite".
    var raftStoreName: String { get }
    /// The server of the raft leader, nil without one.
    var raftLeaderNode: Int? { get }
    var storageSettings: StorageSpec { get }
    var hostFailureRestartDelay: SimTime { get }
    var nodeBootTime: SimTime { get }
    func schedule(_ event: FaultEvent, at time: SimTime)
    func schedule(_ event: FaultEvent, after delay: SimTime)
    func nodeIndex(named name: String) -> Int?
    func deploymentIndex(_ ns: String, _ name: String) -> Int?
    func deploymentStatus(_ d: Int) -> (replicas: Int, updated: Int, ready: Int, available: Int)
    func statefulSetIndex(namespace: String, name: String) -> Int?
    func daemonSetIndex(namespace: String, name: String) -> Int?
    func freshStream(_ entity: String, _ purpose: String) -> RandomStream

    // Machines, the network and the platform.
    func crashNode(_ n: Int)
    func powerOnNode(_ n: Int)
    func restartK3s(_ n: Int, for duration: SimTime)
    func stopContainerRuntime(_ n: Int)
    func containerRuntimeUp(_ n: Int)
    func setPartition(isolating zones: Set<Int>?, healing: [FaultID])
    func slowEtcdDisk(by extra: SimTime)
    func restoreEtcdDisk(by extra: SimTime)
    func setManagedReplicaDown(_ down: Bool)
    func controlPlaneAvailabilityChanged()
    func restartControllers()

    // API writes, drains and upgrades.
    func deleteNodeObject(_ n: Int)
    func addTaint(_ n: Int, _ taint: Taint)
    func markServerDeleted(_ n: Int)
    func uncordon(_ n: Int)
    func startDrain(
        _ n: Int, owner: DrainOwner, force: Bool, timeout: SimTime?, skipUnmanaged: Bool
    ) -> Result<Int, DrainRefusal>
    func startUpgrade(fault i: FaultID, nodes: [Int], plan: UpgradePlan)
    func startNodePoolUpgrade(fault i: FaultID, nodes: [Int], plan: UpgradePlan, settings: NodePoolUpgradeSettings)
    func updateDeploymentTemplate(_ d: Int, image: String?)
    func updateStatefulSetTemplate(_ s: Int, image: String?)
    func updateDaemonSetTemplate(_ d: Int, image: String?)
    func scaleDeployment(_ d: Int, to replicas: Int)
    func deletePod(_ id: PodID, reason: String)

    // Container failures, which the kubelet's container restarts carry out.
    func crashContainer(_ pod: PodID, count: Int)
    func failLiveness(_ pod: PodID, until: SimTime)
    func failReadiness(_ pod: PodID, until: SimTime)
}

extension ClusterSimulation: FaultInjectorContext {
    var nodeServiceName: String { spec.nodeService.name }
    var raftStoreName: String { etcd.raftStoreName(in: self) }
    var raftLeaderNode: Int? { etcd.leader.map { etcd.members[$0].node } }
    var hostFailureRestartDelay: SimTime { params.hostFailureRestartDelay }

    func schedule(_ event: FaultEvent, at time: SimTime) { engine.schedule(.fault(event), at: time) }
    func schedule(_ event: FaultEvent, after delay: SimTime) { engine.schedule(.fault(event), after: delay) }

    func statefulSetIndex(namespace: String, name: String) -> Int? {
        statefulSetController.index(namespace: namespace, name: name)
    }

    func daemonSetIndex(namespace: String, name: String) -> Int? { daemonSetController.index(namespace: namespace, name: name) }

    /// The kubelet keeps renewing its Lease but reports Ready=False at its next status sync.
    func stopContainerRuntime(_ n: Int) { kubelet.containerRuntimeDown(n, in: self) }

    /// Every write waits for the slower fsync: API writes and election rounds alike.
    func slowEtcdDisk(by extra: SimTime) {
        params.apiLatency += extra
        spec.controlPlane.memberRoundTrip += extra
    }

    func restoreEtcdDisk(by extra: SimTime) {
        params.apiLatency = params.apiLatency - extra
        spec.controlPlane.memberRoundTrip = spec.controlPlane.memberRoundTrip - extra
    }

    func setManagedReplicaDown(_ down: Bool) { controlPlane.managedReplicaDown = down }

    func markServerDeleted(_ n: Int) { store.update(node: n) { $0.serverDeleted = true } }

    func startUpgrade(fault i: FaultID, nodes: [Int], plan: UpgradePlan) {
        upgradeController.start(fault: i, nodes: nodes, plan: plan, in: self)
    }

    func startNodePoolUpgrade(fault i: FaultID, nodes: [Int], plan: UpgradePlan, settings: NodePoolUpgradeSettings) {
        nodePoolUpgradeController.start(fault: i, nodes: nodes, plan: plan, settings: settings, in: self)
    }

    func updateStatefulSetTemplate(_ s: Int, image: String?) { statefulSetController.updateTemplate(s, image: image, in: self) }

    func updateDaemonSetTemplate(_ d: Int, image: String?) { daemonSetController.updateTemplate(d, image: image, in: self) }

    func crashContainer(_ pod: PodID, count: Int) { containerRestarts.crash(pod, count: count, in: self) }

    func failLiveness(_ pod: PodID, until: SimTime) { containerRestarts.failLiveness(pod, until: until, in: self) }

    func failReadiness(_ pod: PodID, until: SimTime) { containerRestarts.failReadiness(pod, until: until, in: self) }
}
