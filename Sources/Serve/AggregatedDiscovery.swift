import Foundation

/// Aggregated discovery: every served resource of `/api` or `/apis` in one answer.
///
/// This is `apidiscovery.k8s.io/v2`, `APIGroupDiscoveryList`, which kubectl 1.30 and later ask for
/// first (`Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,…`) and
/// recognise by the answer's Content-Type. Older clients get the plain documents.
enum AggregatedDiscovery {
    static let contentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    /// Whether the client accepts the v2 list (v2beta1 alone is not offered).
    static func wanted(_ accept: String) -> Bool {
        accept.split(separator: ",").contains { part in
            let p = part.replacingOccurrences(of: " ", with: "")
            return p.contains("g=apidiscovery.k8s.io") && p.contains("v=v2;") && p.contains("as=APIGroupDiscoveryList")
                || p.hasSuffix("v=v2") && p.contains("g=apidiscovery.k8s.io")
        }
    }

    /// `/api` (core: one item named "") or `/apis` (every group).
    static func list(core: Bool) -> JSON {
        let groups: [(name: String, version: String)] = core ? [("", "v1")] : Discovery.groups.map { ($0.group, $0.version) }
        let items: [JSON] = groups.map { g in
            let resources = Discovery.resources.filter { $0.group == g.name && $0.version == g.version }.map(resource)
            return [
                "metadata": ["name": g.name, "creationTimestamp": NSNull()] as JSON,
                "versions": [["version": g.version, "resources": resources, "freshness": "Current"] as JSON],
            ]
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": [:] as JSON, "items": items]
    }

    static func resource(_ r: APIResource) -> JSON {
        var j: JSON = [
            "resource": r.name, "responseKind": ["group": r.group, "version": r.version, "kind": r.kind],
            "scope": r.namespaced ? "Namespaced" : "Cluster", "singularResource": r.kind.lowercased(), "verbs": r.verbs,
        ]
        if !r.shortNames.isEmpty { j["shortNames"] = r.shortNames }
        if Discovery.allCategory.contains(r.name) { j["categories"] = ["all"] }
        let subs: [JSON] = Discovery.subresources.filter { $0.parent == r.name }.map { s in
            [
                "subresource": String(s.name.split(separator: "/").last ?? ""),
                "responseKind": ["group": s.group, "version": "v1", "kind": s.kind], "verbs": s.verbs,
            ]
        }
        if !subs.isEmpty { j["subresources"] = subs }
        return j
    }
}
