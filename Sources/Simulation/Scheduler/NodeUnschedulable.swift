import KubeModel

/// NodeUnschedulable: a cordoned node takes only pods that tolerate
/// `node.kubernetes.io/unschedulable:NoSchedule`.
struct NodeUnschedulable: FilterPlugin {
    let name = "NodeUnschedulable"
    func filter(_ pod: SimPod, _ node: SimNode) -> String? {
        guard node.unschedulable else { return nil }
        let taint = Taint(key: Taint.unschedulableKey, effect: .NoSchedule)
        return pod.tolerations.tolerate(taint) ? nil : "node(s) were unschedulable"
    }
}

/// NodeName: a pod that names a node fits only there.
struct NodeName: FilterPlugin {
    let name = "NodeName"
    func filter(_ pod: SimPod, _ node: SimNode) -> String? {
        guard let want = pod.spec.nodeName, want != node.name else { return nil }
        return "node(s) didn't match the requested node name"
    }
}
