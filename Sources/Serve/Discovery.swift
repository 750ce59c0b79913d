/// The resources the simulated API serves and the discovery documents kubectl reads to find
/// them (`/api`, `/apis`, `/api/v1`, `/apis/GROUP/VERSION`); `AggregatedDiscovery` offers the
/// same resources in one document to clients that ask for it.
struct APIResource: Sendable {
    let name: String
    let kind: String
    let group: String
    let version: String
    let namespaced: Bool
    let shortNames: [String]
    let verbs: [String]

    var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// The path prefix of its group/version: `/api/v1` or `/apis/apps/v1`.
    var prefix: String { group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)" }
}

enum Discovery {
    static let readVerbs = ["get", "list", "watch"]
    /// The resources `kubectl get all` lists.
    static let allCategory: Set<String> = ["pods", "services", "deployments", "replicasets", "daemonsets", "statefulsets"]

    static let resources: [APIResource] = [
        APIResource(
            name: "nodes", kind: "Node", group: "", version: "v1", namespaced: false, shortNames: ["no"],
            verbs: readVerbs + ["patch"]),
        APIResource(
            name: "namespaces", kind: "Namespace", group: "", version: "v1", namespaced: false, shortNames: ["ns"],
            verbs: readVerbs),
        APIResource(
            name: "pods", kind: "Pod", group: "", version: "v1", namespaced: true, shortNames: ["po"],
            verbs: readVerbs + ["patch", "delete"]),
        APIResource(
            name: "services", kind: "Service", group: "", version: "v1", namespaced: true, shortNames: ["svc"],
            verbs: readVerbs),
        APIResource(
            name: "endpoints", kind: "Endpoints", group: "", version: "v1", namespaced: true, shortNames: ["ep"],
            verbs: readVerbs),
        APIResource(
            name: "events", kind: "Event", group: "", version: "v1", namespaced: true, shortNames: ["ev"],
            verbs: readVerbs),
        APIResource(
            name: "persistentvolumeclaims", kind: "PersistentVolumeClaim", group: "", version: "v1", namespaced: true,
            shortNames: ["pvc"], verbs: readVerbs),
        APIResource(
            name: "persistentvolumes", kind: "PersistentVolume", group: "", version: "v1", namespaced: false,
            shortNames: ["pv"], verbs: readVerbs),
        APIResource(
            name: "deployments", kind: "Deployment", group: "apps", version: "v1", namespaced: true,
            shortNames: ["deploy"], verbs: readVerbs + ["patch"]),
        APIResource(
            name: "replicasets", kind: "ReplicaSet", group: "apps", version: "v1", namespaced: true,
            shortNames: ["rs"], verbs: readVerbs),
        APIResource(
            name: "daemonsets", kind: "DaemonSet", group: "apps", version: "v1", namespaced: true,
            shortNames: ["ds"], verbs: readVerbs),
        APIResource(
            name: "statefulsets", kind: "StatefulSet", group: "apps", version: "v1", namespaced: true,
            shortNames: ["sts"], verbs: readVerbs),
        APIResource(
            name: "leases", kind: "Lease", group: "coordination.k8s.io", version: "v1", namespaced: true,
            shortNames: [], verbs: readVerbs),
        APIResource(
            name: "poddisruptionbudgets", kind: "PodDisruptionBudget", group: "policy", version: "v1",
            namespaced: true, shortNames: ["pdb"], verbs: readVerbs),
        APIResource(
            name: "endpointslices", kind: "EndpointSlice", group: "discovery.k8s.io", version: "v1", namespaced: true,
            shortNames: [], verbs: readVerbs),
        APIResource(
            name: "storageclasses", kind: "StorageClass", group: "storage.k8s.io", version: "v1", namespaced: false,
            shortNames: ["sc"], verbs: readVerbs),
        APIResource(
            name: "clusters", kind: "Cluster", group: "postgresql.cnpg.io", version: "v1", namespaced: true,
            shortNames: [], verbs: readVerbs),
    ]

    /// Subresources listed in discovery (kubectl checks `deployments/scale` before scaling).
    static let subresources: [(parent: String, name: String, kind: String, group: String, verbs: [String])] = [
        ("pods", "pods/eviction", "Eviction", "policy", ["create"]),
        ("deployments", "deployments/scale", "Scale", "autoscaling", ["get", "patch", "update"]),
    ]

    static let groups: [(group: String, version: String)] = [
        ("apps", "v1"), ("coordination.k8s.io", "v1"), ("policy", "v1"), ("discovery.k8s.io", "v1"), ("storage.k8s.io", "v1"),
        ("postgresql.cnpg.io", "v1"),
    ]

    static func resource(prefix: String, name: String) -> APIResource? {
        resources.first { $0.prefix == prefix && $0.name == name }
    }

    static func version(kubernetesMinor: Int, k3s: Bool) -> JSON {
        let git = "v1.\(kubernetesMinor).0" + (k3s ? "+k3s1" : "")
        return [
            "major": "1", "minor": "\(kubernetesMinor)", "gitVersion": git, "gitCommit": "k3sim",
            "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.24",
            "compiler": "gc", "platform": "linux/amd64",
        ]
    }

    static var coreVersions: JSON {
        [
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"]],
        ]
    }

    static var groupList: JSON {
        ["kind": "APIGroupList", "apiVersion": "v1", "groups": groups.map { group($0.group, $0.version) }]
    }

    static func group(_ name: String, _ version: String) -> JSON {
        let gv: JSON = ["groupVersion": "\(name)/\(version)", "version": version]
        return ["kind": "APIGroup", "apiVersion": "v1", "name": name, "versions": [gv], "preferredVersion": gv]
    }

    /// `APIResourceList` of one group/version, or nil when it is not served.
    static func resourceList(prefix: String) -> JSON? {
        let served = resources.filter { $0.prefix == prefix }
        guard let first = served.first else { return nil }
        var list: [JSON] = served.map { r in
            [
                "name": r.name, "singularName": r.kind.lowercased(), "namespaced": r.namespaced, "kind": r.kind,
                "verbs": r.verbs, "shortNames": r.shortNames,
                "categories": allCategory.contains(r.name) ? ["all"] : [],
            ]
        }
        for s in subresources where served.contains(where: { $0.name == s.parent }) {
            list.append([
                "name": s.name, "singularName": "", "namespaced": true, "group": s.group,
                "version": s.group == "policy" ? "v1" : "v1", "kind": s.kind, "verbs": s.verbs,
            ])
        }
        return ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": first.groupVersion, "resources": list]
    }
}
