import Foundation
import KubeModel
import Simulation

/// `kubectl label` (a JSON merge patch of `metadata.labels`, `null` removing a key) on nodes
/// and pods, and `kubectl taint` (a strategic merge patch carrying the node's whole
/// `spec.taints`: the list has no merge key, so it replaces the old one).
extension ServedCluster {
    /// The reply to a label or taint patch, or nil when the patch is neither.
    func metadataPatch(_ t: ResourcePath, _ body: JSON) -> APIReply? {
        guard let name = t.name, t.subresource == nil, ["nodes", "pods"].contains(t.resource.name) else { return nil }
        let meta = body["metadata"] as? JSON ?? [:], spec = body["spec"] as? JSON ?? [:]
        let topKeys = Set(body.keys).subtracting(["apiVersion", "kind"])
        guard Set(meta.keys).isSubset(of: ["labels", "resourceVersion"]), topKeys.isSubset(of: ["metadata", "spec"]) else {
            return nil
        }
        let labelPatch = meta["labels"] as? JSON
        let taintPatch: Any? = t.resource.name == "nodes" && spec.keys.sorted() == ["taints"] ? spec["taints"] : nil
        guard spec.isEmpty || taintPatch != nil, labelPatch != nil || taintPatch != nil else { return nil }
        if t.resource.name == "pods" { return podLabels(t, name: name, labelPatch ?? [:]) }
        guard let node = server.nodes.first(where: { $0.name == name }) else { return notFound(t.resource, name) }
        var done: [String] = []
        if let taintPatch {
            guard let taints = Self.taints(taintPatch) else {
                return failure(
                    422, "Invalid",
                    "Node \"\(name)\" is invalid: spec.taints: each taint needs a key and an effect of NoSchedule, PreferNoSchedule or NoExecute"
                )
            }
            _ = server.setTaints(node: name, taints)
            let shown = taints.map { "\($0.key)\($0.value.isEmpty ? "" : "=\($0.value)"):\($0.effect.rawValue)" }
            done.append("taint node/\(name) [\(shown.joined(separator: ", "))]")
        }
        if let labelPatch {
            _ = server.setLabels(node: name, Self.merged(node.labels, labelPatch))
            done.append("label node/\(name) \(Self.describe(labelPatch))")
        }
        for d in done { note(d) }
        publishChanges()
        guard let now = server.nodes.first(where: { $0.name == name }) else { return notFound(t.resource, name) }
        return json(Objects.node(now, rv: nodeRV[name] ?? rv, version: version))
    }

    private func podLabels(_ t: ResourcePath, name: String, _ patch: JSON) -> APIReply {
        let ns = t.namespace ?? "default"
        guard let pod = server.pods.first(where: { $0.namespace == ns && $0.name == name }) else {
            return notFound(t.resource, name)
        }
        switch server.setLabels(pod: ns, name, Self.merged(pod.labels, patch)) {
        case .done: break
        case .failed(let m):
            return failure(405, "MethodNotAllowed", "the simulated cluster (k3sim serve) does not accept this label change: \(m)")
        default: return notFound(t.resource, name)
        }
        note("label pod/\(ns)/\(name) \(Self.describe(patch))")
        publishChanges()
        let now = server.pods.first { $0.uid == pod.uid } ?? pod
        return json(Objects.pod(now, rv: podRV[now.uid] ?? rv))
    }

    /// JSON merge patch of a string map (RFC 7386): `null` removes the key.
    static func merged(_ labels: [String: String], _ patch: JSON) -> [String: String] {
        var out = labels
        for (k, v) in patch {
            if let s = v as? String { out[k] = s } else { out[k] = nil }
        }
        return out
    }

    /// `app=web tier-` in key order, as the change reads in the run's notes.
    static func describe(_ patch: JSON) -> String {
        patch.keys.sorted().map { k in (patch[k] as? String).map { "\(k)=\($0)" } ?? "\(k)-" }.joined(separator: " ")
    }

    /// `spec.taints` as sent: a list of `{key, value, effect, timeAdded}`; `null` is none.
    static func taints(_ value: Any) -> [Taint]? {
        if value is NSNull { return [] }
        guard let list = value as? [JSON] else { return nil }
        var out: [Taint] = []
        for item in list {
            guard let key = item["key"] as? String, !key.isEmpty,
                let effect = (item["effect"] as? String).flatMap(TaintEffect.init(rawValue:))
            else { return nil }
            out.append(Taint(key: key, value: item["value"] as? String ?? "", effect: effect))
        }
        return out
    }
}
