import KubeModel
import Simulation

/// K3S defaults: node labels and taints, allocatable, and the bundled system workloads
/// (k3s-io/k3s manifests).
enum K3sPreset {
    /// Upstream kubelet defaults as K3S passes them: no kube/system reservation,
    /// eviction-hard memory.available 100Mi, maxPods 110.
    static let evictionHardMemoryBytes: Int64 = 100 * 1024 * 1024
    static let maxPods = 110

    static func allocatable(vcpu: Int, memoryGiB: Int) -> Resources {
        Resources(milliCPU: Int64(vcpu) * 1000, memoryBytes: Int64(memoryGiB) * 1024 * 1024 * 1024 - evictionHardMemoryBytes)
    }

    static func labels(name: String, type: HetznerCatalog.ServerType, location: String) -> [String: String] {
        [
            "kubernetes.io/hostname": name,
            "kubernetes.io/arch": type.arch,
            "kubernetes.io/os": "linux",
            "node.kubernetes.io/instance-type": type.name,
            "topology.kubernetes.io/region": location,
            "topology.kubernetes.io/zone": HetznerCatalog.datacenters[location] ?? location,
        ]
    }

    static func serverLabels(etcd: Bool) -> [String: String] {
        var l = ["node-role.kubernetes.io/control-plane": "true", "node-role.kubernetes.io/master": "true"]
        if etcd { l["node-role.kubernetes.io/etcd"] = "true" }
        return l
    }

    /// `--node-taint CriticalAddonsOnly=true:NoExecute`, the usual way to keep workloads off servers.
    static let serverTaint = Taint(key: "CriticalAddonsOnly", value: "true", effect: .NoExecute)

    /// Tolerations of the bundled components.
    static let addonTolerations: [Toleration] = [
        Toleration(key: "CriticalAddonsOnly", operator: .Exists),
        Toleration(key: "node-role.kubernetes.io/control-plane", operator: .Exists, effect: .NoSchedule),
        Toleration(key: "node-role.kubernetes.io/master", operator: .Exists, effect: .NoSchedule),
    ]

    /// The bundled workloads, unless `--disable`d (names as K3S's `--disable` takes them).
    static func systemWorkloads(disable: Set<String>) -> (deployments: [Deployment], daemonSets: [DaemonSet]) {
        var deployments: [Deployment] = []
        var daemonSets: [DaemonSet] = []
        func deployment(
            _ name: String, image: String, cpu: Int64?, memoryMi: Int64?, priorityClass: String,
            probe: Probe?, maxUnavailable: IntOrString = .string("25%")
        ) -> Deployment {
            var requests: [String: Quantity] = [:]
            if let cpu { requests["cpu"] = Quantity(milli: cpu) }
            if let memoryMi { requests["memory"] = Quantity(memoryMi * 1024 * 1024) }
            var container = Container(
                name: name, image: image, resources: ResourceRequirements(requests: requests),
                readinessProbe: probe)
            container.ports = []
            var spec = PodSpec(containers: [container], tolerations: addonTolerations, priorityClassName: priorityClass)
            spec.nodeSelector = ["kubernetes.io/os": "linux"]
            let labels = ["k8s-app": name]
            return Deployment(
                metadata: ObjectMeta(name: name, namespace: "kube-system", labels: labels), replicas: 1,
                selector: LabelSelector(matchLabels: labels),
                template: PodTemplateSpec(metadata: ObjectMeta(name: "", namespace: "kube-system", labels: labels), spec: spec),
                strategy: DeploymentStrategy(maxSurge: .string("25%"), maxUnavailable: maxUnavailable))
        }
        if !disable.contains("coredns") {
            // CoreDNS: requests 100m / 70Mi, readiness period 2 s, maxUnavailable 1.
            deployments.append(
                deployment(
                    "coredns", image: "rancher/mirrored-coredns-coredns:1.12.0", cpu: 100,
                    memoryMi: 70, priorityClass: "system-cluster-critical",
                    probe: Probe(periodSeconds: 2), maxUnavailable: .int(1)))
        }
        if !disable.contains("metrics-server") {
            deployments.append(
                deployment(
                    "metrics-server", image: "rancher/mirrored-metrics-server:v0.7.2", cpu: 100,
                    memoryMi: 70, priorityClass: "system-node-critical", probe: Probe(periodSeconds: 10)))
        }
        if !disable.contains("local-storage") {
            deployments.append(
                deployment(
                    "local-path-provisioner", image: "rancher/local-path-provisioner:v0.0.30",
                    cpu: nil, memoryMi: nil, priorityClass: "system-node-critical", probe: nil))
        }
        if !disable.contains("traefik") {
            deployments.append(
                deployment(
                    "traefik", image: "rancher/mirrored-library-traefik:3.3.2", cpu: nil,
                    memoryMi: nil, priorityClass: "system-cluster-critical",
                    probe: Probe(initialDelaySeconds: 2, periodSeconds: 10)))
            if !disable.contains("servicelb") {
                // ServiceLB runs one svclb pod per node for the traefik LoadBalancer Service.
                let labels = ["app": "svclb-traefik"]
                var spec = PodSpec(
                    containers: [Container(name: "lb-tcp-80", image: "rancher/klipper-lb:v0.4.9")],
                    tolerations: [Toleration(operator: .Exists)], priorityClassName: "system-node-critical")
                spec.nodeSelector = [:]
                daemonSets.append(
                    DaemonSet(
                        metadata: ObjectMeta(name: "svclb-traefik", namespace: "kube-system", labels: labels),
                        selector: LabelSelector(matchLabels: labels),
                        template: PodTemplateSpec(
                            metadata: ObjectMeta(name: "", namespace: "kube-system", labels: labels), spec: spec)))
            }
        }
        return (deployments, daemonSets)
    }
}
