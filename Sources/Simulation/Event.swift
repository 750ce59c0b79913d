import SimKernel

/// The events of a cluster simulation: plain values, dispatched by `ClusterSimulation.handle`.
enum SimEvent {
    // faults
    case fault(Int)
    case faultRecover(Int)
    // kubelet
    case leaseRenew(node: Int, epoch: Int)
    case nodeBooted(node: Int, epoch: Int)
    case kubeletAdmit(pod: Int, generation: Int)
    case imagePulled(node: Int, epoch: Int)
    case containerStarted(pod: Int, generation: Int)
    case podReady(pod: Int, generation: Int)
    case containerStopped(pod: Int, generation: Int)
    case container(ContainerEvent)
    /// A Job pod's container exits after its run (`failed`: a non-zero exit code).
    case jobPodExited(pod: Int, generation: Int, failed: Bool)
    // controllers
    case nodeMonitorPass
    case taintPass(zone: Int)
    case taintEviction(TaintEvictionEvent)
    case syncReplicaSet(Int)
    case syncDeployment(Int)
    case syncDaemonSet(Int)
    /// minReadySeconds elapsed for some pod of a ReplicaSet.
    case availabilityCheck(replicaSet: Int)
    // control plane
    case etcdElectionTimeout(member: Int, epoch: Int)
    case etcdLeaderElected(member: Int, epoch: Int)
    case etcdLeaderStepDown(epoch: Int)
    case leaseTakeover(component: Int, epoch: Int)
    case leaseRenewDeadline(component: Int, epoch: Int)
    case kubeletLeaseRetry(node: Int, epoch: Int)
    case nodeStatusSync(node: Int, epoch: Int)
    case podStatusSync(node: Int, epoch: Int)
    case kubeletStarted(node: Int, epoch: Int)
    // storage
    case volumeAttached(volume: Int, node: Int)
    case volumeDetached(volume: Int, node: Int)
    case attachDetachReconcile
    case podGC(PodGCEvent)
    case job(JobEvent)
    case cronJob(CronJobEvent)
    case nodeAutoRepair(NodeAutoRepairEvent)
    /// A managed control plane's upgrade (fault index) ends.
    case managedControlPlaneUpgraded(fault: Int)
    case syncStatefulSet(Int)
    // CloudNativePG operator
    case syncPGCluster(Int)
    case pgFailoverElect(cluster: Int, generation: Int)
    case pgPromote(cluster: Int, serial: Int, generation: Int)
    /// The kubelet's third failed liveness probe of an isolated primary (not an API write).
    case pgIsolationCheck(cluster: Int, generation: Int)
    // drains
    case drainEvict(drain: Int, pod: Int)
    case drainPoll(drain: Int, pod: Int)
    case drainTimeout(drain: Int)
    case upgradeNodeDone(upgrade: Int, node: Int)
    case upgradeNext(upgrade: Int, node: Int)
    case surgeNodeReady(upgrade: Int, replacing: Int)
    case upgradeJobRetry(upgrade: Int, node: Int)
    case upgradeJobDeadline(upgrade: Int, node: Int)
    // scheduler
    case schedulingCycle
    case flushUnschedulable
}
