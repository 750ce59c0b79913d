import Foundation

/// The answer to an eviction request, as kubectl drain interprets it.
public enum EvictionOutcome: Sendable, Equatable {
    /// 201: the pod is being deleted (gracefully).
    case evicted
    /// 429: a PodDisruptionBudget forbids it now (kubectl drain retries after 5 s).
    case blocked(String)
    /// 404: the pod is already gone.
    case gone
}

/// The only requests that change a cluster. Each is what kubectl sends for the same action,
/// so a live drill exercises the same server paths (admission, PDB checks) as an operator's.
extension KubeClient {
    /// `kubectl cordon` / `uncordon`: a strategic-merge patch of `spec.unschedulable`.
    public func setUnschedulable(node: String, _ unschedulable: Bool, cancellation: Cancellation? = nil) throws {
        let body = JSONValue.object(["spec": .object(["unschedulable": .bool(unschedulable)])]).data()
        _ = try json(
            .patch, KubeResource.nodes.path(name: node), body: body,
            contentType: "application/strategic-merge-patch+json", cancellation: cancellation)
    }

    /// The eviction subresource (policy/v1), with no retry here: the drill retries 429s at
    /// kubectl's cadence and counts them.
    public func evict(namespace: String, pod: String, cancellation: Cancellation? = nil) throws -> EvictionOutcome {
        let body = JSONValue.object([
            "apiVersion": .string("policy/v1"), "kind": .string("Eviction"),
            "metadata": .object(["name": .string(pod), "namespace": .string(namespace)]),
        ]).data()
        let path = KubeResource.pods.path(namespace: namespace, name: pod, subresource: "eviction")
        let r = try call(.post, path, body: body, retry: .none, cancellation: cancellation)
        switch r.status {
        case 200..<300: return .evicted
        case 404: return .gone
        case 429: return .blocked(KubeAPIError.from(r, method: .post, path: path).message)
        default: throw KubeAPIError.from(r, method: .post, path: path)
        }
    }

    /// `kubectl rollout restart`: sets the pod template annotation
    /// `kubectl.kubernetes.io/restartedAt` (RFC 3339), which starts a rolling update.
    public func restartRollout(
        namespace: String, deployment: String, at date: Date = Date(),
        cancellation: Cancellation? = nil
    ) throws -> JSONValue {
        let stamp = ISO8601DateFormatter().string(from: date)
        let body = JSONValue.object([
            "spec": .object([
                "template": .object([
                    "metadata": .object([
                        "annotations": .object([
                            "kubectl.kubernetes.io/restartedAt": .string(stamp)
                        ])
                    ])
                ])
            ])
        ]).data()
        return try json(
            .patch, KubeResource.deployments.path(namespace: namespace, name: deployment), body: body,
            contentType: "application/strategic-merge-patch+json", cancellation: cancellation)
    }

    /// `kubectl delete pod` (graceful, the pod's own terminationGracePeriodSeconds).
    public func deletePod(namespace: String, name: String, cancellation: Cancellation? = nil) throws {
        let path = KubeResource.pods.path(namespace: namespace, name: name)
        let r = try call(.delete, path, cancellation: cancellation)
        guard (200..<300).contains(r.status) || r.status == 404 else { throw KubeAPIError.from(r, method: .delete, path: path) }
    }
}
