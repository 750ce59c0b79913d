import KubeModel
import SimKernel

/// The DaemonSet controller (pkg/controller/daemon): one pod on every node the template
/// fits (node name, node affinity, NoSchedule/NoExecute taints), created with the
/// DaemonSet tolerations so that node trouble never evicts them.
extension ClusterSimulation {
    func createDaemonSet(_ ds: DaemonSet) {
        let w = addWorkload(name: ds.metadata.key, kind: "DaemonSet", desired: 0)
        daemonSets.append(SimDaemonSet(id: daemonSets.count, object: ds, workload: w))
        let i = daemonSets.count - 1
        workloads[w].desired = nodes.indices.filter { nodeShouldRunDaemonPod(i, node: $0) }.count
        enqueueSync(.daemonSet(i))
    }

    /// `util.AddOrUpdateDaemonPodTolerations` (pkg/controller/daemon/util).
    static let daemonPodTolerations: [Toleration] = [
        Toleration(key: Taint.notReadyKey, operator: .Exists, effect: .NoExecute),
        Toleration(key: Taint.unreachableKey, operator: .Exists, effect: .NoExecute),
        Toleration(key: Taint.diskPressureKey, operator: .Exists, effect: .NoSchedule),
        Toleration(key: Taint.memoryPressureKey, operator: .Exists, effect: .NoSchedule),
        Toleration(key: Taint.pidPressureKey, operator: .Exists, effect: .NoSchedule),
        Toleration(key: Taint.unschedulableKey, operator: .Exists, effect: .NoSchedule),
    ]

    func daemonTolerations(_ ds: DaemonSet) -> [Toleration] {
        var t = ClusterSimulation.daemonPodTolerations
        if ds.template.spec.hostNetwork {
            t.append(Toleration(key: Taint.networkUnavailableKey, operator: .Exists, effect: .NoSchedule))
        }
        return t.filter { !ds.template.spec.tolerations.contains($0) }
    }

    /// `NodeShouldRunDaemonPod`: node affinity / selector and taints with the DaemonSet tolerations.
    func nodeShouldRunDaemonPod(_ i: Int, node n: Int) -> Bool {
        let ds = daemonSets[i].object
        let spec = ds.template.spec
        if nodes[n].deleted { return false }
        if let name = spec.nodeName, name != nodes[n].name { return false }
        if !nodeMatchesAffinity(spec, node: n) { return false }
        let tolerations = spec.tolerations + daemonTolerations(ds)
        return tolerations.untolerated(nodes[n].taints, effects: [.NoSchedule, .NoExecute]).isEmpty
    }

    /// Upstream looks at every node on each sync. A node whose inputs (its taints and
    /// existence, its daemon pod and that pod's deletion) did not change since a sync last
    /// looked at it would see nothing done, so only the changed nodes are visited, in node
    /// order; the result is the same (`IncrementalIndexTests` check it after every event).
    func syncDaemonSet(_ i: Int) {
        let visit: [Int]
        if daemonSets[i].allNodesDirty {
            visit = Array(nodes.indices)
            daemonSets[i].allNodesDirty = false
        } else {
            visit = daemonSets[i].dirtyNodes.sorted()
        }
        daemonSets[i].dirtyNodes.removeAll(keepingCapacity: true)
        if daemonSets[i].shouldRun.count < nodes.count {
            daemonSets[i].shouldRun += Array(repeating: false, count: nodes.count - daemonSets[i].shouldRun.count)
        }
        for n in visit { syncDaemonPod(i, node: n) }
        let desired = daemonSets[i].shouldRunCount
        let w = daemonSets[i].workload
        if workloads[w].desired != desired {
            workloads[w].desired = desired
            measureDesiredChanged(workload: w)
        }
        rollDaemonSet(i, desired: desired)
    }

