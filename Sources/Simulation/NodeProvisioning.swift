import KubeModel
import SimKernel

/// Nodes that join or leave during a run: a surge upgrade's new node, the old one it replaces.
extension ClusterSimulation {
    /// Index of a zone key, adding the zone (and its node lifecycle controller state) if new.
    func zoneIndex(for labels: [String: String]) -> Int {
        let key = ZoneKey(labels: labels)
        if let z = zones.firstIndex(of: key) { return z }
        zones.append(key)
        nodeLifecycle.zoneAdded(in: self)
        return zones.count - 1
    }

    /// A new machine of the same shape as `template`, registered Ready now (its kubelet has
    /// booted and joined): the scheduler sees it, DaemonSets put their pods on it.
    @discardableResult
    func addNode(like template: Int, name: String) -> Int {
        var spec = nodes[template].spec
        spec.name = name
        spec.labels["kubernetes.io/hostname"] = name
        let i = nodes.count
        var node = SimNode(index: i, spec: spec, zone: zoneIndex(for: spec.labels), leaseRenewTime: now)
        node.up = false
        store.add(node: node)
        kubelet.addNode(leaseTimer: nil)
        nodeIndex[name] = i
        nodeSeries.append([])
        nodeLifecycle.nodeAdded(in: self)
        daemonSetController.nodeChanged(i)
        scheduler.rebuildNodeTree(nodes)
        kubelet.nodeBooted(node: i, epoch: kubelet.machineEpoch(i), in: self)
        daemonSetController.enqueueAll(in: self)
        return i
    }

    /// A machine removed by its provider: the kubelet stops and the Node object goes.
    func removeNode(_ n: Int) {
        crashNode(n)
        deleteNodeObject(n)
    }

    /// The next free `<pool>-<index>` name.
    func nextNodeName(pool: String) -> String {
        var k = nodes.filter { $0.spec.pool == pool }.count
        while nodeIndex["\(pool)-\(k)"] != nil { k += 1 }
        return "\(pool)-\(k)"
    }
}
