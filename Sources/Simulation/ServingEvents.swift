import KubeModel
import SimKernel

/// A Kubernetes Event as the components post them (Scheduled, Started, Killing,
/// SuccessfulCreate, FailedScheduling, TaintManagerEviction, NodeNotReady …), derived from
/// the store's changes and the components' own notices (`ComponentEvent`).
public struct ServedEvent: Sendable {
    public let at: SimTime
    public let kind: String
    public let namespace: String
    public let name: String
    public let reason: String
    public let warning: Bool
    public let message: String
    public let component: String
    /// The involved object's uid as served (`ServedUID`), which `kubectl describe` selects events by.
    public var uid: String {
        podID.map { ServedUID.of("Pod", namespace, "\(name)#\($0)") } ?? ServedUID.of(kind, kind == "Node" ? "" : namespace, name)
    }
    /// The pod's id in the run when the event is about a pod.
    var podID: Int? = nil
}

extension SimulationServer {
    func addEvent(_ e: ServedEvent) {
        events.append(e)
        if events.count > Self.eventLimit { events.removeFirst(events.count - Self.eventLimit) }
    }

    private func podEvent(_ p: SimPod, _ reason: String, _ message: String, _ component: String, warning: Bool = false) {
        addEvent(
            ServedEvent(
                at: simulation.now, kind: "Pod", namespace: p.namespace, name: p.name, reason: reason,
                warning: warning, message: message, component: component, podID: p.id.number))
    }

    /// The pod's owner as an event's object, with the controller's component name.
    private func ownerEvent(_ p: SimPod, created: Bool) {
        guard let owner = ownerName(p.owner) else { return }
        let message: String, component: String
        switch p.owner {
        case .statefulSet:
            // stateful_pod_control.go recordPodEvent: "<verb> Pod <pod> in StatefulSet <set> successful".
            message = "\(created ? "create" : "delete") Pod \(p.name) in StatefulSet \(owner.name) successful"
            component = "statefulset-controller"
        case .pgCluster:
            message = "\(created ? "Created" : "Deleted") pod: \(p.name)"
            component = "cloudnative-pg"
        default:
            // controller_utils.go RealPodControl: "Created pod: <pod>" / "Deleted pod: <pod>".
            message = "\(created ? "Created" : "Deleted") pod: \(p.name)"
            component = owner.kind == "ReplicaSet" ? "replicaset-controller" : "daemonset-controller"
        }
        addEvent(
            ServedEvent(
                at: simulation.now, kind: owner.kind, namespace: p.namespace, name: owner.name,
                reason: created ? "SuccessfulCreate" : "SuccessfulDelete", warning: false,
                message: message, component: component))
    }

    func recordEvents(_ change: PodChange) {
        let container = { (p: SimPod) in p.spec.containers.first?.name ?? p.name }
        switch change {
        case .added(let p):
            ownerEvent(p, created: true)
        case .updated(let old, let new):
            if old.node == nil, let node = new.nodeName {
                // schedule_one.go bindingCycle.
                podEvent(new, "Scheduled", "Successfully assigned \(new.key) to \(node)", "default-scheduler")
            }
            if !old.statusRunning && new.statusRunning {
                // kuberuntime_container.go startContainer (events.StartedContainer).
                podEvent(new, "Started", "Started container \(container(new))", "kubelet")
            }
            if old.deletionTimestamp == nil && new.deletionTimestamp != nil && new.node != nil {
                // kuberuntime_container.go killContainer (events.KillingContainer).
                podEvent(new, "Killing", "Stopping container \(container(new))", "kubelet")
            }
            if old.statusRunning && !new.statusRunning, !new.isTerminating,
                let r = simulation.containerRestarts.records[new.id], r.backoff.wait(finishedAt: r.finishedAt) > .zero
            {
                // kuberuntime_manager.go doBackOff: "Back-off restarting failed container C in pod
                // NAME_NAMESPACE(UID)" (format.Pod), a Warning with reason BackOff.
                podEvent(
                    new, "BackOff",
                    "Back-off restarting failed container \(container(new)) in pod \(new.name)_\(new.namespace)(\(ServedUID.pod(served(new))))",
                    "kubelet", warning: true)
            }
            if old.ready && !new.ready, let n = new.node, simulation.nodes[n].ready != .isTrue {
                // controller_utils.go MarkPodsNotReady.
                podEvent(new, "NodeNotReady", "Node is not ready", "node-controller", warning: true)
            }
        case .deleted: break
        }
    }

    func recordComponentEvent(_ event: ComponentEvent) {
        switch event {
        case .failedScheduling(let id, let message):
            // schedule_one.go handleSchedulingFailure: the FitError as a Warning.
            guard let p = simulation.pods[id] else { return }
            podEvent(p, "FailedScheduling", message, "default-scheduler", warning: true)
        case .podDeletion(let id, let reason):
            guard let p = simulation.pods[id] else { return }
            switch reason {
            case "DeletionByTaintManager":
                // pkg/controller/tainteviction/taint_eviction.go emitPodDeletionEvent.
                podEvent(p, "TaintManagerEviction", "Marking for deletion Pod \(p.key)", "taint-eviction-controller")
            case "ScaleDown", "StatefulSet scale-down", "DaemonSetNodeIneligible":
                ownerEvent(p, created: false)
            default: break
            }
        }
    }
}

/// Stable uids for served objects (the simulation has none of its own): FNV-1a of kind and key.
public enum ServedUID {
    public static func of(_ kind: String, _ namespace: String, _ name: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in "\(kind)/\(namespace)/\(name)".utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        let a = Array(String(repeating: "0", count: 16 - hex.count) + hex)
        return "\(String(a[0..<8]))-\(String(a[8..<12]))-\(String(a[12..<16]))-0000-000000000000"
    }

    /// A pod's: its name and its id in the run, since a replacement may reuse the name.
    public static func pod(_ p: ServedPod) -> String { of("Pod", p.namespace, "\(p.name)#\(p.uid)") }
}
