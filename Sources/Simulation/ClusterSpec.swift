import KubeModel
import SimKernel

/// Everything a simulation run needs, independent of how it was written down
/// (the Scenario module builds it from YAML; tests build it directly).
public struct ClusterSpec: Sendable {
    public var name: String
    public var duration: SimTime
    public var seed: UInt64
    public var parameters: ClusterParameters
    public var nodes: [NodeSpec]
    public var workloads: Workloads
    public var timing: [PodTimingRule]
    public var faults: [FaultSpec]
    /// KubeSchedulerConfiguration (`spec.scheduler`); nil: the default profile.
    public var scheduler: SchedulerConfiguration?
    /// The control plane (datastore, servers, etcd timing); implicit: never fails.
    public var controlPlane: ControlPlaneSpec = .implicit
    /// What a `restart` fault restarts on a node: the process that runs the kubelet (and, on
    /// servers, the control plane) in this distribution.
    public var nodeService = NodeService.k3s
    /// Storage classes and the volume controllers' timing.
    public var storage = StorageSpec()
    /// The provider's node auto-repair (GKE, EKS managed node groups); nil: nobody repairs a
    /// broken node (K3S, RKE2, Talos and MicroK8s on Hetzner; LKE, where a worker is recycled
    /// by hand).
    public var nodeAutoRepair: NodeAutoRepairSpec?
    /// HorizontalPodAutoscalers with a load profile, and loads on targets without one.
    public var autoscalers: [AutoscalerSpec] = []
    /// Things the input stage wants the run's notes to carry.
    public var notes: [String]
    /// The wall-clock instant of t = 0, in seconds since 1970-01-01T00:00:00Z: CronJob schedules
    /// are evaluated against it.
    ///
    /// Assumption when the scenario names none: 2025-01-01T00:00:00Z (a Wednesday), so that
    /// `*/5 * * * *` fires at t = 0, 300 s, ….
    public var startTime: Int64 = ClusterSpec.defaultStartTime
    public static let defaultStartTime: Int64 = 1_735_689_600

    public init(
        name: String, duration: SimTime, seed: UInt64 = 1, parameters: ClusterParameters = .init(),
        nodes: [NodeSpec], workloads: Workloads, timing: [PodTimingRule] = [], faults: [FaultSpec] = [],
        scheduler: SchedulerConfiguration? = nil, notes: [String] = []
    ) {
        self.name = name; self.duration = duration; self.seed = seed; self.parameters = parameters
        self.nodes = nodes; self.workloads = workloads; self.timing = timing; self.faults = faults
        self.scheduler = scheduler; self.notes = notes
    }
}

/// The objects applied at the start of the run.
public struct Workloads: Sendable {
    public var deployments: [Deployment] = []
    public var replicaSets: [ReplicaSetManifest] = []
    public var daemonSets: [DaemonSet] = []
    public var statefulSets: [StatefulSet] = []
    public var pods: [PodManifest] = []
    public var podDisruptionBudgets: [PodDisruptionBudget] = []
    public var priorityClasses: [PriorityClass] = []
    /// Enforced at pod creation by the ResourceQuota admission plugin.
    public var resourceQuotas: [ResourceQuota] = []
    /// Classes pods may name in `runtimeClassName` (their overhead is applied to templates at load).
    public var runtimeClasses: [RuntimeClass] = []
    /// Only their selectors matter (default topology spreading).
    public var services: [Service] = []
    public var persistentVolumeClaims: [PersistentVolumeClaim] = []
    /// CloudNativePG clusters, run as the operator runs them.
    public var cnpgClusters: [CNPGCluster] = []
    /// Run by the Job controller; CronJobs create more of them on their schedule.
    public var jobs: [Job] = []
    public var cronJobs: [CronJob] = []
    public init() {}
}

/// Pod start-up and shutdown timing for the pods a selector matches.
///
/// The first rule that matches a pod and sets a field wins for that field; unset fields use the
/// defaults.
public struct PodTimingRule: Sendable, Equatable {
    public var selector: LabelSelector
    /// Pull time of an image not yet on the node, in seconds.
    public var imagePull: Distribution?
    /// From image present to container running, in seconds.
    public var containerStart: Distribution?
    /// From container running to the application answering its readiness probe, in seconds.
    public var appReady: Distribution?
    /// From SIGTERM to the container exiting (capped by terminationGracePeriodSeconds), in seconds.
    public var shutdown: Distribution?
    /// Image size in bytes, for ImageLocality scoring (manifests do not say).
    public var imageSizeBytes: Int64?
    /// A Job pod's run: from its container starting to the container exiting, in seconds.
    public var runDuration: Distribution?
    /// The chance that a Job pod's run ends with a non-zero exit code (0–1).
    public var failureProbability: Double?
    /// The exit code of such a failed run (1–255), for podFailurePolicy's onExitCodes rules.
    public var exitCode: Int32?

