import KubeModel
import SimKernel

/// `kubectl cordon` / `uncordon`: the node's `spec.unschedulable` and the taint the node
/// lifecycle controller mirrors it into (node.kubernetes.io/unschedulable:NoSchedule). The
/// CloudNativePG operator watches nodes, so a cordon queues its sync.
extension ClusterSimulation {
    func cordon(_ n: Int) {
        guard !nodes[n].unschedulable else { return }
        store.update(node: n) { $0.unschedulable = true }
        addTaint(n, Taint(key: Taint.unschedulableKey, effect: .NoSchedule))
        cnpgOperator.nodeCordoned(in: self)
    }

    func uncordon(_ n: Int) {
        guard nodes[n].unschedulable else { return }
        store.update(node: n) { $0.unschedulable = false }
        removeTaint(n, key: Taint.unschedulableKey, effect: .NoSchedule)
    }
}
