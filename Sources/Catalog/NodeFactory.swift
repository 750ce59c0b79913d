import KubeModel

/// What a node is for.
public enum NodeRole: Sendable, Equatable {
    /// A self-managed control-plane server (runs workloads when schedulable).
    case server(datastore: String, schedulable: Bool)
    case agent
}

/// Builds the node a platform would register for a machine of the catalog.
///
/// The node has the well-known labels as that platform's cloud integration sets them, role labels
/// and taints, and the platform's allocatable. Used by the scenario builder (every distribution but
/// the original K3S-on-Hetzner path, which builds the same nodes) and by the planner.
public enum NodeFactory {
    public static func node(
        name: String, type: InstanceType, zone: Zone, region: Region, provider: Provider,
        distribution: Distribution, role: NodeRole, pool: String,
        labels extraLabels: [String: String] = [:], taints extraTaints: [Taint] = [],
        allocatable override: Resources? = nil
    ) -> NodeSpec {
        var labels = [
            "kubernetes.io/hostname": name,
            "kubernetes.io/arch": type.arch,
            "kubernetes.io/os": "linux",
            "node.kubernetes.io/instance-type": type.id,
        ]
        labels.merge(topologyLabels(zone: zone, region: region, provider: provider)) { _, b in b }
        labels.merge(poolLabels(distribution: distribution, pool: pool, type: type)) { _, b in b }
        var taints: [Taint] = []
        if case .server(let datastore, let schedulable) = role {
            labels.merge(serverLabels(distribution: distribution, etcd: datastore == "embedded-etcd")) { _, b in b }
            if !schedulable { taints.append(serverTaint(distribution)) }
        }
        labels.merge(extraLabels) { _, b in b }
        taints += extraTaints
        let a = Allocatable.node(type, distribution: distribution)
        return NodeSpec(
            name: name, labels: labels, taints: taints, allocatable: override ?? a.allocatable,
            allocatablePods: a.pods, pool: role == .agent ? pool : "control-plane")
    }

    /// `topology.kubernetes.io/region` and `zone`: Hetzner's CCM sets region = location and
    /// zone = datacenter (hcloud-cloud-controller-manager `zoneFromServer`); AWS and GCP the region and availability zone;
    /// Linode only the region (an LKE cluster lives in one datacenter).
    public static func topologyLabels(zone: Zone, region: Region, provider: Provider) -> [String: String] {
        switch provider {
        case .hetzner:
            return ["topology.kubernetes.io/region": zone.id, "topology.kubernetes.io/zone": zone.label ?? zone.id]
        case .aws, .gcp:
            return ["topology.kubernetes.io/region": region.id, "topology.kubernetes.io/zone": zone.id]
        case .linode:
            return ["topology.kubernetes.io/region": region.id]
        }
    }

    /// The managed node pool's own label, which users select on.
    static func poolLabels(distribution: Distribution, pool: String, type: InstanceType) -> [String: String] {
        switch distribution {
        case .eks: return ["eks.amazonaws.com/nodegroup": pool, "eks.amazonaws.com/capacityType": "ON_DEMAND"]
        case .gke:
            return [
                "cloud.google.com/gke-nodepool": pool,
                "cloud.google.com/machine-family": String(type.id.prefix { $0 != "-" }),
            ]
        case .lke: return ["lke.linode.com/pool-id": pool]
        default: return [:]
        }
    }

    /// Role labels of a server: K3S and RKE2 label control-plane, master and (embedded etcd)
    /// etcd; Talos and MicroK8s the control-plane role.
    public static func serverLabels(distribution: Distribution, etcd: Bool) -> [String: String] {
        switch distribution {
        case .k3s, .rke2:
            var l = ["node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true"]
            if etcd { l["node-role.kubernetes.io/etcd"] = "true" }
            return l
        default:
            return ["node-role.kubernetes.io/control-plane": ""]
        }
    }

    /// How a dedicated (non-schedulable) server keeps workloads off: K3S and RKE2 by the
    /// documented `CriticalAddonsOnly=true:NoExecute` node taint, Talos and MicroK8s by the
    /// kubeadm-style control-plane NoSchedule taint.
    public static func serverTaint(_ distribution: Distribution) -> Taint {
        switch distribution {
        case .k3s, .rke2: return Taint(key: "CriticalAddonsOnly", value: "true", effect: .NoExecute)
        default: return Taint(key: "node-role.kubernetes.io/control-plane", effect: .NoSchedule)
        }
    }
}