    public init(
        selector: LabelSelector = .init(), imagePull: Distribution? = nil, containerStart: Distribution? = nil,
        appReady: Distribution? = nil, shutdown: Distribution? = nil, imageSizeBytes: Int64? = nil
    ) {
        self.selector = selector; self.imagePull = imagePull; self.containerStart = containerStart
        self.appReady = appReady; self.shutdown = shutdown; self.imageSizeBytes = imageSizeBytes
    }

    /// Assumption when no rule gives a Job pod's run: a median of 30 s with a p95 of 120 s
    /// (short batch work such as certificate generation or a schema migration), and no failures.
    public static let defaultRunDuration = Distribution.lognormal(median: 30, p95: 120)
    public static let defaultFailureProbability = 0.0
    /// Assumption when no rule gives a failed run's exit code: 1, the usual "general error".
    public static let defaultExitCode: Int32 = 1

    /// Assumption when no rule gives an image size: 100 MiB.
    public static let defaultImageSizeBytes: Int64 = 100 * 1024 * 1024

    /// Modelling assumptions (unverified): small images pull in 1–10 s, containerd starts a
    /// container in 0.3–2 s; apps answer their probe within ~1–5 s and stop within ~1–3 s of
    /// SIGTERM.
    public static let defaultImagePull = Distribution.lognormal(median: 3, p95: 12)
    public static let defaultContainerStart = Distribution.lognormal(median: 0.8, p95: 2)
    public static let defaultAppReady = Distribution.lognormal(median: 1.5, p95: 5)
    public static let defaultShutdown = Distribution.lognormal(median: 1, p95: 3)
}

/// A K3S upgrade as the system-upgrade-controller runs it (rancher/system-upgrade-controller Plan):
/// servers first, then agents; `concurrency` nodes at a time; cordon or drain each
/// node; the K3S restart; `postCompleteDelay` before the next.
public struct UpgradePlan: Sendable, Equatable {
    public enum Strategy: String, Sendable, Equatable {
        /// K3S/RKE2 with the system-upgrade-controller: each node is upgraded where it stands.
        case inPlace = "in-place"
        /// GKE surge upgrade, EKS managed node group update, LKE pool recycle: a new node
        /// first (maxSurge 1, maxUnavailable 0), then the old one is drained and deleted.
        case surge
        /// Talos (`talosctl upgrade`): each node is drained, stops its pods and services, writes
        /// the new image to its disk and reboots into it.
        case reboot
    }
    public var strategy = Strategy.inPlace
    /// Surge on a managed platform: the provider's own way of replacing nodes; nil for the
    /// generic surge (`concurrency` nodes, each a new node first).
    public var nodePool: NodePoolUpgradeSettings?
    /// Surge: time from ordering a node to its kubelet being Ready.
    ///
    /// Assumption: 90 s (provider API + boot + join; measure on your platform).
    public var provisionTime: SimTime = .seconds(90)
    public var concurrency = 1
    /// Drain (evict through PDBs) instead of cordon only.
    public var drain = false
    /// Time the K3S service is down on a node while its binary is replaced and restarted.
    ///
    /// Assumption: 30 s; measure on your servers.
    public var restartTime: SimTime = .seconds(30)
    /// Reboot: from the node's services stopping to its machine starting the new image — the
    /// installer writing the image to the inactive boot partition, then a kexec (or firmware)
    /// reboot.
    ///
    /// The installer image is pulled before the drain (Talos's `Upgrade` API handler pulls and
    /// validates it first), so the pull is not in it. Assumption: 60 s for a cloud VM's disk; the
    /// kubelet then needs the platform's `nodeBootTime`.
    public var installAndRebootTime: SimTime = .seconds(60)
    /// Reboot: how long the drain may take before the upgrade goes on without it (Talos
    /// pkg/kubernetes `DrainTimeout`, 5 minutes; `Drain` logs the pods it could not evict and
    /// returns, and the pods left are stopped with the others).
    public var rebootDrainTimeout: SimTime = .minutes(5)
    public var postCompleteDelay: SimTime = .zero
    /// The upgrade Job's `activeDeadlineSeconds` and `backoffLimit`, as the
    /// system-upgrade-controller's default-controller-env ConfigMap sets them
    /// (SYSTEM_UPGRADE_JOB_ACTIVE_DEADLINE_SECONDS 900, SYSTEM_UPGRADE_JOB_BACKOFF_LIMIT 99).
    public var jobActiveDeadline: SimTime = .seconds(900)
    public var jobBackoffLimit = 99
    public init() {}
}

