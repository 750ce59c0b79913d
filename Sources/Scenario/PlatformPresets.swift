import Catalog
import KubeModel
import Simulation

/// The system pods each distribution runs besides the user's workloads.
///
/// They let a plan and a simulation reserve room for them. K3S's come from its manifests
/// (K3sPreset). For the others the requests are those of the upstream manifests the platforms ship
/// (CoreDNS 100m/70Mi, kube-dns 260m/110Mi, kube-proxy 100m as EKS and GKE set it, aws-node 25m,
/// calico-node 250m, flannel 100m/50Mi): a model assumption, since the exact versions and add-ons
/// vary; logging/metrics agents that GKE and LKE add are not modelled.
public enum PlatformPresets {
    public static func systemWorkloads(_ distribution: Distribution, disable: Set<String>) -> (
        deployments: [Deployment], daemonSets: [DaemonSet]
    ) {
        switch distribution {
        case .k3s:
            return K3sPreset.systemWorkloads(disable: disable)
        case .eks:
            return ([coreDNS(replicas: 2)], [daemon("kube-proxy", cpu: 100), daemon("aws-node", cpu: 25)])
        case .gke:
            return ([deployment("kube-dns", replicas: 2, cpu: 260, memoryMi: 110)], [daemon("kube-proxy", cpu: 100)])
        case .lke:
            return ([coreDNS(replicas: 2)], [daemon("calico-node", cpu: 250), daemon("kube-proxy", cpu: nil)])
        case .rke2:
            return (
                [coreDNS(replicas: 2), deployment("metrics-server", replicas: 1, cpu: 100, memoryMi: 70)],
                [daemon("canal", cpu: 250)]
            )
        case .talos:
            return ([coreDNS(replicas: 2)], [daemon("kube-flannel", cpu: 100, memoryMi: 50), daemon("kube-proxy", cpu: nil)])
        case .microk8s:
            return ([coreDNS(replicas: 1)], [daemon("calico-node", cpu: 250)])
        }
    }

    /// Tolerations of cluster add-ons: dedicated servers' taints.
    static let addonTolerations: [Toleration] = [
        Toleration(key: "CriticalAddonsOnly", operator: .Exists),
        Toleration(key: "node-role.kubernetes.io/control-plane", operator: .Exists, effect: .NoSchedule),
    ]

    static func coreDNS(replicas: Int) -> Deployment {
        deployment("coredns", replicas: replicas, cpu: 100, memoryMi: 70)
    }

    static func deployment(_ name: String, replicas: Int, cpu: Int64?, memoryMi: Int64?) -> Deployment {
        let labels = ["k8s-app": name]
        var spec = PodSpec(
            containers: [container(name, cpu: cpu, memoryMi: memoryMi)], tolerations: addonTolerations,
            priorityClassName: "system-cluster-critical")
        spec.nodeSelector = ["kubernetes.io/os": "linux"]
        return Deployment(
            metadata: ObjectMeta(name: name, namespace: "kube-system", labels: labels), replicas: replicas,
            selector: LabelSelector(matchLabels: labels),
            template: PodTemplateSpec(metadata: ObjectMeta(name: "", namespace: "kube-system", labels: labels), spec: spec),
            strategy: DeploymentStrategy(maxSurge: .string("25%"), maxUnavailable: .int(1)))
    }

    /// A node agent: one pod per node, tolerating every taint (as kube-proxy and CNI agents do).
    static func daemon(_ name: String, cpu: Int64?, memoryMi: Int64? = nil) -> DaemonSet {
        let labels = ["k8s-app": name]
        let spec = PodSpec(
            containers: [container(name, cpu: cpu, memoryMi: memoryMi)], tolerations: [Toleration(operator: .Exists)],
            priorityClassName: "system-node-critical")
        return DaemonSet(
            metadata: ObjectMeta(name: name, namespace: "kube-system", labels: labels),
            selector: LabelSelector(matchLabels: labels),
            template: PodTemplateSpec(metadata: ObjectMeta(name: "", namespace: "kube-system", labels: labels), spec: spec))
    }

    static func container(_ name: String, cpu: Int64?, memoryMi: Int64?) -> Container {
        var requests: [String: Quantity] = [:]
        if let cpu { requests["cpu"] = Quantity(milli: cpu) }
        if let memoryMi { requests["memory"] = Quantity(memoryMi * 1024 * 1024) }
        var c = Container(name: name, image: "registry.k8s.io/\(name)", resources: ResourceRequirements(requests: requests))
        c.ports = []
        return c
    }
}

extension LoadedScenario {
    /// The scenario's own workloads with `distribution`'s system pods: what the same workload
    /// is on another platform.
    public func workloads(for distribution: Distribution) -> Workloads {
        var w = userWorkloads
        let system = PlatformPresets.systemWorkloads(distribution, disable: distribution == .k3s ? Set(disabledComponents) : [])
        w.deployments = system.deployments + w.deployments
        w.daemonSets = system.daemonSets + w.daemonSets
        return w
    }
}
