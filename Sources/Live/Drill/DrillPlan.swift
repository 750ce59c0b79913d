import Foundation

/// A drill's target and action, as `--action ACTION TARGET` names them (the scenario's fault
/// vocabulary, so that the live and simulated records line up).
public enum DrillAction: Sendable, Equatable {
    case drain(node: String)
    case rollout(namespace: String, deployment: String)
    case deletePod(namespace: String, pod: String)

    /// Parses `drain node/NAME`, `rollout deployment/[NS/]NAME`, `delete-pod pod/NS/NAME`.
    public static func parse(action: String, target: String, defaultNamespace: String) throws -> DrillAction {
        let parts = target.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch (action, parts.first) {
        case ("drain", "node") where parts.count == 2 && !parts[1].isEmpty:
            return .drain(node: parts[1])
        case ("rollout", "deployment") where parts.count == 2 && !parts[1].isEmpty:
            return .rollout(namespace: defaultNamespace, deployment: parts[1])
        case ("rollout", "deployment") where parts.count == 3 && !parts[1].isEmpty && !parts[2].isEmpty:
            return .rollout(namespace: parts[1], deployment: parts[2])
        case ("delete-pod", "pod") where parts.count == 3 && !parts[1].isEmpty && !parts[2].isEmpty:
            return .deletePod(namespace: parts[1], pod: parts[2])
        case ("drain", _), ("rollout", _), ("delete-pod", _):
            let shape =
                action == "drain" ? "node/NAME" : action == "rollout" ? "deployment/[NAMESPACE/]NAME" : "pod/NAMESPACE/NAME"
            throw DrillError.badInput("target \"\(target)\" does not fit --action \(action): expected \(shape)")
        default:
            throw DrillError.badInput("unknown --action \"\(action)\": use drain, rollout or delete-pod")
        }
    }

    /// The scenario fault action.
    public var faultAction: String {
        switch self {
        case .drain: "drain";
        case .rollout: "rollout";
        case .deletePod: "delete-pod"
        }
    }

    /// The scenario fault target (real names).
    public var target: String {
        switch self {
        case .drain(let n): "node/\(n)"
        case .rollout(let ns, let d): "deployment/\(ns)/\(d)"
        case .deletePod(let ns, let p): "pod/\(ns)/\(p)"
        }
    }
}

public enum DrillError: Error, Sendable, CustomStringConvertible {
    /// The user's request cannot be carried out as given (exit 2).
    case badInput(String)
    /// The cluster refused or the drill failed (exit 1).
    case failed(String)
    public var description: String {
        switch self {
        case .badInput(let m), .failed(let m): m
        }
    }
}

/// A pod the drill will evict or delete.
public struct PodRef: Sendable, Equatable {
    public var namespace: String
    public var name: String
    public var uid: String
    /// The pod's controller as `Deployment/ns/name`, `StatefulSet/ns/name` and so on; nil when it has none.
    public var workload: String?
}

/// Exactly what a drill will do, worked out with GET requests only.
///
/// Printed before anything happens; without `--execute` it is all that happens.
public struct DrillPlan: Sendable {
    public var action: DrillAction
    /// The requests that change the cluster, in order, as `METHOD path body`.
    public var requests: [String]
    /// What happens on failure, timeout or Ctrl-C.
    public var restore: [String]
    /// Other lines worth knowing (pods left alone and why).
    public var notes: [String]
    public var pods: [PodRef]
    /// The workloads whose pods the drill takes down (`Kind/ns/name`), observed until they recover.
    public var workloads: [String]
    /// Drain: whether the node was already cordoned (then it is not uncordoned afterwards).
    public var alreadyCordoned: Bool

    public var text: String {
        var lines = ["Plan: \(action.faultAction) \(action.target)"]
        lines += requests.enumerated().map { "  \($0.offset + 1). \($0.element)" }
        lines += notes.map { "  - \($0)" }
        if !restore.isEmpty { lines.append("On failure, timeout or Ctrl-C: " + restore.joined(separator: "; ")) }
        return lines.joined(separator: "\n")
    }
}

