import KubeModel
import SimKernel

/// The objects `k3sim serve` shows beside pods and nodes: Services, storage and
/// CloudNativePG clusters, read from the simulation at the current time.
extension SimulationServer {
    /// The scenario's Services (their selectors; the rest of the spec is not modelled).
    public var services: [Service] { simulation.spec.workloads.services }

    public var storageClasses: [ServedStorageClass] {
        let storage = simulation.spec.storage
        return storage.classes.map {
            ServedStorageClass(
                name: $0.name, provisioner: $0.provisioner, waitForFirstConsumer: $0.waitForFirstConsumer,
                isDefault: $0.name == storage.defaultClass)
        }
    }

    /// Claims in key order, Bound once a volume was provisioned for them.
    public var claims: [ServedClaim] {
        simulation.claims.keys.sorted().compactMap { key in
            guard let c = simulation.claims[key] else { return nil }
            let className = c.spec.storageClassName ?? simulation.spec.storage.defaultClass
            let volume = c.volume.map { simulation.volumes[$0] }
            var bound: (key: String, value: String)?
            if let v = volume {
                if let n = v.boundNode {
                    bound = ("kubernetes.io/hostname", simulation.nodes[n].name)
                } else if let label = v.storageClass.topology.nodeLabel, let value = v.location {
                    bound = (label, value)
                }
            }
            return ServedClaim(
                namespace: c.spec.metadata.namespace, name: c.spec.metadata.name, storageClass: className,
                storageBytes: c.spec.storageBytes, accessModes: c.spec.accessModes, bound: volume != nil,
                provisioner: volume?.storageClass.provisioner ?? "", volumeNodeAffinity: bound)
        }
    }

    public var pgClusters: [ServedPGCluster] {
        simulation.pgClusters.map { c in
            let members = c.podBySerial.sorted { $0.key < $1.key }.compactMap { simulation.pods[$0.value] }
            let ready = members.filter { $0.ready && !$0.isTerminating }.count
            let primary = c.primary.flatMap { c.podBySerial[$0] }.flatMap { simulation.pods[$0]?.name }
            // cloudnative-pg api/v1/cluster_types.go phase constants.
            let phase: String
            switch c.transition {
            case .failover: phase = "Failing over"
            case .switchover: phase = "Switchover in progress"
            case nil where primary == nil: phase = "Setting up primary"
            case nil where members.count < c.object.instances: phase = "Creating a new replica"
            case nil where ready < c.object.instances: phase = "Waiting for the instances to become active"
            case nil: phase = "Cluster in healthy state"
            }
            return ServedPGCluster(
                namespace: c.object.metadata.namespace, name: c.object.metadata.name,
                labels: c.object.metadata.labels, instances: c.object.instances,
                readyInstances: ready, currentPrimary: primary, phase: phase)
        }
    }
}

public struct ServedStorageClass: Sendable {
    public let name: String
    public let provisioner: String
    public let waitForFirstConsumer: Bool
    public let isDefault: Bool
}

/// A PersistentVolumeClaim and, once bound, the volume provisioned for it.
public struct ServedClaim: Sendable {
    public let namespace: String
    public let name: String
    public let storageClass: String?
    public let storageBytes: Int64
    public let accessModes: [String]
    public let bound: Bool
    public let provisioner: String
    /// The provisioned volume's required node affinity (label and value), if it is bound to a place.
    public let volumeNodeAffinity: (key: String, value: String)?
}

/// A CloudNativePG Cluster's status as the operator reports it.
public struct ServedPGCluster: Sendable {
    public let namespace: String
    public let name: String
    public let labels: [String: String]
    public let instances: Int
    public let readyInstances: Int
    public let currentPrimary: String?
    public let phase: String
}
