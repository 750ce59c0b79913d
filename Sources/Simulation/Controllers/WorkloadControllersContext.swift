import KubeModel
import SimKernel

/// What every pod-owning workload controller (ReplicaSet, StatefulSet, DaemonSet) uses of the
/// cluster: the pods, the controllers' shared work queue, the workload it measures under, and
/// pod creation (with admission) and deletion through the API server.
protocol WorkloadControllerContext: AnyObject {
    var pods: [PodID: SimPod] { get }
    func enqueueSync(_ key: SyncKey)
    func addWorkload(name: String, kind: String, desired: Int) -> WorkloadID
    func refusedByAdmission(_ spec: PodSpec, namespace: String, podName: String, owner: String, event: (String) -> String)
        -> Bool
    /// Creates the pod through the API server (admission already asked).
    func createPod(
        name: String, namespace: String, labels: [String: String], spec: PodSpec, owner: PodOwner, workload: WorkloadID,
        extraTolerations: [Toleration]
    ) -> PodID
    func deletePod(_ id: PodID, reason: String)
}

/// The cluster as the ReplicaSet and Deployment controllers see it, and the simulation's own
/// entry points to them (faults, the autoscaler and `k3sim serve` scale and roll out through
/// these, and read the status the controllers compute).
extension ClusterSimulation: ReplicaSetControllerContext, DeploymentControllerContext {
    /// The ReplicaSets as their controller holds them (read-only here).
    var replicaSets: [SimReplicaSet] { replicaSetController.sets }
    /// The Deployments as their controller holds them (read-only here).
    var deployments: [SimDeployment] { deploymentController.deployments }

    var runSeed: UInt64 { spec.seed }

    func scheduleAvailabilityCheck(replicaSet: Int, at time: SimTime) {
        engine.schedule(.availabilityCheck(replicaSet: replicaSet), at: time)
    }

    func workloadKind(_ w: WorkloadID) -> String { workloads[w].kind }

    /// The sets whose pods count for a scale-down's "doubled up" rank: every ReplicaSet of
    /// the same Deployment (the controller's `getIndirectlyRelatedPods`), or the set alone.
    func relatedReplicaSets(_ i: Int) -> [Int] {
        replicaSets[i].deployment.map { deployments[$0].replicaSets } ?? [i]
    }

    func scheduleSync(_ key: SyncKey, at time: SimTime) -> EventID { engine.schedule(.sync(key), at: time) }

    func cancelEvent(_ id: EventID) { engine.cancel(id) }

    func replicaSet(_ rs: Int) -> SimReplicaSet { replicaSetController.sets[rs] }

    func replicaSetStatus(_ rs: Int) -> (replicas: Int, ready: Int, available: Int) {
        replicaSetController.status(rs, in: self)
    }

    func createReplicaSet(
        name: String, namespace: String, selector: LabelSelector, template: PodTemplateSpec,
        templateHash: String, replicas: Int, minReadySeconds: Int, deployment: Int?, workload: WorkloadID,
        revision: Int
    ) -> Int {
        replicaSetController.create(
            name: name, namespace: namespace, selector: selector, template: template, templateHash: templateHash,
            replicas: replicas, minReadySeconds: minReadySeconds, deployment: deployment, workload: workload,
            revision: revision, in: self)
    }

    func scaleReplicaSet(_ rs: Int, to replicas: Int) { replicaSetController.scale(rs, to: replicas, in: self) }

    func annotateReplicaSet(_ rs: Int, desired: Int, max: Int) {
        replicaSetController.annotate(rs, desired: desired, max: max)
    }

    // MARK: The simulation's entry points

    func deploymentIndex(_ ns: String, _ name: String) -> Int? { deploymentController.index(namespace: ns, name: name) }

    func deploymentStatus(_ d: Int) -> (replicas: Int, updated: Int, ready: Int, available: Int) {
        deploymentController.status(d, in: self)
    }

    /// `spec.replicas` of a Deployment changed: the workload's desired count follows.
    func scaleDeployment(_ d: Int, to replicas: Int) {
        let w = deployments[d].workload
        workloads[w].desired = replicas
        measureDesiredChanged(workload: w)
        deploymentController.scale(d, to: replicas, in: self)
    }

    func updateDeploymentTemplate(_ d: Int, image: String?) { deploymentController.updateTemplate(d, image: image, in: self) }
}

extension ClusterSimulation {
    /// generateName's five characters, from the alphabet apimachinery uses, drawn from the
    /// owner's own stream.
    func podNameSuffix(entity: String) -> String {
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return drawInSequence(entity, "pod-names") { rng in
            String((0..<5).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        }
    }
}
