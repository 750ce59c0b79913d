import KubeModel
import SimKernel

/// The metadata and taint edits a client of `k3sim serve` makes (`kubectl taint`, `kubectl
/// label`), applied as the API server stores them and then left to the components that
/// react: the scheduler reads the new taints and labels at its next cycle, the taint eviction
/// controller hears of changed NoExecute taints from the store, and the DaemonSet controller
/// looks at the node again.
extension ClusterSimulation {
    /// The node's taints become `wanted` (kubectl sends the whole list).
    ///
    /// Taints are compared by key and effect (`MatchTaint`); a changed value replaces the taint.
    func setTaints(node n: Int, _ wanted: [Taint]) {
        let current = nodes[n].taints
        for t in current where !wanted.contains(where: { $0.sameIdentity(t) && $0.value == t.value }) {
            removeTaint(n, key: t.key, effect: t.effect)
        }
        for t in wanted where !nodes[n].taints.contains(where: { $0.sameIdentity(t) }) {
            addTaint(n, t)
        }
    }

    /// The node's labels become `labels`; the scheduler and the DaemonSet controller hear of
    /// it from the store.
    func setLabels(node n: Int, _ labels: [String: String]) {
        store.update(node: n) { $0.replaceLabels(labels) }
    }

    /// The pod's labels become `labels` (counted anew by the store's indexes).
    func setLabels(pod id: PodID, _ labels: [String: String]) {
        guard let pod = pods[id], pod.labels != labels else { return }
        store.update(pod: id) { $0.labels = labels }
        clusterChanged()
    }

    /// The selector of the controller that owns the pod, if any.
    func ownerSelector(_ owner: PodOwner) -> LabelSelector? {
        switch owner {
        case .replicaSet(let i): return replicaSets[i].selector
        case .daemonSet(let i): return daemonSets[i].object.selector
        case .statefulSet(let i, _): return statefulSets[i].object.selector
        // The Job controller selects by the controller uid it labels its pods with; the job-name
        // label it adds beside it stands in for it here.
        case .job(let j): return LabelSelector(matchLabels: ["batch.kubernetes.io/job-name": jobController.jobs[j].name])
        case .pgCluster, .none: return nil
        }
    }
}

extension SimulationServer {
    /// `kubectl taint node`: the node's full taint list.
    public func setTaints(node name: String, _ taints: [Taint]) -> ServedWriteResult {
        guard let n = simulation.nodeIndex[name], !simulation.nodes[n].deleted else { return .notFound }
        simulation.setTaints(node: n, taints)
        changedNodes.insert(n)
        return .done
    }

    /// `kubectl label node`: the node's full label map.
    public func setLabels(node name: String, _ labels: [String: String]) -> ServedWriteResult {
        guard let n = simulation.nodeIndex[name], !simulation.nodes[n].deleted else { return .notFound }
        simulation.setLabels(node: n, labels)
        changedNodes.insert(n)
        return .done
    }

    /// `kubectl label pod`: refused when the pod would leave its controller's selector, since
    /// orphaning (the controller releasing it and making a replacement) is not modelled.
    public func setLabels(pod namespace: String, _ name: String, _ labels: [String: String]) -> ServedWriteResult {
        guard let p = simulation.pods.values.first(where: { $0.namespace == namespace && $0.name == name }) else {
            return .notFound
        }
        if let selector = simulation.ownerSelector(p.owner), !selector.matches(labels) {
            return .failed("the labels would release the pod from its controller, which k3sim does not model")
        }
        simulation.setLabels(pod: p.id, labels)
        return .done
    }
}
