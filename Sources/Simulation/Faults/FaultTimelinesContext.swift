import KubeModel
import SimKernel

/// What the fault timelines read of the cluster to word their milestones and to tell when a
/// fault is over: the clock, the nodes, pods, workloads, Deployments and volumes, which nodes
/// are servers, the node lifecycle settings, the nodes' last Lease renewals and the
/// locations' names.
protocol FaultTimelinesContext: AnyObject {
    var now: SimTime { get }
    var nodes: [SimNode] { get }
    var pods: [PodID: SimPod] { get }
    var workloads: [Workload] { get }
    var deployments: [SimDeployment] { get }
    var volumes: [SimVolume] { get }
    var serverNodes: [Int] { get }
    var params: ClusterParameters { get }
    func leaseRenewTime(_ n: Int) -> SimTime
    /// A location as milestones name it: its region and zone labels, the ones set, joined by "/".
    func zoneLabel(_ z: Int) -> String
}

extension ClusterSimulation: FaultTimelinesContext {
    func zoneLabel(_ z: Int) -> String { zones[z].label }

    // MARK: The fault timelines' entry points that other components' contexts name

    func faultsCausing(nodes: [Int]) -> [FaultID] { faultTimelines.faultsCausing(nodes: nodes, at: now) }

    func faultsObserveControlPlane(_ name: MilestoneName, _ mechanism: String, causes: [FaultID]) {
        faultTimelines.controlPlaneMilestone(name, mechanism, causes: causes, in: self)
    }

    func faultsObserve(_ name: MilestoneName, onNode n: Int, _ mechanism: String) {
        faultTimelines.nodeMilestone(name, onNode: n, mechanism, at: now)
    }

    func faultsObservePodDeletion(workload w: WorkloadID, _ name: MilestoneName, _ mechanism: String) {
        faultTimelines.podDeletionMilestone(workload: w, name, mechanism, at: now)
    }

    func faultsObserveProgressDeadline(_ d: Int) { faultTimelines.progressDeadlineExceeded(deployment: d, in: self) }

    func faultsObserveDeployment(_ d: Int, status: (replicas: Int, updated: Int, ready: Int, available: Int), complete: Bool) {
        faultTimelines.deploymentStatusChanged(d, status: status, complete: complete, in: self)
    }

    func faultsObserveRolloutDone(workload w: WorkloadID, _ mechanism: String) {
        faultTimelines.rolloutDone(workload: w, mechanism, at: now)
    }

    func faultsObserveNodeReady(_ n: Int) { faultTimelines.nodeBootedReady(n, in: self) }

    func faultsObserveNodeReportedNotReady(_ n: Int) { faultTimelines.nodeReportedNotReady(n, in: self) }

    func faultsObserveNodeStatusPosted(_ n: Int, _ why: String) { faultTimelines.nodeStatusPosted(n, why, in: self) }
}
