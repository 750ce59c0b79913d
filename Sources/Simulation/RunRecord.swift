/// What one run produced: the same shape for a simulated run and (later) a live drill, so
/// that validation compares two records and reports show both alike.
public struct RunRecord: Codable, Sendable, Equatable {
    public var scenarioName: String
    public var seed: UInt64
    /// "simulation" or "live".
    public var source: String
    public var simulatedSeconds: Double
    /// Wall-clock time of the run; excluded from determinism comparisons.
    public var wallSeconds: Double
    public var events: Int
    public var workloads: [WorkloadResult]
    public var faults: [FaultResult]
    public var controlPlane: ControlPlaneResult
    public var pendingPodsAtEnd: Int
    /// Change points of ready replicas per workload, node states and pending pods.
    public var series: [TimeSeries]
    /// Things the user should know about the run, such as an object that is decoded but not simulated.
    public var notes: [String]
    /// The machines and workload requests at the start of the run (see `RunTopology`), for reports.
    ///
    /// Optional so that records made before it existed (and live records that could not capture it)
    /// still decode and compare.
    public var topology: RunTopology?
    /// Jobs and CronJobs (nil when the run had none).
    public var jobs: [JobResult]? = nil
    public var cronJobs: [CronJobResult]? = nil
    /// HorizontalPodAutoscalers and loads (nil when the run had none).
    public var autoscalers: [AutoscalerResult]? = nil

    public init(
        scenarioName: String, seed: UInt64, source: String = "simulation", simulatedSeconds: Double,
        wallSeconds: Double, events: Int, workloads: [WorkloadResult], faults: [FaultResult],
        controlPlane: ControlPlaneResult, pendingPodsAtEnd: Int, series: [TimeSeries], notes: [String],
        topology: RunTopology? = nil
    ) {
        self.scenarioName = scenarioName; self.seed = seed; self.source = source
        self.simulatedSeconds = simulatedSeconds; self.wallSeconds = wallSeconds; self.events = events
        self.workloads = workloads; self.faults = faults; self.controlPlane = controlPlane
        self.pendingPodsAtEnd = pendingPodsAtEnd; self.series = series; self.notes = notes
        self.topology = topology
    }
}

/// Availability of one workload over the run.
public struct WorkloadResult: Codable, Sendable, Equatable {
    /// `namespace/name`.
    public var name: String
    /// Deployment, DaemonSet, ReplicaSet or Pod.
    public var kind: String
    public var desiredReplicas: Int
    /// Time average of min(ready, desired) / desired.
    public var availability: Double
    /// Seconds with fewer ready replicas than desired.
    public var secondsBelowDesired: Double
    /// Seconds with no ready replica while some were desired.
    public var secondsUnavailable: Double
    /// Fewest ready replicas at any time after the workload first reached its desired count.
    public var minReadyReplicas: Int
    /// CloudNativePG clusters: time without a Ready primary (nil for other workloads).
    public var secondsWithoutPrimary: Double?

    public init(
        name: String, kind: String, desiredReplicas: Int, availability: Double,
        secondsBelowDesired: Double, secondsUnavailable: Double, minReadyReplicas: Int,
        secondsWithoutPrimary: Double? = nil
    ) {
        self.name = name; self.kind = kind; self.desiredReplicas = desiredReplicas
        self.availability = availability; self.secondsBelowDesired = secondsBelowDesired
        self.secondsUnavailable = secondsUnavailable; self.minReadyReplicas = minReadyReplicas
        self.secondsWithoutPrimary = secondsWithoutPrimary
    }
}

/// The steps a fault's timeline can show.
///
/// The raw values are the names in the JSON record, the database and the reports; simulated runs,
/// live drills and etcd probes share them, so a comparison of the two matches names, not strings
/// someone retyped.
public enum MilestoneName: String, Codable, Sendable, CaseIterable, Comparable {
    // the fault itself
    case started, completed, deleted, restarted, partitioned, healed, slowDisk, diskRecovered
    case hostFailed, powerOn, serverDeleted, runtimeDown, runtimeUp, upgradeFailed, rebooted
    // nodes and the node lifecycle controller
    case nodeNotReady, nodeReady, nodeTainted, nodeDeleted, outOfService, evictionsHalted
    case nodeRepairStarted, nodeRepaired
    // pods, volumes and workloads
    case podsEvicted, podsForceDeleted, volumeDetached, volumeMultiAttach, statefulPodStuck
    case containerExited, containerRestarted, probeFailed
    case replacementsReady, recovered, progressDeadlineExceeded
    // drains
    case cordoned, drained, drainFailed, drainForced, uncordoned
    // etcd and the leader-elected control-plane components
    case leaderLost, leaderElected, leaderRestored, leaderTransfer, leaderSteppedDown, memberRejoined, quorumLost, quorumRestored,
        writesResumed
    case controllerManagerLeaseLost, controllerManagerResumed, schedulerLeaseLost, schedulerResumed
    // CloudNativePG
    case primaryUnready, primaryRecovered, newPrimary, switchoverStarted, primaryIsolated

    /// By name, as the text and the reports list milestones that happened at the same time.
    public static func < (a: MilestoneName, b: MilestoneName) -> Bool { a.rawValue < b.rawValue }
}

/// One step of a fault's timeline: what happened, when, and the mechanism behind it.
public struct Milestone: Codable, Sendable, Equatable {
    public var name: MilestoneName
    /// Simulated seconds from the start of the run.
    public var at: Double
    /// The Kubernetes mechanism and parameter behind it, in one line.
    public var mechanism: String

    public init(name: MilestoneName, at: Double, mechanism: String) {
        self.name = name; self.at = at; self.mechanism = mechanism
    }
}

/// A fault and what followed it.
///
/// Milestones that never happened are absent.
public struct FaultResult: Codable, Sendable, Equatable {
    public var index: Int
    public var action: String
    public var target: String
    public var at: Double
    /// In the order they happened.
    public var milestones: [Milestone]
    /// Action-specific figures, such as a rollout's `maxPods` and `minAvailable`.
    public var stats: [String: Double]

    public init(
        index: Int, action: String, target: String, at: Double, milestones: [Milestone] = [],
        stats: [String: Double] = [:]
    ) {
        self.index = index; self.action = action; self.target = target; self.at = at
        self.milestones = milestones; self.stats = stats
    }

    public func milestone(_ name: MilestoneName) -> Double? { milestones.first { $0.name == name }?.at }
}

public struct ControlPlaneResult: Codable, Sendable, Equatable {
    public var writeUnavailableSeconds: Double
    public var leaderChanges: Int
    public init(writeUnavailableSeconds: Double = 0, leaderChanges: Int = 0) {
        self.writeUnavailableSeconds = writeUnavailableSeconds; self.leaderChanges = leaderChanges
    }
}

/// A step function given by its change points.
public struct TimeSeries: Codable, Sendable, Equatable {
    /// `readyReplicas` (entity: workload), `nodeState` (entity: node; label Ready, NotReady,
    /// Cordoned, Upgrading, Down, Deleted), `pendingPods` (entity: cluster), `controlPlane`
    /// (entity `etcdLeader`; label: the leader's server or none).
    public var kind: String
    public var entity: String
    public var points: [SeriesPoint]
    public init(kind: String, entity: String, points: [SeriesPoint]) {
        self.kind = kind; self.entity = entity; self.points = points
    }
}

public struct SeriesPoint: Codable, Sendable, Equatable {
    public var t: Double
    public var value: Double
    public var label: String?
    public init(t: Double, value: Double, label: String? = nil) { self.t = t; self.value = value; self.label = label }
}
