import Foundation
import Scenario
import SimKernel
import Simulation

/// The writes drills use, applied through the simulation's own paths (the ones its faults
/// take): cordon/uncordon, scale, delete, eviction, and fault actions from an instructor.
extension ServedCluster {
    func patch(_ t: ResourcePath, _ req: APIRequest) -> APIReply {
        guard let body = (try? JSONSerialization.jsonObject(with: req.body)) as? JSON, let name = t.name else {
            return failure(400, "BadRequest", "the patch is not a JSON object")
        }
        if let reply = metadataPatch(t, body) { return reply }
        let spec = body["spec"] as? JSON ?? [:]
        let onlySpec = Set(body.keys).subtracting(["metadata", "apiVersion", "kind", "status"]) == ["spec"]
        switch (t.resource.name, t.subresource) {
        case ("nodes", nil) where onlySpec && Set(spec.keys) == ["unschedulable"]:
            let value = spec["unschedulable"] as? Bool ?? false
            guard server.setUnschedulable(node: name, value) == .done else { return notFound(t.resource, name) }
            note("\(value ? "cordon" : "uncordon") node/\(name)")
            publishChanges()
            return get(t, APIRequest(method: "GET", path: req.path, query: [:], accept: "", body: Data()))
        case ("deployments", nil) where Self.isRestart(body):
            // `kubectl rollout restart`: a template annotation, so a rollout as the scenario's `rollout` fault makes.
            let ns = t.namespace ?? "default"
            guard deployment(t) != nil else { return notFound(t.resource, name) }
            server.inject(FaultSpec(at: server.now, action: .rollout, target: .deployment(namespace: ns, name: name)))
            note("rollout restart deployment/\(ns)/\(name)")
            // Read again: the rollout changed its template.
            guard let restarted = deployment(t) else { return notFound(t.resource, name) }
            return json(Objects.workload(restarted, rv: rv))
        case ("deployments", nil), ("deployments", "scale"):
            guard onlySpec, Set(spec.keys) == ["replicas"], let replicas = spec["replicas"] as? Int, replicas >= 0 else { break }
            let ns = t.namespace ?? "default"
            guard server.scaleDeployment(namespace: ns, name: name, replicas: replicas) == .done else {
                return notFound(t.resource, name)
            }
            note("scale deployment/\(ns)/\(name) --replicas=\(replicas)")
            guard let w = deployment(t) else { return notFound(t.resource, name) }
            return json(t.subresource == "scale" ? Objects.scale(w, rv: rv) : Objects.workload(w, rv: rv))
        default: break
        }
        return notAllowed(req)
    }

    /// Whether a patch body is the one `kubectl rollout restart` sends.
    ///
    /// `{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":…}}}}}`
    static func isRestart(_ body: JSON) -> Bool {
        let template = (body["spec"] as? JSON)?["template"] as? JSON
        let annotations = (template?["metadata"] as? JSON)?["annotations"] as? JSON
        return annotations?["kubectl.kubernetes.io/restartedAt"] != nil && body.keys.sorted() == ["spec"]
    }

    func delete(_ t: ResourcePath, _ req: APIRequest) -> APIReply {
        guard t.resource.name == "pods", let name = t.name, t.subresource == nil else { return notAllowed(req) }
        let ns = t.namespace ?? "default"
        let before = server.pods.first { $0.namespace == ns && $0.name == name }
        guard let before, server.deletePod(namespace: ns, name: name) == .done else { return notFound(t.resource, name) }
        note("delete pod/\(ns)/\(name)")
        publishChanges()
        let now = server.pods.first { $0.uid == before.uid } ?? before
        return json(Objects.pod(now, rv: podRV[now.uid] ?? rv))
    }

