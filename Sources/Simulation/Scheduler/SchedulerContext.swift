import KubeModel
import SimKernel

/// What kube-scheduler uses of the cluster: the clock and its own events, the parameters in
/// force (queue timings), the pods and nodes its informers hold, the snapshot its plugins
/// read, the API writes it makes (the binding, a nominated node, preemption's deletions),
/// the PodDisruptionBudgets preemption weighs, and the events and notes it posts.
protocol SchedulerContext: AnyObject {
    var now: SimTime { get }
    var params: ClusterParameters { get }
    var pods: [PodID: SimPod] { get }
    var nodes: [SimNode] { get }
    var nodeIndex: [String: Int] { get }
    func schedule(_ event: SchedulerEvent, after delay: SimTime)
    /// The cluster as this cycle's plugins see it.
    func schedulingSnapshot() -> SchedulingContext
    /// VolumeBinding's PreBind: why the pod's claims cannot be bound on the chosen node.
    func volumeBindingPreBindFailure(_ pod: SimPod) -> String?
    func bindPod(_ id: PodID, node n: Int)
    /// Writes the pod's `status.nominatedNodeName`.
    func setNominatedNode(_ id: PodID, _ node: Int?)
    func deletePod(_ id: PodID, reason: String, disruptionTarget: String?)
    func pdbDisruptionsAllowed() -> [Int]
    func violatesPDB(_ pod: SimPod, _ allowed: [Int]) -> Bool
    func matchesPDB(_ pod: SimPod, _ i: Int) -> Bool
    /// The FailedScheduling Warning event.
    func postFailedScheduling(pod: PodID, message: String)
    func note(_ text: String)
}

extension ClusterSimulation: SchedulerContext {
    func schedule(_ event: SchedulerEvent, after delay: SimTime) { engine.schedule(.scheduler(event), after: delay) }

    func schedulingSnapshot() -> SchedulingContext { SchedulingContext(sim: self) }

    func setNominatedNode(_ id: PodID, _ node: Int?) { store.update(pod: id) { $0.nominatedNode = node } }

    func postFailedScheduling(pod: PodID, message: String) {
        componentEvents?(.failedScheduling(pod: pod, message: message))
    }

    func note(_ text: String) { notes.append(text) }

    /// Something that can make an unschedulable pod schedulable happened (a pod went away,
    /// a node became ready or lost a taint).
    func clusterChanged() {
        scheduler.moveAllToActiveQueue(in: self)
    }

    /// The DaemonSet controller's `nodeShouldRunDaemonPod` and friends reuse the NodeAffinity check.
    func nodeMatchesAffinity(_ spec: PodSpec, node n: Int) -> Bool {
        NodeAffinityPlugin.matches(spec, nodes[n])
    }

    /// Pods still waiting for a node at the end, with kube-scheduler's last message.
    func pendingPods() -> [(key: String, reason: String)] {
        pods.values.filter { $0.node == nil && !$0.isTerminating }.sorted { $0.id < $1.id }.map {
            ($0.key, scheduler.lastFailure($0.id) ?? "waiting for a scheduling attempt")
        }
    }
}