public struct FaultSpec: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        case crash, recover, outage, rollout, scale, drain, uncordon, upgrade, partition
        case slowDisk = "slow-disk"
        /// The Hetzner server is deleted (not just off): the cloud controller manager deletes its Node.
        case deleteServer = "delete-server"
        case hostFailure = "host-failure"
        case deleteNode = "delete-node"
        case outOfService = "out-of-service"
        case deletePod = "delete-pod"
        /// The K3S service on the node restarts (for `for:`, else the upgrade's restartTime).
        case restart
        /// The container runtime stops answering: the kubelet keeps its Lease but reports
        /// Ready=False until `for:` ends.
        case runtimeDown = "runtime-down"
        /// The container of one pod exits (`count` times); the kubelet restarts it with back-off.
        case crashContainer = "crash-container"
        /// A pod's liveness or readiness probe fails for `for:`.
        case failProbe = "fail-probe"
    }
    /// fail-probe: which probe fails.
    public enum ProbeKind: String, Sendable, CaseIterable { case liveness, readiness }
    public enum Target: Sendable, Equatable, CustomStringConvertible {
        case node(String)
        case nodeOfPod(namespace: String, name: String)
        case zone(String)
        case pool(String)
        case deployment(namespace: String, name: String)
        case statefulSet(namespace: String, name: String)
        case daemonSet(namespace: String, name: String)
        case pod(namespace: String, name: String)
        case cluster
        /// The server of the current etcd leader.
        case controlPlaneLeader
        /// The whole control plane (an upgrade: the servers one by one, or the provider's).
        case controlPlane

        public var description: String {
            switch self {
            case .node(let n): return "node/\(n)"
            case .nodeOfPod(let ns, let n): return "node-of/pod/\(ns)/\(n)"
            case .zone(let z): return "zone/\(z)"
            case .pool(let p): return "pool/\(p)"
            case .deployment(let ns, let n): return "deployment/\(ns)/\(n)"
            case .statefulSet(let ns, let n): return "statefulset/\(ns)/\(n)"
            case .daemonSet(let ns, let n): return "daemonset/\(ns)/\(n)"
            case .pod(let ns, let n): return "pod/\(ns)/\(n)"
            case .cluster: return "cluster"
            case .controlPlaneLeader: return "controlplane/leader"
            case .controlPlane: return "controlplane"
            }
        }
    }

    public var at: SimTime
    public var action: Action
    public var target: Target
    /// Recover (crash, outage) after this long.
    public var duration: SimTime?
    /// Action options: rollout `image`; scale `replicas`; crash/outage on a pool `count`;
    /// delete-pod `count`.
    public var image: String?
    public var replicas: Int?
    public var count: Int?
    /// drain: give up after this long; upgrade: per-node drain timeout.
    public var timeout: SimTime?
    /// slow-disk: extra fsync latency of every etcd write.
    public var latency: SimTime?
    /// drain: also delete pods that have no controller (kubectl drain --force).
    public var force = false
    /// fail-probe: the probe that fails.
    public var probe: ProbeKind?
    /// upgrade: the system-upgrade-controller Plan.
    public var upgrade = UpgradePlan()

    public init(
        at: SimTime, action: Action, target: Target, duration: SimTime? = nil, image: String? = nil,
        replicas: Int? = nil, count: Int? = nil
    ) {
        self.at = at; self.action = action; self.target = target; self.duration = duration
        self.image = image; self.replicas = replicas; self.count = count
    }
}

/// The service that runs a node's kubelet (and, on servers, the control plane), as the
/// timelines name it.
public struct NodeService: Sendable {
    /// In the restart fault's timeline: "K3S service stopped for 30s".
    public var name: String
    /// Why an etcd leader stopped gracefully: "K3S restart".
    public var restart: String

    public init(name: String, restart: String) { self.name = name; self.restart = restart }

    public static let k3s = NodeService(name: "K3S service", restart: "K3S restart")
}
