import SimKernel

/// The events of a cluster simulation: plain values, one case per component, each wrapping that
/// component's own events.
///
/// `ClusterSimulation.handle` routes them.
enum SimEvent {
    case fault(FaultEvent)
    case kubelet(KubeletEvent)
    case container(ContainerEvent)
    case nodeLifecycle(NodeLifecycleEvent)
    case taintEviction(TaintEvictionEvent)
    case job(JobEvent)
    case cronJob(CronJobEvent)
    case autoscaler(AutoscalerEvent)
    /// A queued sync of a ReplicaSet, Deployment, DaemonSet or StatefulSet (a workqueue key).
    case sync(SyncKey)
    /// minReadySeconds elapsed for some pod of a ReplicaSet.
    case availabilityCheck(replicaSet: Int)
    case etcd(EtcdEvent)
    case leaderElection(LeaderElectionEvent)
    case attachDetach(AttachDetachEvent)
    case podGC(PodGCEvent)
    case nodeAutoRepair(NodeAutoRepairEvent)
    case cnpg(CNPGEvent)
    case drain(DrainEvent)
    case upgrade(UpgradeEvent)
    case nodePoolUpgrade(NodePoolUpgradeEvent)
    case scheduler(SchedulerEvent)
}

/// A controller sync that is queued (deduplicated like a workqueue key).
enum SyncKey: Hashable {
    case replicaSet(Int), deployment(Int), daemonSet(Int), statefulSet(Int)
}

/// The kubelet's (and the machine's) events on one node or for one pod.
enum KubeletEvent {
    case leaseRenew(node: Int, epoch: Int)
    /// A failed Lease renewal is retried (with the kubelet's backoff).
    case leaseRetry(node: Int, epoch: Int)
    case nodeBooted(node: Int, epoch: Int)
    case started(node: Int, epoch: Int)
    case admit(pod: PodID, generation: Int)
    case imagePulled(node: Int, epoch: Int)
    case containerStarted(pod: PodID, generation: Int)
    /// The readiness probe passed; the status manager writes Ready.
    case podReady(pod: PodID, generation: Int)
    case containerStopped(pod: PodID, generation: Int)
    /// A Job pod's container exits after its run (`failed`: a non-zero exit code).
    case jobPodExited(pod: PodID, generation: Int, failed: Bool)
    case nodeStatusSync(node: Int, epoch: Int)
    case podStatusSync(node: Int, epoch: Int)
}

/// Raft among the embedded etcd members.
enum EtcdEvent {
    case electionTimeout(member: Int, epoch: Int)
    case leaderElected(member: Int, epoch: Int)
    /// CheckQuorum: a leader without a majority steps down.
    case leaderStepDown(epoch: Int)
    /// CheckQuorum: a leader cut off while the majority elects another steps down.
    case isolatedLeaderStepDown(member: Int)
    /// A member back from a healed partition hears the leader again.
    case memberRejoined(member: Int)
}

/// Leader election of kube-controller-manager and kube-scheduler.
enum LeaderElectionEvent {
    case takeover(LeaderElectedRole, epoch: Int)
    case renewDeadline(LeaderElectedRole, epoch: Int)
}

/// The CloudNativePG operator's events.
enum CNPGEvent: Equatable {
    case sync(Int)
    case failoverElect(cluster: Int, generation: Int)
    case promote(cluster: Int, serial: Int, generation: Int)
    /// The kubelet's third failed liveness probe of an isolated primary (not an API write).
    case isolationCheck(cluster: Int, generation: Int)
}

/// `kubectl drain`'s eviction loop.
enum DrainEvent {
    case evict(drain: Int, pod: PodID)
    case poll(drain: Int, pod: PodID)
    case timeout(drain: Int)
}

/// The system-upgrade-controller's, surge upgrades' and Talos reboots' events.
enum UpgradeEvent {
    case nodeDone(upgrade: Int, node: Int)
    case next(upgrade: Int, node: Int)
    case surgeNodeReady(upgrade: Int, replacing: Int)
    case jobRetry(upgrade: Int, node: Int)
    case jobDeadline(upgrade: Int, node: Int)
    /// Reboot: the node's new image is installed and the machine starts it.
    case machineRebooted(upgrade: Int, node: Int)
}

/// A managed node pool upgrade's events.
enum NodePoolUpgradeEvent {
    /// The next node may start.
    case next(upgrade: Int, node: Int)
    /// A surge node for `replacing` is Ready.
    case surgeNodeReady(upgrade: Int, replacing: Int)
    /// A replacement for a node deleted first is Ready.
    case replacementReady(upgrade: Int, replacing: Int)
    /// The provider's drain limit passed.
    case drainLimit(upgrade: Int, node: Int, drain: Int)
    /// The drained machine is terminated.
    case terminate(upgrade: Int, node: Int)
    /// EKS: the scale-up phase's nodes are Ready.
    case scaleUpReady(upgrade: Int, count: Int, like: Int)
}

/// kube-scheduler's loops.
enum SchedulerEvent {
    case cycle
    /// `flushUnschedulablePodsLeftover`.
    case flushUnschedulable
}
