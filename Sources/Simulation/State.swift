import KubeModel
import SimKernel

/// `NodeCondition` Ready status as the API server holds it.
enum ConditionStatus: String { case isTrue = "True", isFalse = "False", unknown = "Unknown" }

/// What rarely changes about a node during a run, held by reference: the scheduler copies `SimNode`
/// values for the nodes it evaluates, and every reference-counted field of `SimNode` costs a retain
/// and a release on each copy.
///
/// Labels change only when a client of `k3sim serve` labels the node; the node then gets new
/// constants (copies taken before keep what they saw).
final class NodeConstants {
    let spec: NodeSpec
    let labels: [String: String]
    init(spec: NodeSpec, labels: [String: String]) { self.spec = spec; self.labels = labels }
}

/// A node: the API object plus the machine and kubelet behind it.
struct SimNode {
    let index: Int
    private var constants: NodeConstants
    var spec: NodeSpec { constants.spec }
    var name: String { constants.spec.name }
    /// The node's labels (`excludedFromDisruption` and `zone` keep what they were at creation).
    var labels: [String: String] { constants.labels }
    /// Replaces the labels (a write through the store: `APIStore.update(node:)`).
    mutating func replaceLabels(_ labels: [String: String]) { constants = NodeConstants(spec: spec, labels: labels) }
    /// `node.kubernetes.io/exclude-disruption`: not counted in its zone's state.
    let excludedFromDisruption: Bool
    var taints: [Taint]
    var unschedulable: Bool
    /// NLC zone key (region + zone label).
    let zone: Int

    // API view
    var ready: ConditionStatus = .isTrue
    /// The Lease's renewTime.
    var leaseRenewTime: SimTime
    /// The Ready condition's lastHeartbeatTime from the kubelet's last node status patch
    /// (posted only when the status differed; the Lease carries the routine heartbeats).
    var statusHeartbeat: SimTime = .zero
    /// Pods bound here and not yet deleted (including terminating ones: they hold their
    /// resources until they are gone, as the scheduler's cache does).
    var pods: Set<PodID> = []
    var requested = Resources.zero
    /// Requests with the scoring defaults for containers that set none (100m, 200 MiB).
    var nonZeroRequested = Resources.zero

    /// The Node object was deleted (`kubectl delete node`); the kubelet re-registers it when it runs.
    var deleted = false
    var deletedAt: SimTime?
    /// The cloud server behind the node no longer exists.
    var serverDeleted = false

    // machine / kubelet
    var up = true
    var images: Set<String> = []
    /// `images.count`, as a plain field: ImageLocality reads it for every feasible node of
    /// every pod to see whether its cached answer is current (images are only ever added),
    /// and reading the set's count retained and released the set.
    var imageCount: Int32 = 0

    init(index: Int, spec: NodeSpec, zone: Int, leaseRenewTime: SimTime) {
        self.index = index; self.constants = NodeConstants(spec: spec, labels: spec.labels); self.taints = spec.taints
        self.excludedFromDisruption = spec.labels["node.kubernetes.io/exclude-disruption"] != nil
        self.unschedulable = spec.unschedulable; self.zone = zone; self.leaseRenewTime = leaseRenewTime
    }

    /// Taints as the scheduler sees them: `spec.unschedulable` shows as the unschedulable taint.
    var hasNoExecuteTaints: Bool { taints.contains { $0.effect == .NoExecute } }
    /// Tainted `node.kubernetes.io/out-of-service:NoExecute`: PodGC and the attach/detach
    /// controller act on its pods and volumes at once.
    var outOfService: Bool { taints.contains { $0.key == Taint.outOfServiceKey && $0.effect == .NoExecute } }
}

/// Which controller owns a pod.
enum PodOwner: Equatable {
    case replicaSet(Int)
    case daemonSet(Int)
    case statefulSet(Int, ordinal: Int)
    case pgCluster(Int, serial: Int)
    case job(Int)
    case none
}

/// A pod: API object plus the kubelet's view of its containers.
struct SimPod {
    let id: PodID
    let name: String
    let namespace: String
    var labels: [String: String]
    private let specBox: PodSpecBox
    var spec: PodSpec { specBox.spec }
    let owner: PodOwner
    let workload: WorkloadID
    let created: SimTime
    let requests: Resources
    let nonZeroRequests: Resources
    let priority: Int32
    /// Tolerations after admission (DefaultTolerationSeconds, DaemonSet defaults).
    let tolerations: [Toleration]

