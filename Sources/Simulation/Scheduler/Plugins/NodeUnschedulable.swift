import KubeModel

/// NodeUnschedulable: a cordoned node takes only pods that tolerate
/// `node.kubernetes.io/unschedulable:NoSchedule`.
struct NodeUnschedulable: FilterPlugin {
    let name = "NodeUnschedulable"
    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        guard ctx.nodes[node].unschedulable else { return nil }
        let taint = Taint(key: Taint.unschedulableKey, effect: .NoSchedule)
        return pod.tolerations.tolerate(taint) ? nil : FilterFailure("node(s) were unschedulable", unresolvable: true)
    }

    func filterAll(
        _ pod: SimPod, _ nodes: [Int], _ ctx: SchedulingContext, _ state: CycleState, into verdicts: inout FilterVerdicts
    ) {
        for j in nodes.indices where ctx.nodes[nodes[j]].unschedulable && !verdicts.isRejected(j) {
            if let failure = filter(pod, nodes[j], ctx, state) { verdicts.reject(j, failure, plugin: name) }
        }
    }
}

/// NodeName: a pod that names a node fits only there.
struct NodeName: FilterPlugin {
    let name = "NodeName"
    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool { pod.spec.nodeName == nil }

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        guard let want = pod.spec.nodeName, want != ctx.nodes[node].name else { return nil }
        return FilterFailure("node(s) didn't match the requested node name", unresolvable: true)
    }
}

/// NodePorts: a host port (protocol, port) already used on the node by another pod.
struct NodePorts: FilterPlugin {
    let name = "NodePorts"
    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool {
        state.hostPorts = NodePorts.hostPorts(pod.spec)
        return state.hostPorts.isEmpty
    }

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        let wanted = state.hostPorts
        guard !wanted.isEmpty else { return nil }
        for other in ctx.pods(on: node) {
            if !NodePorts.hostPorts(other.spec).isDisjoint(with: wanted) {
                return FilterFailure("node(s) didn't have free ports for the requested pod ports")
            }
        }
        return nil
    }

    static func hostPorts(_ spec: PodSpec) -> Set<String> {
        var s = Set<String>()
        for list in [spec.containers, spec.initContainers] {
            for c in list {
                for p in c.ports { if let hp = p.hostPort, hp > 0 { s.insert("\(p.protocol)/\(hp)") } }
            }
        }
        return s
    }
}
