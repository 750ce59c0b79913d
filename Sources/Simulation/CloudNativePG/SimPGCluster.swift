import KubeModel
import SimKernel

/// The CloudNativePG operator's view of one cluster.
struct SimPGCluster {
    let id: Int
    let object: CNPGCluster
    let workload: WorkloadID
    /// serial (1…instances) → pod id of the instance with that name.
    var podBySerial: [Int: PodID] = [:]
    var primary: Int?
    /// A failover or switchover is under way (no primary until it ends).
    var transition: Transition?
    /// The node of the primary when the transition started (its fault gets the milestones).
    var transitionNode: Int?
    var generation = 0
    var noPrimarySince: SimTime?
    var secondsWithoutPrimary = 0.0
    /// A single-instance cluster's instance is down (nothing to fail over to), and the node it
    /// was on when it went (its fault gets the milestones).
    var soleInstanceDown = false
    var soleInstanceNode: Int?
    /// Bumped whenever a partition begins or heals, so that a liveness kill scheduled for an
    /// earlier isolation is dropped.
    var isolationGeneration = 0
    /// The instance the kubelet stopped on its failed isolation check: it stays down while
    /// cut off (its instance manager needs the API to start) and restarts once the partition heals.
    var isolatedStopped: Int?
    /// A primary replaced by a failover while its PostgreSQL still ran, with the kubelet
    /// generation of that run: it accepts writes until that run ends (see `runningPrimaries`).
    var deposed: (serial: Int, generation: Int)?

    enum Transition: Equatable { case failover(from: Int), switchover(from: Int, to: Int) }
}

/// Timing assumptions of the operator's actions (not CNPG settings).
enum CNPGTiming {
    /// `pg_ctl promote` of a streaming replica.
    ///
    /// Assumption: 2 s.
    static let promote = SimTime.seconds(2)
    /// A replica cloning the primary (pg_basebackup) before it can stream.
    ///
    /// Assumption: 30 s.
    static let replicaJoin = SimTime.seconds(30)
    /// A clean switchover: fast shutdown of the primary, WAL catch-up, promotion.
    ///
    /// Assumption: 5 s.
    static let switchover = SimTime.seconds(5)
    /// v1.30 primary Lease (docs/src/failover.md): duration 15 s, retry period 2 s.
    static let leaseDuration = SimTime.seconds(15)
    static let leaseRetryPeriod = SimTime.seconds(2)
    /// `wal_receiver_timeout` set by CNPG: replicas notice a dead primary within 5 s.
    static let walReceiverTimeout = SimTime.seconds(5)
}
