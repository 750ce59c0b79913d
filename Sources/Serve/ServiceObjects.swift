import KubeModel
import SimKernel
import Simulation

/// Services and their Endpoints as the API serves them.
///
/// Endpoints follow the endpoints controller (`pkg/controller/endpoint/endpoints_controller.go`
/// `syncService`): a selected pod with an IP is an address when Ready and a not-ready address
/// otherwise; a terminating pod is neither.
enum ServiceObjects {
    /// A Service's ClusterIP: the kube-apiserver picks one at random from the service CIDR
    /// (K3S: 10.43.0.0/16, 10.43.0.1 being `kubernetes`); here the i-th Service in
    /// (namespace, name) order gets 10.43.0.0 + 100 + i, so a run serves the same addresses
    /// every time.
    static func clusterIP(_ index: Int) -> String {
        let n = 100 + index
        return "10.43.\(n / 256 % 256).\(n % 256)"
    }

    /// The Services in (namespace, name) order, each with its ClusterIP.
    static func ordered(_ services: [Service]) -> [(service: Service, ip: String)] {
        services.sorted { ($0.metadata.namespace, $0.metadata.name) < ($1.metadata.namespace, $1.metadata.name) }
            .enumerated().map { ($0.element, clusterIP($0.offset)) }
    }

    static func service(_ s: Service, clusterIP: String, rv: Int) -> JSON {
        var spec: JSON = [
            "type": "ClusterIP", "clusterIP": clusterIP, "clusterIPs": [clusterIP], "sessionAffinity": "None",
            "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster",
        ]
        if !s.selector.isEmpty { spec["selector"] = s.selector }
        return [
            "kind": "Service", "apiVersion": "v1",
            "metadata": Objects.metadata(
                name: s.metadata.name, namespace: s.metadata.namespace,
                uid: Objects.uidFor("Service", s.metadata.namespace, s.metadata.name), rv: rv,
                created: .zero, labels: s.metadata.labels),
            "spec": spec, "status": ["loadBalancer": [:] as JSON],
        ]
    }

    /// Whether the Service selects the pod (a Service without a selector has no managed Endpoints).
    static func selects(_ s: Service, _ p: ServedPod) -> Bool {
        !s.selector.isEmpty && p.namespace == s.metadata.namespace && s.selector.allSatisfy { p.labels[$0.key] == $0.value }
    }

    static func endpoints(_ s: Service, pods: [ServedPod], rv: Int) -> JSON {
        var ready: [JSON] = [], notReady: [JSON] = []
        for p in pods where selects(s, p) && p.nodeName != nil && p.deletionTimestamp == nil {
            let address: JSON = [
                "ip": Objects.podIP(p.uid), "nodeName": p.nodeName ?? "",
                "targetRef": ["kind": "Pod", "namespace": p.namespace, "name": p.name, "uid": ServedUID.pod(p)] as JSON,
            ]
            if p.ready { ready.append(address) } else { notReady.append(address) }
        }
        var subset: JSON = [:]
        if !ready.isEmpty { subset["addresses"] = ready }
        if !notReady.isEmpty { subset["notReadyAddresses"] = notReady }
        var object: JSON = [
            "kind": "Endpoints", "apiVersion": "v1",
            "metadata": Objects.metadata(
                name: s.metadata.name, namespace: s.metadata.namespace,
                uid: Objects.uidFor("Endpoints", s.metadata.namespace, s.metadata.name),
                rv: rv, created: .zero, labels: s.metadata.labels),
        ]
        if !subset.isEmpty { object["subsets"] = [subset] }
        return object
    }

    /// printers.go `formatEndpoints` for port-less subsets: up to three addresses, then "+ N more...".
    static func endpointsCell(_ object: JSON) -> String {
        let ips = (object["subsets"] as? [JSON] ?? []).flatMap {
            ($0["addresses"] as? [JSON] ?? []).compactMap { $0["ip"] as? String }
        }
        if ips.isEmpty { return "<none>" }
        let shown = ips.prefix(3).joined(separator: ",")
        return ips.count > 3 ? "\(shown) + \(ips.count - 3) more..." : shown
    }

    /// The Service's one EndpointSlice.
    ///
    /// As `staging/src/k8s.io/endpointslice/utils.go` `podToEndpoint` builds it: every selected pod
    /// with an IP, terminating ones included, with the conditions ready (Ready and not
    /// terminating), serving (Ready) and terminating. Its name is the Service's with a suffix
    /// derived from the Service, where the controller's generateName draws five random characters.
    static func endpointSlice(_ s: Service, pods: [ServedPod], rv: Int) -> JSON {
        let endpoints: [JSON] = pods.filter { selects(s, $0) && $0.nodeName != nil }.map { p in
            let terminating = p.deletionTimestamp != nil
            return [
                "addresses": [Objects.podIP(p.uid)], "nodeName": p.nodeName ?? "",
                "conditions": ["ready": p.ready && !terminating, "serving": p.ready, "terminating": terminating],
                "targetRef": ["kind": "Pod", "namespace": p.namespace, "name": p.name, "uid": ServedUID.pod(p)] as JSON,
            ]
        }
        let suffix = String(ServedUID.of("EndpointSlice", s.metadata.namespace, s.metadata.name).prefix(5))
        let name = "\(s.metadata.name)-\(suffix)"
        var meta = Objects.metadata(
            name: name, namespace: s.metadata.namespace,
            uid: Objects.uidFor("EndpointSlice", s.metadata.namespace, name), rv: rv, created: .zero,
            labels: [
                "kubernetes.io/service-name": s.metadata.name,
                "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
            ])
        meta["ownerReferences"] = [
            [
                "apiVersion": "v1", "kind": "Service", "name": s.metadata.name,
                "uid": Objects.uidFor("Service", s.metadata.namespace, s.metadata.name),
                "controller": true, "blockOwnerDeletion": true,
            ] as JSON
        ]
        return [
            "kind": "EndpointSlice", "apiVersion": "discovery.k8s.io/v1", "metadata": meta, "addressType": "IPv4",
            "endpoints": endpoints, "ports": [] as [Any],
        ]
    }

    /// printers.go `formatDiscoveryEndpoints`: up to three addresses, then "+ N more...".
    static func sliceEndpointsCell(_ object: JSON) -> String {
        let ips = (object["endpoints"] as? [JSON] ?? []).flatMap { $0["addresses"] as? [String] ?? [] }
        if ips.isEmpty { return "<unset>" }
        let shown = ips.prefix(3).joined(separator: ",")
        return ips.count > 3 ? "\(shown) + \(ips.count - 3) more..." : shown
    }
}
