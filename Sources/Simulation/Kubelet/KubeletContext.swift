import KubeModel
import SimKernel

/// What the kubelets use of the cluster: the store (to read, and to write the Node, its Lease
/// and pod status), the clock and their own events, the parameters and seeded random draws,
/// whether a node's API server can write, the control plane they tell when a server's machine
/// stops or boots, the components they hand work to (attach/detach, container restarts, the
/// Job controller, the CloudNativePG operator, the node lifecycle controller's derived view)
/// and the fault timelines their milestones go to.
protocol KubeletContext: AnyObject {
    var now: SimTime { get }
    var pods: [PodID: SimPod] { get }
    var nodes: [SimNode] { get }
    var store: APIStore { get }
    var params: ClusterParameters { get }
    @discardableResult func schedule(_ event: KubeletEvent, at time: SimTime) -> EventID
    @discardableResult func schedule(_ event: KubeletEvent, after delay: SimTime) -> EventID
    func cancelEvent(_ id: EventID)
    /// A sample from the stream (entity, purpose), drawn in sequence.
    func draw(_ entity: String, _ purpose: String, _ distribution: Distribution) -> Double
    func freshStream(_ entity: String, _ purpose: String) -> RandomStream
    func timing(for pod: SimPod) -> PodTiming
    func jobRun(for pod: SimPod) -> (run: Distribution, failureProbability: Double, exitCode: Int32)
    func workloadName(_ w: WorkloadID) -> String

    // API servers and the node's own services
    func canWrite(from n: Int) -> Bool
    /// What `canWrite(from:)` depends on besides the node's own zone.
    func writabilitySignature() -> WritabilitySignature
    func k3sRunning(_ n: Int) -> Bool
    /// Holds a status write back until an API server can write.
    func deferUntilWritable(_ event: KubeletEvent)
    func isServer(_ n: Int) -> Bool
    func etcdMembershipChanged()
    func controlPlaneAvailabilityChanged()
    func noteAPIAvailability()
    /// The machine booted: it no longer counts as shut down by its OS.
    func machineBooted(_ n: Int)
    /// The K3S service was restarting and now runs again (false: it was not restarting).
    func k3sServiceStarted(_ n: Int) -> Bool

    // API writes beyond the store's own
    func setNodeReady(_ n: Int, _ status: ConditionStatus)
    func setPodReady(_ id: PodID, _ ready: Bool)
    func removePod(_ id: PodID)
    func imagePresent(_ image: String, on n: Int)
    func hasImage(_ image: String, on n: Int) -> Bool

    // other components
    /// The node's Lease phase starts or ends: the node lifecycle controller looks at it again.
    func leasePhaseChanged(_ n: Int)
    /// Asks the attach/detach controller for the pod's volumes; true when none are missing.
    func requestAttach(_ pod: SimPod, on n: Int) -> Bool
    func containersStoppedWithMachine(_ pod: SimPod)
    /// The container started: a crash or a failing liveness probe still to come follows.
    func containerRestartsObserveStart(_ id: PodID)
    /// A Job pod's container exited non-zero under restartPolicy OnFailure.
    func crashContainer(_ id: PodID)
    func jobPodFinished(_ id: PodID, succeeded: Bool, exitCode: Int32)
    /// The machine under a Job pod restarted; true when the pod ended.
    func jobPodFailedByReboot(_ id: PodID) -> Bool

    // fault timelines
    func faultsObserveNodeReady(_ n: Int)
    func faultsObserveNodeReportedNotReady(_ n: Int)
    func faultsObserveNodeStatusPosted(_ n: Int, _ why: String)
}

extension ClusterSimulation: KubeletContext {
    @discardableResult
    func schedule(_ event: KubeletEvent, at time: SimTime) -> EventID { engine.schedule(.kubelet(event), at: time) }

    @discardableResult
    func schedule(_ event: KubeletEvent, after delay: SimTime) -> EventID {
        engine.schedule(.kubelet(event), after: delay)
    }

    func jobRun(for pod: SimPod) -> (run: Distribution, failureProbability: Double, exitCode: Int32) {
        PodTimingRule.jobRun(labels: pod.labels, rules: spec.timing)
    }

    func workloadName(_ w: WorkloadID) -> String { workloads[w].name }

    func writabilitySignature() -> WritabilitySignature {
        WritabilitySignature(apiWritable: apiWritable, side: controlPlane.side, leader: etcd.leader)
    }

    func deferUntilWritable(_ event: KubeletEvent) { controlPlane.deferredWrites.append(.kubelet(event)) }

    func isServer(_ n: Int) -> Bool { serverNodes.contains(n) }

    func machineBooted(_ n: Int) { k3sService.shutDown.remove(n) }

    func leasePhaseChanged(_ n: Int) { nodeLifecycle.unsettleNode(n, in: self) }

    func requestAttach(_ pod: SimPod, on n: Int) -> Bool { attachDetach.requestAttach(pod, on: n, in: self) }

    func containersStoppedWithMachine(_ pod: SimPod) {
        if case .pgCluster(let c, _) = pod.owner { cnpgOperator.instanceStopped(cluster: c, in: self) }
    }

    func containerRestartsObserveStart(_ id: PodID) { containerRestarts.containerStarted(id, in: self) }

    func crashContainer(_ id: PodID) { containerRestarts.crash(id, count: 1, in: self) }

    func jobPodFinished(_ id: PodID, succeeded: Bool, exitCode: Int32) {
        jobController.podFinished(id, succeeded: succeeded, exitCode: exitCode, in: self)
    }

    // MARK: The simulation's entry points to its kubelets

    func crashNode(_ n: Int) { kubelet.crashNode(n, in: self) }
    func powerOnNode(_ n: Int) { kubelet.powerOn(n, in: self) }
    func containerRuntimeUp(_ n: Int) { kubelet.containerRuntimeUp(n, in: self) }
    func requestNodeStatusSync(_ n: Int) { kubelet.requestNodeStatusSync(n, in: self) }
    /// The Lease's renewTime as the API holds it now.
    func leaseRenewTime(_ n: Int) -> SimTime { kubelet.leaseRenewTime(n, in: self) }
}
