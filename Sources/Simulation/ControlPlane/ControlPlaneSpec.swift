import SimKernel

/// How the cluster's control plane is run (`spec.controlPlane` of a scenario).
public struct ControlPlaneSpec: Sendable, Equatable {
    public enum Datastore: String, Sendable, Equatable {
        /// K3S default: SQLite through kine, on one server; that server is the control plane.
        case sqlite
        /// etcd members on the control-plane servers (`--cluster-init`).
        case embeddedEtcd = "embedded-etcd"
        /// etcd or a SQL database outside the cluster: not hit by the cluster's node faults.
        case external
        /// EKS/GKE/LKE: the provider runs it.
        case managed
    }

    /// The raft library of the servers' embedded datastore, for its election timer.
    public enum EmbeddedRaft: String, Sendable, Equatable {
        /// etcd (etcd-io/raft): K3S, RKE2, Talos.
        case etcd
        /// dqlite's C raft (canonical/dqlite src/raft): MicroK8s HA.
        case dqlite
    }

    public var datastore: Datastore
    /// With `embeddedEtcd`: whose raft the servers run.
    public var embeddedRaft = EmbeddedRaft.etcd
    /// Node names of the control-plane servers (etcd members for embedded etcd).
    public var servers: [String]
    /// etcd `--heartbeat-interval`; K3S embedded etcd: 500 ms (k3s pkg/etcd/etcd.go), upstream 100
    /// ms.
    ///
    /// dqlite: raft's `heartbeat_timeout`, 500 ms, which is also its tick.
    public var heartbeatInterval: SimTime
    /// etcd `--election-timeout`; K3S embedded etcd: 5000 ms, upstream 1000 ms.
    ///
    /// dqlite: raft's `election_timeout`, 3000 ms.
    public var electionTimeout: SimTime
    /// Round trip between members (network + fsync of the vote).
    ///
    /// Assumption: 10 ms within a Hetzner network zone; raise it for slow disks.
    public var memberRoundTrip: SimTime
    /// How often a member redials a peer whose connection broke: etcd's rafthttp stream
    /// readers wait on a rate limiter of `Transport.DialRetryFrequency` between dials
    /// (server/etcdserver/api/rafthttp stream.go `streamReader.run`; the default in peer.go
    /// `startPeer` is one dial per 100 ms, and neither K3S nor Talos changes it).
    public var peerDialRetry: SimTime = .milliseconds(100)
    /// kube-controller-manager / kube-scheduler leader election (component-base defaults).
    public var leaseDuration: SimTime = .seconds(15)
    public var renewDeadline: SimTime = .seconds(10)
    public var retryPeriod: SimTime = .seconds(2)
    /// Time for a crashed K3S server to boot and rejoin (its etcd member and API server).
    public var serverBootTime: SimTime = .seconds(45)
    /// A managed control plane with replicas in several zones (EKS; GKE regional; LKE HA): an
    /// upgrade replaces them one by one and the API stays up.
    ///
    /// A single replica (GKE zonal, LKE without HA) is unavailable while it is replaced.
    public var managedHighAvailability = true
    /// How long a single-replica managed control plane is down for an upgrade when the fault gives
    /// no `for:`.
    ///
    /// GKE documents "several minutes" for zonal clusters without a figure: 5 minutes is an
    /// assumption.
    public var managedUpgradeOutage: SimTime = .minutes(5)

    public init(
        datastore: Datastore, servers: [String], heartbeatInterval: SimTime = .milliseconds(500),
        electionTimeout: SimTime = .milliseconds(5000), memberRoundTrip: SimTime = .milliseconds(10)
    ) {
        self.datastore = datastore; self.servers = servers; self.heartbeatInterval = heartbeatInterval
        self.electionTimeout = electionTimeout; self.memberRoundTrip = memberRoundTrip
    }

    /// A control plane that never fails (explicit-node scenarios, managed platforms).
    public static let implicit = ControlPlaneSpec(datastore: .managed, servers: [])
}
