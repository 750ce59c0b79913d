import KubeModel
import SimKernel

/// The API objects as `k3sim serve` hands them out: plain snapshots at the current simulated
/// time, with nothing that points back into the simulation.

/// A node as the API serves it.
public struct ServedNode: Sendable {
    /// The node's position in the scenario (stable for a run: its addresses derive from it).
    public let index: Int
    public let name: String
    public let labels: [String: String]
    public let taints: [Taint]
    public let unschedulable: Bool
    /// "True", "False" or "Unknown".
    public let ready: String
    /// When Ready last changed (zero: since the start of the run).
    public let readySince: SimTime
    public let heartbeat: SimTime
    public let leaseRenewTime: SimTime
    public let allocatable: Resources
    public let allocatablePods: Int
    public let podCount: Int
}

/// A pod as the API serves it.
public struct ServedPod: Sendable {
    public let uid: Int
    public let name: String
    public let namespace: String
    public let labels: [String: String]
    public let nodeName: String?
    public let nodeIndex: Int?
    public let nominatedNodeName: String?
    public let created: SimTime
    public let ready: Bool
    public let readySince: SimTime?
    /// Containers running as the API last heard from the kubelet.
    public let running: Bool
    public let deletionTimestamp: SimTime?
    public let gracePeriodSeconds: Int64
    /// The (kind, name) of the controller that owns it, such as ("ReplicaSet", "web-5d9c").
    public let owner: (kind: String, name: String)?
    public let containers: [(name: String, image: String)]
    public let priority: Int32
    /// The pod's spec as created (containers with their resources).
    public let spec: PodSpec
    /// After admission: the spec's, DefaultTolerationSeconds' not-ready and unreachable 300 s, DaemonSet defaults.
    public let tolerations: [Toleration]
    /// `status.startTime`: when the kubelet admitted the pod.
    public let startTime: SimTime?
    /// When its containers last started running as the API heard it.
    public let runningSince: SimTime?
    /// Container restarts (restartCount, the last exit, whether it waits in CrashLoopBackOff).
    public let restarts: ServedRestarts?
}

/// A pod's container restarts as the kubelet reports them in its container statuses.
public struct ServedRestarts: Sendable {
    public let count: Int
    public let lastFinishedAt: SimTime
    public let lastStartedAt: SimTime?
    /// Exited and waiting out the back-off (`waiting.reason` CrashLoopBackOff).
    public let backingOff: Bool
    /// The back-off it waits after the last exit.
    public let backOff: SimTime
}

/// A workload controller's object: Deployment, ReplicaSet, DaemonSet or StatefulSet.
public struct ServedWorkload: Sendable {
    public let kind: String
    public let name: String
    public let namespace: String
    public let labels: [String: String]
    public let selector: [String: String]
    /// spec.replicas (DaemonSet: the nodes that should run it).
    public let replicas: Int
    public let current: Int
    public let ready: Int
    public let available: Int
    public let updated: Int
    public let owner: (kind: String, name: String)?
    public let containers: [(name: String, image: String)]
}

/// A PodDisruptionBudget with the disruption controller's status.
public struct ServedPDB: Sendable {
    public let budget: PodDisruptionBudget
    public let currentHealthy: Int
    public let desiredHealthy: Int
    public let expected: Int
    public let disruptionsAllowed: Int
}

/// The outcome of a write a client asked for.
public enum ServedWriteResult: Equatable, Sendable {
    case done
    case notFound
    /// 429: the eviction would violate a PodDisruptionBudget (message as the API server's).
    case tooManyRequests(String)
    case failed(String)
}

/// Pods and nodes that changed since the last call to `takeChanges`.
public struct ServedChanges: Sendable {
    public var pods: [ServedPod] = []
    public var deletedPods: [ServedPod] = []
    public var nodes: [ServedNode] = []
    public var isEmpty: Bool { pods.isEmpty && deletedPods.isEmpty && nodes.isEmpty }
}

/// A leader-election Lease in kube-system (kube-controller-manager, kube-scheduler).
public struct ServedLease: Sendable {
    public let name: String
    /// The holder's node, nil while nobody holds it.
    public let holder: String?
    public let renewTime: SimTime
    public let durationSeconds: Int
}