/// Plans drills the way kubectl would carry them out.
public enum DrillPlanner {
    /// - `force`: evict pods without a controller (kubectl drain --force);
    /// - `deleteEmptyDirData`: evict pods with emptyDir volumes (kubectl drain --delete-emptydir-data).
    public static func plan(
        _ action: DrillAction, client: KubeClient, force: Bool = false,
        deleteEmptyDirData: Bool = false
    ) throws -> DrillPlan {
        switch action {
        case .drain(let node):
            return try planDrain(action, node: node, client: client, force: force, emptyDir: deleteEmptyDirData)
        case .rollout(let ns, let name):
            guard let d = try client.get(.deployments, namespace: ns, name: name) else {
                throw DrillError.badInput("deployment \(ns)/\(name) does not exist")
            }
            let stamp = "<now, RFC 3339>"
            return DrillPlan(
                action: action,
                requests: [
                    "PATCH \(KubeResource.deployments.path(namespace: ns, name: name)) "
                        + "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"\(stamp)\"}}}}} (kubectl rollout restart)"
                ],
                restore: [],
                notes: [
                    "a rolling update of \(d[path: "spec", "replicas"]?.int ?? 1) replica(s) follows; it cannot be undone without another rollout (kubectl rollout undo)"
                ],
                pods: [], workloads: ["Deployment/\(ns)/\(name)"], alreadyCordoned: false)
        case .deletePod(let ns, let name):
            guard let p = try client.get(.pods, namespace: ns, name: name) else {
                throw DrillError.badInput("pod \(ns)/\(name) does not exist")
            }
            let ref = podRef(p)
            var notes: [String] = []
            if ref.workload == nil { notes.append("the pod has no controller: nothing will replace it") }
            return DrillPlan(
                action: action,
                requests: ["DELETE \(KubeResource.pods.path(namespace: ns, name: name)) (kubectl delete pod, graceful)"],
                restore: [], notes: notes, pods: [ref], workloads: ref.workload.map { [$0] } ?? [], alreadyCordoned: false)
        }
    }

    static func planDrain(_ action: DrillAction, node: String, client: KubeClient, force: Bool, emptyDir: Bool) throws
        -> DrillPlan
    {
        guard let n = try client.get(.nodes, name: node) else { throw DrillError.badInput("node \(node) does not exist") }
        let cordoned = n[path: "spec", "unschedulable"]?.bool == true
        let pods = try client.list(.pods, fieldSelector: "spec.nodeName=\(node)").items.sorted { $0.key < $1.key }
        var evict: [PodRef] = [], notes: [String] = [], refused: [String] = []
        for p in pods {
            let phase = p[path: "status", "phase"]?.string ?? ""
            if p[path: "metadata", "annotations", "kubernetes.io/config.mirror"] != nil {
                notes.append("\(p.key) is a static (mirror) pod: left alone"); continue
            }
            if let owner = p.controller, owner.kind == "DaemonSet" {
                notes.append("\(p.key) belongs to DaemonSet \(owner.name): stays (--ignore-daemonsets)"); continue
            }
            if phase == "Succeeded" || phase == "Failed" {
                notes.append("\(p.key) has finished (\(phase)): left alone"); continue
            }
            if p.controller == nil && !force {
                refused.append("\(p.key) has no controller (use --force to evict it anyway)"); continue
            }
            let hasEmptyDir = (p[path: "spec", "volumes"]?.array ?? []).contains { $0["emptyDir"] != nil }
            if hasEmptyDir && !emptyDir { refused.append("\(p.key) uses emptyDir data (use --delete-emptydir-data)"); continue }
            evict.append(podRef(p))
        }
        if !refused.isEmpty {
            throw DrillError.badInput("kubectl drain would refuse node \(node): " + refused.joined(separator: "; "))
        }
        var requests = ["PATCH \(KubeResource.nodes.path(name: node)) {\"spec\":{\"unschedulable\":true}} (kubectl cordon)"]
        requests += evict.map {
            "POST \(KubeResource.pods.path(namespace: $0.namespace, name: $0.name, subresource: "eviction")) (policy/v1 Eviction; 429 from a PodDisruptionBudget retried every 5 s)"
        }
        notes.append(
            "then wait until the \(evict.count) evicted pod(s) are gone (watching pods), and until their workloads are back at their desired ready replicas"
        )
        notes.append(
            cordoned
                ? "the node is already cordoned: it stays cordoned"
                : "the node stays cordoned afterwards, as after kubectl drain (undo: kubectl uncordon \(node); or pass --uncordon)"
        )
        var workloads: [String] = []
        for p in evict { if let w = p.workload, !workloads.contains(w) { workloads.append(w) } }
        return DrillPlan(
            action: action, requests: requests,
            restore: cordoned
                ? ["nothing to undo (the node was cordoned before)"]
                : ["PATCH \(KubeResource.nodes.path(name: node)) {\"spec\":{\"unschedulable\":false}} (kubectl uncordon)"],
            notes: notes, pods: evict, workloads: workloads, alreadyCordoned: cordoned)
    }

    /// The pod and its workload: a ReplicaSet's pods belong to its Deployment
    /// (`<deployment>-<pod-template-hash>`).
    static func podRef(_ p: JSONValue) -> PodRef {
        var workload: String?
        if let c = p.controller {
            let ns = p.namespace ?? "default"
            if c.kind == "ReplicaSet", let hash = p.labels["pod-template-hash"], c.name.hasSuffix("-" + hash) {
                workload = "Deployment/\(ns)/\(c.name.dropLast(hash.count + 1))"
            } else {
                workload = "\(c.kind)/\(ns)/\(c.name)"
            }
        }
        return PodRef(
            namespace: p.namespace ?? "default", name: p.name, uid: p[path: "metadata", "uid"]?.string ?? "", workload: workload)
    }
}