    func evict(_ t: ResourcePath, _ req: APIRequest) -> APIReply {
        guard t.resource.name == "pods", let name = t.name else { return notAllowed(req) }
        let ns = t.namespace ?? "default"
        switch server.evictPod(namespace: ns, name: name) {
        case .done:
            note("evict pod/\(ns)/\(name)")
            return json(
                ["kind": "Status", "apiVersion": "v1", "metadata": [:] as JSON, "status": "Success", "code": 201], status: 201)
        case .notFound: return notFound(t.resource, name)
        case .tooManyRequests(let m):
            var status = Objects.status(code: 429, reason: "TooManyRequests", message: m)
            status["details"] = ["causes": [["reason": "DisruptionBudget", "message": m]]]
            return json(status, status: 429)
        case .failed(let m): return failure(500, "InternalError", m)
        }
    }

    /// `POST /k3sim/faults` with `{"action":"crash","target":"node/w2"}` (optional `for`,
    /// `replicas`, `image`, `count`, `force`): a scenario fault action at the current time.
    func injectFault(_ body: Data) -> APIReply {
        guard let doc = (try? JSONSerialization.jsonObject(with: body)) as? JSON,
            let actionText = doc["action"] as? String, let targetText = doc["target"] as? String
        else {
            return failure(
                400, "BadRequest",
                "expected a JSON object with \"action\" and \"target\", e.g. {\"action\":\"crash\",\"target\":\"node/w2\"}")
        }
        guard let action = FaultSpec.Action(rawValue: actionText) else {
            let known = FaultSpec.Action.allCases.map(\.rawValue).joined(separator: ", ")
            return failure(400, "BadRequest", "unknown action \"\(actionText)\" (one of \(known))")
        }
        guard let target = Self.faultTarget(targetText) else {
            return failure(
                400, "BadRequest",
                "unknown target \"\(targetText)\" (node/NAME, pod/NS/NAME, deployment/[NS/]NAME, zone/Z, pool/P, cluster, controlplane/leader)"
            )
        }
        var fault = FaultSpec(at: server.now, action: action, target: target)
        if let d = doc["for"] as? String {
            guard let t = DurationValue.parse(d) else {
                return failure(400, "BadRequest", "\"for\": \"\(d)\" is not a duration such as 90s or 5m")
            }
            fault.duration = t
        }
        fault.replicas = doc["replicas"] as? Int
        fault.image = doc["image"] as? String
        fault.count = doc["count"] as? Int
        fault.force = doc["force"] as? Bool ?? false
        server.inject(fault)
        note("fault \(action.rawValue) \(target)")
        return json(
            [
                "injected": [
                    "action": action.rawValue, "target": target.description,
                    "atSeconds": server.now.seconds, "time": SimClock.timestamp(server.now),
                ]
            ], status: 201)
    }

    static func faultTarget(_ s: String) -> FaultSpec.Target? {
        let p = s.split(separator: "/").map(String.init)
        switch (p.first ?? "", p.count) {
        case ("node", 2): return .node(p[1])
        case ("zone", 2): return .zone(p[1])
        case ("pool", 2): return .pool(p[1])
        case ("cluster", 1): return .cluster
        case ("controlplane", 2) where p[1] == "leader": return .controlPlaneLeader
        case ("pod", 3): return .pod(namespace: p[1], name: p[2])
        case ("deployment", 2): return .deployment(namespace: "default", name: p[1])
        case ("deployment", 3): return .deployment(namespace: p[1], name: p[2])
        case ("statefulset", 2): return .statefulSet(namespace: "default", name: p[1])
        case ("statefulset", 3): return .statefulSet(namespace: p[1], name: p[2])
        case ("daemonset", 2): return .daemonSet(namespace: "default", name: p[1])
        case ("daemonset", 3): return .daemonSet(namespace: p[1], name: p[2])
        default: return nil
        }
    }

    func note(_ action: String) {
        let line = "\(formatClock(server.now)) \(action)"
        actions.append(line)
        // In the stored run too: a served run with requests is not the scenario alone.
        server.addNote("k3sim serve request at \(line)")
    }

    func formatClock(_ t: SimTime) -> String {
        let s = Int(t.seconds)
        return String(format: "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
    }
}
