import KubeModel
import SimKernel

/// The API store's mutations. Each one changes the objects and tells the watchers that
/// care (controllers, scheduler, kubelet, measurement), as informers would after `apiLatency`.
extension ClusterSimulation {
    // MARK: pods

    @discardableResult
    func createPod(name: String, namespace: String, labels: [String: String], spec: PodSpec, owner: PodOwner,
                   workload: Int, extraTolerations: [Toleration] = []) -> Int {
        let id = nextPodID
        nextPodID += 1
        let tolerations = admitTolerations(spec.tolerations + extraTolerations)
        let pod = SimPod(id: id, name: name, namespace: namespace, labels: labels, spec: spec, owner: owner,
                         workload: workload, created: now, requests: spec.effectiveRequests,
                         nonZeroRequests: nonZeroRequests(spec), priority: resolvePriority(spec),
                         tolerations: tolerations)
        pods[id] = pod
        podCountsChanged(pod, from: PodCountFlags(), to: PodCountFlags(pod))
        workloads[pod.workload].pods += 1
        workloads[pod.workload].members.insert(id)
        recordPending(1)
        measurePods(workload: workload)
        if let nodeName = spec.nodeName, let n = nodeIndex[nodeName] {
            // A pod created with spec.nodeName skips the scheduler; the kubelet admits it.
            bindPod(id, node: n)
        } else {
            enqueueForScheduling(id)
        }
        return id
    }

    /// DefaultTolerationSeconds admission: not-ready and unreachable NoExecute for 300 s
    /// unless the pod already tolerates them (plugin/pkg/admission/defaulttolerationseconds).
    func admitTolerations(_ tolerations: [Toleration]) -> [Toleration] {
        var result = tolerations
        let notReady = Taint(key: Taint.notReadyKey, effect: .NoExecute)
        let unreachable = Taint(key: Taint.unreachableKey, effect: .NoExecute)
        if !tolerations.tolerate(notReady) {
            result.append(Toleration(key: Taint.notReadyKey, operator: .Exists, effect: .NoExecute,
                                     tolerationSeconds: params.defaultNotReadyTolerationSeconds))
        }
        if !tolerations.tolerate(unreachable) {
            result.append(Toleration(key: Taint.unreachableKey, operator: .Exists, effect: .NoExecute,
                                     tolerationSeconds: params.defaultUnreachableTolerationSeconds))
        }
        return result
    }

    /// The scheduler's non-zero requests: a container without a CPU or memory request counts
    /// as 100m / 200 MiB for scoring (pkg/scheduler/util `GetNonzeroRequests`).
    func nonZeroRequests(_ spec: PodSpec) -> Resources {
        func nz(_ c: Container) -> Resources {
            let r = Resources(c.resources.requests)
            return Resources(milliCPU: c.resources.requests["cpu"] == nil ? 100 : r.milliCPU,
                             memoryBytes: c.resources.requests["memory"] == nil ? 200 * 1024 * 1024 : r.memoryBytes)
        }
        var total = Resources.zero
        for c in spec.containers { total.add(nz(c)) }
        for c in spec.initContainers { total = total.max(nz(c)) }
        return total
    }

    func bindPod(_ id: Int, node n: Int) {
        guard var pod = pods[id], pod.node == nil else { return }
        recordPending(-1)
        pod.nodeName = nodes[n].name
        pod.node = n
        pods[id] = pod
        nodes[n].pods.insert(id)
        podsChanged(onNode: n, pod: pod)
        nodes[n].requested.add(pod.requests)
        nodes[n].nonZeroRequested.add(pod.nonZeroRequests)
        bindClaims(of: pod, to: n)
        engine.schedule(.kubeletAdmit(pod: id, generation: pod.kubeletGeneration), after: params.apiLatency)
        podOnTaintedNode(id)
    }

    func setPodReady(_ id: Int, _ ready: Bool) {
        guard var pod = pods[id], pod.ready != ready else { return }
        let before = PodCountFlags(pod)
        pod.ready = ready
        pod.readySince = ready ? now : nil
        pods[id] = pod
        podCountsChanged(pod, from: before, to: PodCountFlags(pod))
        podStatusChanged(pod)
    }

    /// Graceful deletion: sets deletionTimestamp; the kubelet stops the containers and
    /// removes the object. A pod never bound, or on a node whose kubelet never admitted
    /// it, goes at once.
    func deletePod(_ id: Int, reason: String) {
        guard var pod = pods[id], pod.deletionTimestamp == nil else { return }
        let before = PodCountFlags(pod)
        pod.deletionTimestamp = now
        pod.gracePeriod = .seconds(pod.spec.terminationGracePeriodSeconds)
        pods[id] = pod
        podCountsChanged(pod, from: before, to: PodCountFlags(pod))
        if let n = pod.node { podsChanged(onNode: n, pod: pod) }
        if case .daemonSet(let ds) = pod.owner, let n = pod.node { daemonSets[ds].dirtyNodes.insert(n) }
        workloads[pod.workload].pods -= 1
        cancelTaintEviction(id)
        unschedulablePodGone(id)
        podStatusChanged(pod)
        if pod.node == nil {
            removePod(id)
        } else {
            kubeletPodDeleted(id)
        }
    }

