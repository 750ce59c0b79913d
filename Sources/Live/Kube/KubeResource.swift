import Foundation

/// An API resource type and how its URL is built (`/api/v1/...` for the core group,
/// `/apis/GROUP/VERSION/...` otherwise).
public struct KubeResource: Sendable, Equatable {
    public var group: String
    public var version: String
    public var plural: String
    public var namespaced: Bool

    public init(group: String, version: String, plural: String, namespaced: Bool) {
        self.group = group; self.version = version; self.plural = plural; self.namespaced = namespaced
    }

    public static let nodes = KubeResource(group: "", version: "v1", plural: "nodes", namespaced: false)
    public static let pods = KubeResource(group: "", version: "v1", plural: "pods", namespaced: true)
    public static let services = KubeResource(group: "", version: "v1", plural: "services", namespaced: true)
    public static let persistentVolumeClaims = KubeResource(
        group: "", version: "v1", plural: "persistentvolumeclaims", namespaced: true)
    public static let deployments = KubeResource(group: "apps", version: "v1", plural: "deployments", namespaced: true)
    public static let statefulSets = KubeResource(group: "apps", version: "v1", plural: "statefulsets", namespaced: true)
    public static let daemonSets = KubeResource(group: "apps", version: "v1", plural: "daemonsets", namespaced: true)
    public static let replicaSets = KubeResource(group: "apps", version: "v1", plural: "replicasets", namespaced: true)
    public static let podDisruptionBudgets = KubeResource(
        group: "policy", version: "v1", plural: "poddisruptionbudgets", namespaced: true)
    public static let priorityClasses = KubeResource(
        group: "scheduling.k8s.io", version: "v1", plural: "priorityclasses", namespaced: false)
    public static let cnpgClusters = KubeResource(
        group: "postgresql.cnpg.io", version: "v1", plural: "clusters", namespaced: true)

    /// `apiVersion` of its objects.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    /// The collection (namespace nil: all namespaces) or one object's path.
    public func path(namespace: String? = nil, name: String? = nil, subresource: String? = nil) -> String {
        var p = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        if namespaced, let namespace { p += "/namespaces/\(escape(namespace))" }
        p += "/\(plural)"
        if let name { p += "/\(escape(name))" }
        if let subresource { p += "/\(subresource)" }
        return p
    }

    func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }
}
