import KubeModel
import SimKernel

/// What the CloudNativePG operator uses of the cluster: the clock and its event queue, the
/// pods and nodes, the objects it creates (workload, PDBs, claims, instance pods, a note),
/// the role labels it writes, the partition view its isolation check needs, the kubelet's
/// side of a liveness kill and its restart, and the milestones it files.
protocol CNPGOperatorContext: AnyObject {
    var now: SimTime { get }
    var pods: [PodID: SimPod] { get }
    var nodes: [SimNode] { get }
    func schedule(_ event: CNPGEvent, after delay: SimTime)
    func schedule(_ event: CNPGEvent, at time: SimTime)
    /// From a write to the informers that tell a controller (`apiLatency`).
    func informerLatency() -> SimTime

    func addWorkload(name: String, kind: String, desired: Int) -> WorkloadID
    /// Whether the workload's measurement window is open (time without a primary counts).
    func isMeasuring(workload w: WorkloadID) -> Bool
    func addNote(_ text: String)
    func addPodDisruptionBudget(_ pdb: PodDisruptionBudget)
    func addClaim(_ pvc: PersistentVolumeClaim)
    func createInstancePod(
        name: String, namespace: String, labels: [String: String], spec: PodSpec, owner: PodOwner, workload: WorkloadID
    ) -> PodID
    /// Writes `cnpg.io/instanceRole` and `role` on the pod.
    func setInstanceRole(_ pod: PodID, _ role: String)

    /// Whether no partition is in force.
    var unpartitioned: Bool { get }
    func k3sRunning(_ n: Int) -> Bool
    func canWrite(from n: Int) -> Bool
    func sameSide(_ a: Int, _ b: Int) -> Bool

    /// The kubelet's run of the pod (bumped whenever it stops or restarts it).
    func kubeletGeneration(_ pod: PodID) -> Int
    /// Where the pod's probe workers tick from.
    func probeGridStart(_ pod: PodID) -> SimTime
    /// The kubelet kills the container after its liveness probe failed; it is not Ready.
    func stopAfterLivenessFailure(_ pod: PodID)
    /// The kubelet starts the stopped pod's container again.
    func restartStoppedPod(_ pod: PodID)

    func faultsObserve(_ name: MilestoneName, onNode n: Int, _ mechanism: String)
    /// `name` goes to the running delete-pod faults that hit the workload's pods.
    func faultsObservePodDeletion(workload w: WorkloadID, _ name: MilestoneName, _ mechanism: String)
}

extension ClusterSimulation: CNPGOperatorContext {
    func schedule(_ event: CNPGEvent, after delay: SimTime) { engine.schedule(.cnpg(event), after: delay) }

    func schedule(_ event: CNPGEvent, at time: SimTime) { engine.schedule(.cnpg(event), at: time) }

    func isMeasuring(workload w: WorkloadID) -> Bool { workloads[w].measuring }

    func addNote(_ text: String) { notes.append(text) }

    func addPodDisruptionBudget(_ pdb: PodDisruptionBudget) { pdbs.append(pdb) }

    func createInstancePod(
        name: String, namespace: String, labels: [String: String], spec: PodSpec, owner: PodOwner, workload: WorkloadID
    ) -> PodID {
        createPod(name: name, namespace: namespace, labels: labels, spec: spec, owner: owner, workload: workload)
    }

    func setInstanceRole(_ pod: PodID, _ role: String) {
        store.update(pod: pod) { p in
            p.labels["cnpg.io/instanceRole"] = role
            p.labels["role"] = role
        }
    }

    var unpartitioned: Bool { controlPlane.side.isEmpty }

    func stopAfterLivenessFailure(_ pod: PodID) {
        kubelet.containerExited(pod)
        store.update(pod: pod) { $0.running = false }
    }

    func restartStoppedPod(_ pod: PodID) {
        kubelet.restartPod(pod, in: self)
    }
}
