import KubeModel
import SimKernel

/// What watchers of nodes look at: the fields of the Node and its Lease that components
/// react to (a node's pod set and images change too often to copy on every write).
struct NodeFields: Equatable {
    var ready: ConditionStatus
    var up: Bool
    var deleted: Bool
    var unschedulable: Bool
    var leaseRenewTime: SimTime
    var statusHeartbeat: SimTime
    var taints: [Taint]
    var labels: [String: String]

    init(_ node: SimNode) {
        ready = node.ready; up = node.up; deleted = node.deleted; unschedulable = node.unschedulable
        leaseRenewTime = node.leaseRenewTime; statusHeartbeat = node.statusHeartbeat
        taints = node.taints
        labels = node.labels
    }

    var noExecuteTaints: Int { taints.reduce(0) { $0 + ($1.effect == .NoExecute ? 1 : 0) } }
    var outOfService: Bool { taints.contains { $0.key == Taint.outOfServiceKey && $0.effect == .NoExecute } }
}

/// A node write that changed any of its `NodeFields`.
struct NodeChange {
    let node: Int
    let old: NodeFields
    let new: NodeFields
}

/// A pod as one write changed it, as informers hand it to their event handlers.
enum PodChange {
    case added(SimPod)
    case updated(old: SimPod, new: SimPod)
    case deleted(SimPod)
}

/// The API objects of one simulated cluster: pods and nodes (with their Leases).
///
/// Nothing else writes them: every write goes through the methods below, and each one tells the
/// watchers registered at start what changed — synchronously and in registration order, so runs
/// stay deterministic — as the API server's watch and the informers' event handlers do. Indexes
/// (pod counts, match counts, workload membership) are such watchers, so no writer has to remember
/// to keep them current.
///
/// The store also keeps the scheduler-cache view of each node (its pods and their requests),
/// which follows from the pods' bindings.
final class APIStore {
    private(set) var pods: [PodID: SimPod] = [:]
    private(set) var nodes: [SimNode] = []
    private var podWatchers: [(PodChange) -> Void] = []
    private var nodeWatchers: [(NodeChange) -> Void] = []

    /// Registers a pod event handler; handlers run in the order they were registered.
    func watchPods(_ handler: @escaping (PodChange) -> Void) { podWatchers.append(handler) }
    func watchNodes(_ handler: @escaping (NodeChange) -> Void) { nodeWatchers.append(handler) }

    private func publish(_ change: PodChange) {
        for watcher in podWatchers { watcher(change) }
    }

    // MARK: pods

    func create(_ pod: SimPod) {
        precondition(pods[pod.id] == nil, "pod \(pod.id) exists")
        pods[pod.id] = pod
        publish(.added(pod))
    }

    /// Binds a pending pod to node `n` (the scheduler's Binding, or spec.nodeName at
    /// creation); the node's requested resources grow by its requests.
    func bind(_ id: PodID, node n: Int) {
        guard let old = pods[id], old.node == nil else { return }
        var pod = old
        pod.nodeName = nodes[n].name
        pod.node = n
        pods[id] = pod
        nodes[n].pods.insert(id)
        nodes[n].requested.add(pod.requests)
        nodes[n].nonZeroRequested.add(pod.nonZeroRequests)
        publish(.updated(old: old, new: pod))
    }

    /// Any other change of a pod's fields (status, labels, nomination).
    ///
    /// Returns false when the pod does not exist.
    @discardableResult
    func update(pod id: PodID, _ body: (inout SimPod) -> Void) -> Bool {
        guard let old = pods[id] else { return false }
        var pod = old
        body(&pod)
        pods[id] = pod
        publish(.updated(old: old, new: pod))
        return true
    }

    /// The object goes: the resources it held on its node are free again.
    @discardableResult
    func remove(pod id: PodID) -> SimPod? {
        guard let pod = pods.removeValue(forKey: id) else { return nil }
        if let n = pod.node {
            nodes[n].pods.remove(id)
            nodes[n].requested.subtract(pod.requests)
            nodes[n].nonZeroRequested.subtract(pod.nonZeroRequests)
        }
        publish(.deleted(pod))
        return pod
    }

    // MARK: nodes

    func add(node: SimNode) {
        precondition(node.index == nodes.count, "nodes are added in index order")
        nodes.append(node)
    }

    /// A change of a node's fields (Ready condition, taints, spec.unschedulable, its Lease, the
    /// machine behind it).
    ///
    /// In place: a node's pod set is large and must not be copied.
    func update(node n: Int, _ body: (inout SimNode) -> Void) {
        let old = NodeFields(nodes[n])
        body(&nodes[n])
        let new = NodeFields(nodes[n])
        guard old != new else { return }
        let change = NodeChange(node: n, old: old, new: new)
        for watcher in nodeWatchers { watcher(change) }
    }
}