    /// The object is gone from the API: resources on the node are free again.
    func removePod(_ id: Int) {
        guard let pod = pods.removeValue(forKey: id) else { return }
        podCountsChanged(pod, from: PodCountFlags(pod), to: PodCountFlags())
        if pod.deletionTimestamp == nil { workloads[pod.workload].pods -= 1 }
        workloads[pod.workload].members.remove(id)
        if pod.node == nil { recordPending(-1) }
        if let n = pod.node {
            nodes[n].pods.remove(id)
            podsChanged(onNode: n, removed: id)
            nodes[n].requested.subtract(pod.requests)
            nodes[n].nonZeroRequested.subtract(pod.nonZeroRequests)
        }
        switch pod.owner {
        case .replicaSet(let rs): replicaSets[rs].pods.remove(id); enqueueSync(.replicaSet(rs))
        case .daemonSet(let ds):
            if let n = pod.node { daemonSets[ds].dirtyNodes.insert(n) }
            if let n = pod.node, daemonSets[ds].podByNode[n] == id { daemonSets[ds].podByNode[n] = nil }
            enqueueSync(.daemonSet(ds))
        case .statefulSet(let s, let ordinal):
            if statefulSets[s].podByOrdinal[ordinal] == id { statefulSets[s].podByOrdinal[ordinal] = nil }
            enqueueSync(.statefulSet(s))
        case .pgCluster(let c, let serial):
            if pgClusters[c].podBySerial[serial] == id { pgClusters[c].podBySerial[serial] = nil }
            enqueuePGSync(c, after: params.apiLatency)
        case .none: break
        }
        measurePods(workload: pod.workload)
        reconcileAttachments()
        clusterChanged()
    }

    /// A pod's readiness, running state or deletion changed.
    func podStatusChanged(_ pod: SimPod) {
        switch pod.owner {
        case .replicaSet(let rs): enqueueSync(.replicaSet(rs))
        case .daemonSet(let ds): enqueueSync(.daemonSet(ds))
        case .statefulSet(let s, _): enqueueSync(.statefulSet(s))
        case .pgCluster(let c, _): enqueuePGSync(c, after: params.apiLatency)
        case .none: break
        }
        measurePods(workload: pod.workload)
    }

    // MARK: nodes

    func setNodeReady(_ n: Int, _ status: ConditionStatus) {
        guard nodes[n].ready != status else { return }
        unsettleNode(n)
        nodes[n].ready = status
        applyConditionTaints(n)
        daemonSetsNodeChanged(n)
        recordNodeState(n)
        reconcileAttachments()
        clusterChanged()
        for ds in daemonSets.indices { enqueueSync(.daemonSet(ds)) }
    }

    /// TaintNodesByCondition (`doNoScheduleTaintingPass`): Ready=False gives
    /// `not-ready:NoSchedule`, Ready=Unknown `unreachable:NoSchedule`, at once and without
    /// rate limit, so that no new pod lands on a node that is not ready.
    func applyConditionTaints(_ n: Int) {
        let want: String? = nodes[n].ready == .isFalse ? Taint.notReadyKey : nodes[n].ready == .unknown ? Taint.unreachableKey : nil
        for key in [Taint.notReadyKey, Taint.unreachableKey] where key != want {
            nodes[n].taints.removeAll { $0.key == key && $0.effect == .NoSchedule }
        }
        if let want, !nodes[n].taints.contains(where: { $0.key == want && $0.effect == .NoSchedule }) {
            nodes[n].taints.append(Taint(key: want, effect: .NoSchedule, timeAddedSeconds: now.seconds))
        }
    }

    func addTaint(_ n: Int, _ taint: Taint) {
        guard !nodes[n].taints.contains(where: { $0.sameIdentity(taint) }) else { return }
        if taint.effect == .NoExecute { unsettleNode(n) }
        var t = taint
        t.timeAddedSeconds = now.seconds
        nodes[n].taints.append(t)
        daemonSetsNodeChanged(n)
        if taint.effect == .NoExecute { noExecuteTaintsChanged(node: n) }
        if taint.key == Taint.outOfServiceKey { reconcileAttachments(); schedulePodGC() }
        for ds in daemonSets.indices { enqueueSync(.daemonSet(ds)) }
    }

    func removeTaint(_ n: Int, key: String, effect: TaintEffect) {
        let before = nodes[n].taints.count
        nodes[n].taints.removeAll { $0.key == key && $0.effect == effect }
        guard nodes[n].taints.count != before else { return }
        daemonSetsNodeChanged(n)
        if effect == .NoExecute { noExecuteTaintsChanged(node: n) }
        clusterChanged()
        for ds in daemonSets.indices { enqueueSync(.daemonSet(ds)) }
    }

    // MARK: watches

    func enqueueSync(_ key: SyncKey) {
        guard pendingSyncs.insert(key).inserted else { return }
        let event: SimEvent
        switch key {
        case .replicaSet(let i): event = .syncReplicaSet(i)
        case .deployment(let i): event = .syncDeployment(i)
        case .daemonSet(let i): event = .syncDaemonSet(i)
        case .statefulSet(let i): event = .syncStatefulSet(i)
        }
        engine.schedule(event, after: params.apiLatency)
    }

    /// Something that can make an unschedulable pod schedulable happened (a pod went away,
    /// a node became ready or lost a taint).
    func clusterChanged() {
        flushUnschedulable(periodic: false)
    }
}
