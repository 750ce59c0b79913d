import KubeModel

/// Where the machines come from.
public enum Provider: String, Codable, Sendable, Equatable, CaseIterable, Comparable {
    case hetzner, aws, gcp, linode

    public static func < (a: Provider, b: Provider) -> Bool { a.order < b.order }

    /// Declaration order, which tables and reports list providers in.
    private var order: Int {
        switch self {
        case .hetzner: 0
        case .aws: 1
        case .gcp: 2
        case .linode: 3
        }
    }

    /// Accepts the provider and its managed distribution's name (`eks` → aws), as users write
    /// `--providers hetzner,eks,gke,lke`.
    public init?(named s: String) {
        switch s.lowercased() {
        case "hetzner", "hcloud": self = .hetzner
        case "aws", "eks": self = .aws
        case "gcp", "gke", "google": self = .gcp
        case "linode", "lke", "akamai": self = .linode
        default: return nil
        }
    }
}

/// The Kubernetes distribution: self-managed (servers are ordinary machines) or managed (the
/// provider runs the control plane for a fee).
public enum Distribution: String, Codable, Sendable, Equatable, CaseIterable {
    case k3s, rke2, microk8s, talos, eks, gke, lke

    /// The provider that runs a managed distribution's control plane.
    public var managedBy: Provider? {
        switch self {
        case .eks: return .aws
        case .gke: return .gcp
        case .lke: return .linode
        default: return nil
        }
    }

    public var isManaged: Bool { managedBy != nil }

    /// The distribution a comparison uses on a provider: the managed offering, or the
    /// scenario's own self-managed distribution on Hetzner (k3s when it was managed).
    public static func compared(on provider: Provider, from scenario: Distribution) -> Distribution {
        switch provider {
        case .aws: return .eks
        case .gcp: return .gke
        case .linode: return .lke
        case .hetzner: return scenario.isManaged ? .k3s : scenario
        }
    }
}

/// Self-managed control-plane servers.
public struct ControlPlaneLayout: Sendable, Equatable {
    public var count: Int
    public var type: String
    /// Zones (Hetzner locations) the servers are spread over, round-robin.
    public var zones: [String]
    public var datastore: String
    public var schedulable: Bool

    public init(count: Int, type: String, zones: [String], datastore: String = "embedded-etcd", schedulable: Bool = false) {
        self.count = count; self.type = type; self.zones = zones; self.datastore = datastore; self.schedulable = schedulable
    }
}

/// A pool of worker nodes of one type, spread round-robin over its zones.
public struct PoolLayout: Sendable, Equatable {
    public var name: String
    public var type: String
    public var count: Int
    public var zones: [String]
    public var labels: [String: String]
    public var taints: [Taint]

    public init(name: String, type: String, count: Int, zones: [String], labels: [String: String] = [:], taints: [Taint] = []) {
        self.name = name; self.type = type; self.count = count; self.zones = zones; self.labels = labels; self.taints = taints
    }
}

/// What a scenario says about its platform, as plain values: the input of costing and the
/// starting point of planning.
public struct PlatformSpec: Sendable, Equatable {
    public var distribution: Distribution
    public var provider: Provider
    public var region: String
    public var kubernetesMinor: Int
    public var controlPlane: ControlPlaneLayout?
    public var pools: [PoolLayout]
    /// Explicit nodes (no instance type): they cannot be priced.
    public var explicitNodes: [String]
    public var costs: CostSettings
    /// A managed platform's `spec.controlPlane.highAvailability`; nil means highly available.
    ///
    /// GKE regional or zonal, LKE with or without the HA control plane. EKS has no other kind.
    public var managedHighAvailability: Bool?

    public init(
        distribution: Distribution, provider: Provider, region: String, kubernetesMinor: Int = 33,
        controlPlane: ControlPlaneLayout? = nil, pools: [PoolLayout] = [], explicitNodes: [String] = [],
        costs: CostSettings = CostSettings(), managedHighAvailability: Bool? = nil
    ) {
        self.distribution = distribution; self.provider = provider; self.region = region
        self.kubernetesMinor = kubernetesMinor; self.controlPlane = controlPlane; self.pools = pools
        self.explicitNodes = explicitNodes; self.costs = costs; self.managedHighAvailability = managedHighAvailability
    }

    /// Whether the control plane tolerates the loss of one member: three or more
    /// self-managed servers; on a managed platform what the scenario asks (EKS always is).
    public var highlyAvailableControlPlane: Bool {
        if let cp = controlPlane { return cp.count >= 3 }
        if distribution == .eks { return true }
        return managedHighAvailability ?? true
    }
}
