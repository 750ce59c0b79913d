import SimKernel

/// The timing parameters of the modelled components, named after the real flags, with the
/// upstream defaults of the chosen Kubernetes version (docs/FIDELITY.md gives each one's source).
public struct ClusterParameters: Sendable, Equatable {
    // kubelet (k8s.io/kubelet config v1beta1 defaults)
    /// `nodeLeaseDurationSeconds` 40 s; the lease is renewed every 0.25 × duration = 10 s.
    public var nodeLeaseDuration: SimTime = .seconds(40)

    // kube-controller-manager, node lifecycle controller
    /// `--node-monitor-period` 5 s.
    public var nodeMonitorPeriod: SimTime = .seconds(5)
    /// `--node-monitor-grace-period`: 40 s up to 1.31, 50 s from 1.32 (kubernetes#126287).
    public var nodeMonitorGracePeriod: SimTime = .seconds(50)
    /// `--node-eviction-rate` 0.1 nodes/s per zone (NoExecute tainting).
    public var nodeEvictionRate = 0.1
    /// `--secondary-node-eviction-rate` 0.01 nodes/s, for large zones in PartialDisruption.
    public var secondaryNodeEvictionRate = 0.01
    /// `--unhealthy-zone-threshold` 0.55.
    public var unhealthyZoneThreshold = 0.55
    /// `--large-cluster-size-threshold` 50.
    public var largeClusterSizeThreshold = 50
    /// NodeEvictionPeriod: the tainting pass runs every 100 ms (pkg/controller/nodelifecycle; not verified).
    public var nodeEvictionPeriod: SimTime = .milliseconds(100)

    // kube-apiserver admission DefaultTolerationSeconds
    public var defaultNotReadyTolerationSeconds: Int64 = 300
    public var defaultUnreachableTolerationSeconds: Int64 = 300

    // Model assumptions (not upstream flags): latencies of the machinery between components.
    /// Watch/informer propagation plus one API round trip.
    ///
    /// Assumption: 10 ms.
    public var apiLatency: SimTime = .milliseconds(10)
    /// Time the scheduler spends on one pod's cycle.
    ///
    /// Assumption: 2 ms.
    public var schedulingCycle: SimTime = .milliseconds(2)
    /// Processing time of one node-monitor pass; the loop sleeps the period after the pass
    /// (`wait.Until` is sliding), so passes drift by this much.
    ///
    /// Assumption: 1 ms.
    public var nodeMonitorPassDuration: SimTime = .milliseconds(1)
    /// Time from a crashed node being switched back on to its kubelet renewing the lease (boot, K3S
    /// agent start).
    ///
    /// Assumption: 45 s; measure on your servers.
    public var nodeBootTime: SimTime = .seconds(45)
    /// Hetzner host failure: time until the server runs again on another host (boot included in
    /// nodeBootTime after it).
    ///
    /// Assumption: 60 s; Hetzner documents the restart, not its time.
    public var hostFailureRestartDelay: SimTime = .seconds(60)
    /// Scheduler backoff for a pod that failed scheduling: 1 s doubling to 10 s
    /// (`podInitialBackoffSeconds`, `podMaxBackoffSeconds`).
    public var podInitialBackoff: SimTime = .seconds(1)
    public var podMaxBackoff: SimTime = .seconds(10)
    /// Unschedulable pods are retried at least this often (`podMaxInUnschedulablePodsDuration` 5 min).
    public var podMaxInUnschedulablePodsDuration: SimTime = .minutes(5)

    public init() {}

    /// The upstream defaults of a Kubernetes minor version (1.28 to 1.35).
    public static func defaults(kubernetesMinor: Int) -> ClusterParameters {
        var p = ClusterParameters()
        // kubernetes/kubernetes#126287: node-monitor-grace-period 40 s → 50 s in v1.32.
        p.nodeMonitorGracePeriod = .seconds(kubernetesMinor >= 32 ? 50 : 40)
        return p
    }

    /// Lease renew interval: `nodeLeaseRenewIntervalFraction` 0.25 × lease duration.
    public var leaseRenewInterval: SimTime { SimTime(microseconds: nodeLeaseDuration.microseconds / 4) }
}

extension SimTime {
    public static func minutes(_ m: Int64) -> SimTime { .seconds(m * 60) }
}
