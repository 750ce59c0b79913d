import Catalog
import SimKernel
import Simulation

/// What a platform does differently besides its prices and node shapes: etcd's timing in
/// the distributions that embed it, the provider's node auto-repair, and whether a managed
/// control plane has one replica or several.
extension ScenarioBuilder {
    /// Heartbeat and election timeout of a distribution's embedded raft datastore.
    ///
    /// K3S sets etcd's `--heartbeat-interval` / `--election-timeout` to 500 ms / 5000 ms (k3s
    /// pkg/etcd/etcd.go) and RKE2 embeds K3S's etcd code; Talos passes neither flag
    /// (siderolabs/talos internal/app/machined/pkg/system/services/etcd.go), so etcd's own defaults
    /// apply: 100 ms / 1000 ms. MicroK8s runs dqlite through k8s-dqlite, which sets no timing
    /// unless its tuning file gives a `network-latency` (canonical/k8s-dqlite
    /// pkg/server/server.go); go-dqlite then leaves dqlite's own values (go-dqlite node.go `New`
    /// only calls SetNetworkLatency for a non-zero latency), which `dqlite_node_create` sets to 500
    /// ms / 3000 ms over C raft's 100 ms / 1000 ms (canonical/dqlite src/server.c).
    func etcdTiming(_ d: Catalog.Distribution?) -> (heartbeat: SimTime, election: SimTime) {
        switch d {
        case .talos: return (.milliseconds(100), .milliseconds(1000))
        case .microk8s: return (.milliseconds(500), .milliseconds(3000))
        default: return (.milliseconds(500), .milliseconds(5000))
        }
    }

    /// The provider's node auto-repair: GKE's is on by default; EKS managed node groups repair
    /// only when asked (`nodeAutoRepair: true`); the self-managed distributions have none, and
    /// neither has LKE: Linode documents automatic recovery for the control-plane components
    /// only (linode/docs docs/products/compute/kubernetes/_index.md, "Features"), and for a
    /// broken worker a recycle that someone starts, which deletes the Compute Instance and
    /// deploys a new one "when debugging a node" (guides/manage-node-pools/index.md,
    /// "Recycle Nodes").
    func nodeAutoRepair(_ d: Catalog.Distribution?) throws -> NodeAutoRepairSpec? {
        let asked = spec.platform.settings?.values["nodeAutoRepair"] as? Bool
        switch d {
        case .gke: return asked == false ? nil : .gke
        case .eks: return asked == true ? .eks : nil
        default:
            if asked == true {
                throw fail(
                    [.key("platform"), .key("settings"), .key("nodeAutoRepair")],
                    "\(spec.platform.distribution) on \(spec.platform.provider) has no node auto-repair (GKE and EKS managed node groups have)"
                )
            }
            return nil
        }
    }

    /// The service a `restart` fault restarts: K3S and RKE2 run the kubelet and the control
    /// plane in one process; Talos runs them as machined services (kubelet, etcd); MicroK8s
    /// runs kubelite (the Kubernetes services) and k8s-dqlite; managed nodes run the kubelet.
    func nodeService(_ d: Catalog.Distribution?) -> NodeService {
        switch d {
        case .rke2: return NodeService(name: "RKE2 service", restart: "RKE2 restart")
        case .talos: return NodeService(name: "Talos kubelet and etcd services", restart: "Talos etcd service restart")
        case .microk8s:
            return NodeService(name: "MicroK8s kubelite and k8s-dqlite services", restart: "k8s-dqlite restart")
        case .eks, .gke, .lke: return NodeService(name: "kubelet service", restart: "kubelet restart")
        default: return .k3s
        }
    }

    /// Platform behaviour into the cluster: the control plane's replicas and the repairer.
    func applyPlatformBehaviour(_ cluster: inout ClusterSpec) throws {
        let d = Catalog.Distribution(rawValue: spec.platform.distribution)
        cluster.nodeAutoRepair = try nodeAutoRepair(d)
        cluster.nodeService = nodeService(d)
        // MicroK8s has no embedded etcd: its HA datastore is dqlite on the control-plane nodes.
        if d == .microk8s && cluster.controlPlane.datastore == .embeddedEtcd { cluster.controlPlane.embeddedRaft = .dqlite }
        if cluster.controlPlane.datastore == .managed {
            cluster.controlPlane.managedHighAvailability = d == .eks || (spec.managedControlPlane?.highAvailability ?? true)
        }
    }
}
