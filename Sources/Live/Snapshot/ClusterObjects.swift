import Foundation

/// What a snapshot reads from a cluster: nodes and the objects that shape scheduling and availability.
///
/// Secrets and ConfigMaps are never read (a scenario does not need them, and k3sim must not hold
/// credentials it was not given).
public struct ClusterObjects: Sendable {
    public var server: String
    public var version: KubeClient.ServerVersion
    public var nodes: [JSONValue]
    public var deployments: [JSONValue]
    public var statefulSets: [JSONValue]
    public var daemonSets: [JSONValue]
    public var podDisruptionBudgets: [JSONValue]
    public var services: [JSONValue]
    public var persistentVolumeClaims: [JSONValue]
    public var priorityClasses: [JSONValue]
    public var cnpgClusters: [JSONValue]

    public init(
        server: String, version: KubeClient.ServerVersion, nodes: [JSONValue], deployments: [JSONValue] = [],
        statefulSets: [JSONValue] = [], daemonSets: [JSONValue] = [], podDisruptionBudgets: [JSONValue] = [],
        services: [JSONValue] = [], persistentVolumeClaims: [JSONValue] = [], priorityClasses: [JSONValue] = [],
        cnpgClusters: [JSONValue] = []
    ) {
        self.server = server; self.version = version; self.nodes = nodes; self.deployments = deployments
        self.statefulSets = statefulSets; self.daemonSets = daemonSets; self.podDisruptionBudgets = podDisruptionBudgets
        self.services = services; self.persistentVolumeClaims = persistentVolumeClaims
        self.priorityClasses = priorityClasses; self.cnpgClusters = cnpgClusters
    }

    /// Reads everything with GET requests only (paginated lists).
    public static func read(from client: KubeClient) throws -> ClusterObjects {
        ClusterObjects(
            server: client.connection.server, version: try client.serverVersion(),
            nodes: try client.list(.nodes).items,
            deployments: try client.list(.deployments).items,
            statefulSets: try client.list(.statefulSets).items,
            daemonSets: try client.list(.daemonSets).items,
            podDisruptionBudgets: try client.listIfServed(.podDisruptionBudgets),
            services: try client.list(.services).items,
            persistentVolumeClaims: try client.list(.persistentVolumeClaims).items,
            priorityClasses: try client.listIfServed(.priorityClasses),
            cnpgClusters: try client.listIfServed(.cnpgClusters))
    }
}