    var nodeName: String?
    var node: Int?
    /// API Ready condition.
    var ready = false
    var readySince: SimTime?
    var deletionTimestamp: SimTime?
    var gracePeriod: SimTime = .seconds(30)
    /// The reason of the `DisruptionTarget` condition (status True) the component that deleted it
    /// added: EvictionByEvictionAPI, DeletionByTaintManager, PreemptionByScheduler or
    /// DeletionByPodGC; nil for other deletions.
    ///
    /// A Job's podFailurePolicy reads it.
    var disruptionTarget: String?

    // the machine: whether its containers really run (not an API field)
    var running = false
    /// Container state as the API last heard it from the kubelet (stale on a dead node).
    var statusRunning = false

    /// `status.nominatedNodeName`: set by preemption, the node freed for this pod.
    var nominatedNode: Int?

    var key: String { "\(namespace)/\(name)" }
    var isTerminating: Bool { deletionTimestamp != nil }
    /// Serving traffic: Ready in the API and its containers really running.
    var serving: Bool { ready && running && deletionTimestamp == nil }
}

/// A pod's spec, held by reference: `SimPod` values are copied often (the scheduler, the
/// controllers) and a `PodSpec` inline costs a dozen retains and releases on each copy.
final class PodSpecBox {
    let spec: PodSpec
    init(_ spec: PodSpec) { self.spec = spec }
}

extension SimPod {
    init(
        id: PodID, name: String, namespace: String, labels: [String: String], spec: PodSpec, owner: PodOwner,
        workload: WorkloadID, created: SimTime, requests: Resources, nonZeroRequests: Resources, priority: Int32,
        tolerations: [Toleration]
    ) {
        self.init(
            id: id, name: name, namespace: namespace, labels: labels, specBox: PodSpecBox(spec), owner: owner,
            workload: workload, created: created, requests: requests, nonZeroRequests: nonZeroRequests,
            priority: priority, tolerations: tolerations)
    }
}

struct SimReplicaSet {
    let id: Int
    let name: String
    let namespace: String
    let selector: LabelSelector
    var template: PodTemplateSpec
    let templateHash: String
    var replicas: Int
    let minReadySeconds: Int
    let deployment: Int?
    let workload: WorkloadID
    let revision: Int
    /// `deployment.kubernetes.io/desired-replicas` and `max-replicas` annotations.
    var desiredAnnotation: Int?
    var maxAnnotation: Int?
    var pods: Set<PodID> = []
    /// Of `pods`, those not terminating (`status.replicas`) and those of them Ready, kept up
    /// to date by `podCountsChanged` so that a sync does not walk every pod.
    var activePods = 0
    var readyPods = 0
    /// Per node: its pods bound there and not terminating (the scale-down's "doubled up" rank).
    var activeOnNode: [Int: Int] = [:]
    var podNameCounter = 0
}

struct SimDeployment {
    let id: Int
    var object: Deployment
    let workload: WorkloadID
    var replicaSets: [Int] = []
    var revision = 0
    /// Bumped by every template change; the pod-template-hash derives from it.
    var templateGeneration = 0
    var templateHash = ""
    /// (replicas, updated, ready, available) at the last status sync.
    var lastStatus: [Int] = []
    var lastProgress: SimTime = .zero
    var progressDeadlineExceeded = false
    /// The Progressing condition's reason is NewReplicaSetAvailable: the latest rollout
    /// completed (until the next template change).
    var rolloutComplete = false
    var deadlineTimer: EventID?
}

/// A unit of availability measurement: a Deployment, DaemonSet, standalone ReplicaSet or bare pod.
struct Workload {
    let name: String
    let kind: String
    var desired: Int
    /// Ready replicas at the last measurement.
    var ready = 0
    /// Pods serving now (`SimPod.serving`), kept up to date by `podCountsChanged`.
    var serving = 0
    /// Non-terminating pods (for rollout bounds).
    var pods = 0
    var available = 0
    /// Pods of the workload that exist in the API.
    var members: Set<PodID> = []
    /// Measured from the first time the workload reached its desired count...
    var measuring = false
    var steady = ReadinessIntegrals()
    /// ...or, if it never did, over the whole run.
    var whole = ReadinessIntegrals()
    var lastChange: SimTime = .zero
    var minReady = Int.max
    var series: [SeriesPoint] = []
}