    /// The sync's work for one node: create the missing daemon pod, delete an ineligible one.
    func syncDaemonPod(_ i: Int, node n: Int) {
        let should = nodeShouldRunDaemonPod(i, node: n)
        if should != daemonSets[i].shouldRun[n] {
            daemonSets[i].shouldRun[n] = should
            daemonSets[i].shouldRunCount += should ? 1 : -1
        }
        let existing = daemonSets[i].podByNode[n]
        if should, existing == nil {
            createDaemonPod(i, node: n)
        } else if !should, let id = existing, let pod = pods[id], !pod.isTerminating {
            // Only an untolerated NoExecute taint or a selector change takes a running
            // daemon pod away; a NoSchedule taint added later leaves it.
            let noExecute = pod.tolerations.untolerated(nodes[n].taints, effects: [.NoExecute])
            if !noExecute.isEmpty || !nodeMatchesAffinity(daemonSets[i].object.template.spec, node: n) {
                deletePod(id, reason: "DaemonSetNodeIneligible")
            }
        }
    }

    /// A node's taints or existence changed: every DaemonSet's next sync looks at it.
    func daemonSetsNodeChanged(_ n: Int) {
        for i in daemonSets.indices { daemonSets[i].dirtyNodes.insert(n) }
    }

    /// RollingUpdate (maxSurge 0): old-revision pods are deleted while fewer than
    /// `maxUnavailable` daemon pods are unavailable; each comes back with the new template.
    func rollDaemonSet(_ i: Int, desired: Int) {
        let ds = daemonSets[i]
        let active = ds.activeByRevision.values.reduce(0, +)
        if active == ds.activeByRevision[ds.revisionLabel] ?? 0 {
            // No old pod (the counts spare walking every pod on each sync).
            if ds.existingPods == desired && ds.unavailablePods == 0 {
                faultsObserveRolloutDone(workload: ds.workload, "every daemon pod at revision \(ds.revision) and Ready")
            }
            return
        }
        let own = ds.podByNode.values.compactMap { pods[$0] }
        let old = own.filter { $0.labels["controller-revision-hash"] != ds.revisionLabel && !$0.isTerminating }
        let budget = max(1, ds.object.maxUnavailable.scaledValue(total: desired, roundUp: true))
        var unavailable = own.filter { !$0.ready || $0.isTerminating }.count + max(0, desired - own.count)
        // Unhealthy old pods first (they are not serving anyway), then by node order.
        for p in old.sorted(by: { ($0.ready ? 1 : 0, $0.id) < ($1.ready ? 1 : 0, $1.id) }) where unavailable < budget || !p.ready
        {
            deletePod(p.id, reason: "DaemonSet rolling update")
            if p.ready { unavailable += 1 }
        }
    }

    func updateDaemonSetTemplate(_ i: Int, image: String?) {
        if let image {
            for c in daemonSets[i].object.template.spec.containers.indices {
                daemonSets[i].object.template.spec.containers[c].image = image
            }
        }
        daemonSets[i].revision += 1
        daemonSets[i].allNodesDirty = true
        enqueueSync(.daemonSet(i))
    }

    func createDaemonPod(_ i: Int, node n: Int) {
        let ds = daemonSets[i].object
        var spec = ds.template.spec
        // Since 1.12 the default scheduler places daemon pods, pinned by node affinity on
        // metadata.name.
        var affinity = spec.affinity ?? Affinity()
        var nodeAffinity = affinity.nodeAffinity ?? NodeAffinity()
        nodeAffinity.required = NodeSelector(nodeSelectorTerms: [
            NodeSelectorTerm(
                matchFields: [NodeSelectorRequirement(key: "metadata.name", operator: .In, values: [nodes[n].name])])
        ])
        affinity.nodeAffinity = nodeAffinity
        spec.affinity = affinity
        if refusedByAdmission(
            spec, namespace: ds.metadata.namespace, podName: "\(ds.metadata.name)-", owner: "DaemonSet \(ds.metadata.key)",
            event: { "Error creating: \($0)" })
        {
            return
        }
        let name = "\(ds.metadata.name)-\(podNameSuffix(entity: "daemonset/\(ds.metadata.key)"))"
        var labels = ds.template.metadata.labels
        labels["controller-revision-hash"] = daemonSets[i].revisionLabel
        let id = createPod(
            name: name, namespace: ds.metadata.namespace, labels: labels,
            spec: spec, owner: .daemonSet(i), workload: daemonSets[i].workload,
            extraTolerations: daemonTolerations(ds))
        daemonSets[i].podByNode[n] = id
    }
}
