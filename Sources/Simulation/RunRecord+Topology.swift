import KubeModel

/// The cluster a run was made on, as a report shows it: the machines (pool, server type,
/// location, allocatable) and what the workloads ask of them (replicas, requests).
///
/// A RunRecord carries this so that reports read everything from the store and never have to
/// load the scenario again (its manifests may have changed since, or be on another machine).
/// It describes the start of the run; what changed during the run is in the time series.
public struct RunTopology: Codable, Sendable, Equatable {
    /// In the order of the cluster spec (sorted by name for scenario files).
    public var nodes: [Node]
    /// Deployments, ReplicaSets, DaemonSets, StatefulSets and bare Pods, in the order they are
    /// applied (the order of `RunRecord.workloads` for the simulated kinds).
    public var workloads: [Workload]

    public init(nodes: [Node] = [], workloads: [Workload] = []) {
        self.nodes = nodes; self.workloads = workloads
    }

    /// One machine as it is at the start of the run.
    public struct Node: Codable, Sendable, Equatable {
        public var name: String
        /// Pool or role ("agents", "control-plane"); empty for an explicit node without one.
        public var pool: String
        /// `node.kubernetes.io/instance-type`, such as "cax31"; nil when the node has no such label.
        public var instanceType: String?
        /// `topology.kubernetes.io/region` (a Hetzner location such as "fsn1").
        public var region: String?
        /// `topology.kubernetes.io/zone`, such as "fsn1-dc14".
        public var zone: String?
        public var allocatableMilliCPU: Int64
        public var allocatableMemoryBytes: Int64
        public var allocatablePods: Int
        /// `key=value:Effect`, in spec order: explains why a node runs no application pods.
        public var taints: [String]

        public init(
            name: String, pool: String, instanceType: String? = nil, region: String? = nil,
            zone: String? = nil, allocatableMilliCPU: Int64, allocatableMemoryBytes: Int64,
            allocatablePods: Int, taints: [String] = []
        ) {
            self.name = name; self.pool = pool; self.instanceType = instanceType
            self.region = region; self.zone = zone
            self.allocatableMilliCPU = allocatableMilliCPU; self.allocatableMemoryBytes = allocatableMemoryBytes
            self.allocatablePods = allocatablePods; self.taints = taints
        }
    }

    /// One workload object and what each of its replicas requests.
    public struct Workload: Codable, Sendable, Equatable {
        /// `namespace/name`, as in `WorkloadResult.name`.
        public var name: String
        /// Deployment, ReplicaSet, DaemonSet, StatefulSet or Pod.
        public var kind: String
        /// Desired replicas; nil for a DaemonSet (one per eligible node).
        public var replicas: Int?
        /// The pod's effective request (what the scheduler reserves), per replica.
        public var requestMilliCPU: Int64
        public var requestMemoryBytes: Int64

        public init(name: String, kind: String, replicas: Int?, requestMilliCPU: Int64, requestMemoryBytes: Int64) {
            self.name = name; self.kind = kind; self.replicas = replicas
            self.requestMilliCPU = requestMilliCPU; self.requestMemoryBytes = requestMemoryBytes
        }
    }
}

extension RunTopology {
    /// The topology of a cluster spec: nodes in spec order, workloads in the order the
    /// simulation applies them (Deployments, ReplicaSets, DaemonSets, Pods), then the
    /// StatefulSets, then Jobs and CronJobs (at their parallelism: the room they take while
    /// they run).
    public init(spec: ClusterSpec) {
        nodes = spec.nodes.map { n in
            Node(
                name: n.name, pool: n.pool, instanceType: n.labels["node.kubernetes.io/instance-type"],
                region: n.labels["topology.kubernetes.io/region"], zone: n.labels["topology.kubernetes.io/zone"],
                allocatableMilliCPU: n.allocatable.milliCPU, allocatableMemoryBytes: n.allocatable.memoryBytes,
                allocatablePods: n.allocatablePods,
                taints: n.taints.map { "\($0.key)\($0.value.isEmpty ? "" : "=" + $0.value):\($0.effect.rawValue)" })
        }
        let w = spec.workloads
        func entry(_ meta: ObjectMeta, _ kind: String, _ replicas: Int?, _ pod: PodSpec) -> Workload {
            let r = pod.effectiveRequests
            return Workload(
                name: meta.key, kind: kind, replicas: replicas,
                requestMilliCPU: r.milliCPU, requestMemoryBytes: r.memoryBytes)
        }
        workloads =
            w.deployments.map { entry($0.metadata, "Deployment", $0.replicas, $0.template.spec) }
            + w.replicaSets.map { entry($0.metadata, $0.kind, $0.replicas, $0.template.spec) }
            + w.daemonSets.map { entry($0.metadata, "DaemonSet", nil, $0.template.spec) }
            + w.pods.map { entry($0.metadata, "Pod", 1, $0.spec) }
            + w.statefulSets.map { entry($0.metadata, "StatefulSet", $0.replicas, $0.template.spec) }
            + w.jobs.map { entry($0.metadata, "Job", $0.spec.parallelism, $0.spec.template.spec) }
            + w.cronJobs.map { entry($0.metadata, "CronJob", $0.jobSpec.parallelism, $0.jobSpec.template.spec) }
    }
}
