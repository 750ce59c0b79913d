import KubeModel
import SimKernel

/// What the API server does with each request: admission (default tolerations, priority),
/// the write to the store (whose watchers keep the indexes current), and the components that
/// react to it (controllers, scheduler, kubelet, measurement), which informers would tell
/// after `apiLatency`.
extension ClusterSimulation {
    // MARK: pods

    @discardableResult
    func createPod(
        name: String, namespace: String, labels: [String: String], spec: PodSpec, owner: PodOwner,
        workload: WorkloadID, extraTolerations: [Toleration] = []
    ) -> PodID {
        let id = PodID(nextPodID)
        nextPodID += 1
        let tolerations = admitTolerations(spec.tolerations + extraTolerations)
        let pod = SimPod(
            id: id, name: name, namespace: namespace, labels: labels, spec: spec, owner: owner,
            workload: workload, created: now, requests: spec.effectiveRequests,
            nonZeroRequests: nonZeroRequests(spec), priority: resolvePriority(spec),
            tolerations: tolerations)
        store.create(pod)
        if let nodeName = spec.nodeName, let n = nodeIndex[nodeName] {
            // A pod created with spec.nodeName skips the scheduler; the kubelet admits it.
            bindPod(id, node: n)
        } else {
            scheduler.enqueue(id, in: self)
        }
        return id
    }

    /// Admission that refuses a pod, in the API server's plugin order: the Priority plugin for a
    /// PriorityClass nobody created (plugin/pkg/admission/priority/admission.go `admitPod`:
    /// Forbidden, "no PriorityClass with name X was found"), the RuntimeClass plugin for a
    /// RuntimeClass nobody created (plugin/pkg/admission/runtimeclass/admission.go
    /// `prepareObjects`), and the ResourceQuota plugin for a pod that would take its namespace past
    /// a quota.
    ///
    /// Nothing is created, and the controller that asked records FailedCreate with the API server's
    /// answer (`event` says how the controller words it, e.g. the ReplicaSet controller's "Error
    /// creating: %v"). The first refusal of each owner goes to the run's notes, with its time.
    func refusedByAdmission(_ spec: PodSpec, namespace: String, podName: String, owner: String, event: (String) -> String) -> Bool
    {
        let reason: String
        if let name = spec.priorityClassName, priorityClasses[name] == nil {
            reason = "no PriorityClass with name \(name) was found"
        } else if let rc = spec.runtimeClassName, !rc.isEmpty,
            !self.spec.workloads.runtimeClasses.contains(where: { $0.metadata.name == rc })
        {
            reason = "pod rejected: RuntimeClass \"\(rc)\" not found"
        } else if let quota = quotaRefusal(spec, namespace: namespace) {
            reason = quota
        } else {
            return false
        }
        let answer = "pods \"\(podName)\" is forbidden: \(reason)"
        let tag = "FailedCreate on \(owner): "
        if !notes.contains(where: { $0.contains(tag) }) { notes.append("At \(now): \(tag)\(event(answer))") }
        return true
    }

    /// The first quota of the namespace this pod would exceed, counting the pods that exist
    /// (a pod counts until it is gone; the quota controller's own recount is not modelled).
    func quotaRefusal(_ spec: PodSpec, namespace: String) -> String? {
        let quotas = self.spec.workloads.resourceQuotas.filter {
            $0.metadata.namespace == namespace && $0.scopesUnderstood && $0.matches(spec)
        }
        guard !quotas.isEmpty else { return nil }
        let requested = ResourceQuota.usage(of: spec)
        for q in quotas {
            var used: [String: Int64] = [:]
            for p in pods.values where p.namespace == namespace && q.matches(p.spec) {
                used.merge(ResourceQuota.usage(of: p.spec), uniquingKeysWith: +)
            }
            if let refusal = q.refusal(requested: requested, used: used) { return refusal }
        }
        return nil
    }

    /// DefaultTolerationSeconds admission: not-ready and unreachable NoExecute for 300 s
    /// unless the pod already tolerates them (plugin/pkg/admission/defaulttolerationseconds).
    func admitTolerations(_ tolerations: [Toleration]) -> [Toleration] {
        var result = tolerations
        let notReady = Taint(key: Taint.notReadyKey, effect: .NoExecute)
        let unreachable = Taint(key: Taint.unreachableKey, effect: .NoExecute)
        if !tolerations.tolerate(notReady) {
            result.append(
                Toleration(
                    key: Taint.notReadyKey, operator: .Exists, effect: .NoExecute,
                    tolerationSeconds: params.defaultNotReadyTolerationSeconds))
        }
        if !tolerations.tolerate(unreachable) {
            result.append(
                Toleration(
                    key: Taint.unreachableKey, operator: .Exists, effect: .NoExecute,
                    tolerationSeconds: params.defaultUnreachableTolerationSeconds))
        }
        return result
    }

    /// The scheduler's non-zero requests: a container without a CPU or memory request counts
    /// as 100m / 200 MiB for scoring (pkg/scheduler/util `GetNonzeroRequests`).
    func nonZeroRequests(_ spec: PodSpec) -> Resources {
        func nz(_ c: Container) -> Resources {
            let r = Resources(c.resources.requests)
            return Resources(
                milliCPU: c.resources.requests["cpu"] == nil ? 100 : r.milliCPU,
                memoryBytes: c.resources.requests["memory"] == nil ? 200 * 1024 * 1024 : r.memoryBytes)
        }
        var total = Resources.zero
        for c in spec.containers { total.add(nz(c)) }
        for c in spec.initContainers { total = total.max(nz(c)) }
        return total
    }

    func bindPod(_ id: PodID, node n: Int) {
        guard pods[id]?.node == nil else { return }
        store.bind(id, node: n)
        guard let pod = pods[id] else { return }
        bindClaims(of: pod, to: n)
        kubelet.podBound(id, in: self)
    }

    func setPodReady(_ id: PodID, _ ready: Bool) {
        guard let old = pods[id], old.ready != ready else { return }
        let t = now
        store.update(pod: id) { pod in
            pod.ready = ready
            pod.readySince = ready ? t : nil
        }
    }

    /// Graceful deletion: sets deletionTimestamp; the kubelet stops the containers and removes the
    /// object.
    ///
    /// A pod never bound, or on a node whose kubelet never admitted it, goes at once.
    func deletePod(_ id: PodID, reason: String) { deletePod(id, reason: reason, disruptionTarget: nil) }

    /// A deletion by a component that marks the pod as disrupted first (the eviction
    /// subresource, taint eviction, preemption, PodGC), with the condition's reason.
    func deletePod(_ id: PodID, reason: String, disruptionTarget: String?) {
        guard let old = pods[id], old.deletionTimestamp == nil else { return }
        let t = now
        store.update(pod: id) { pod in
            pod.deletionTimestamp = t
            pod.gracePeriod = .seconds(pod.spec.terminationGracePeriodSeconds)
            pod.disruptionTarget = disruptionTarget
        }
        let pod = pods[id]!
        componentEvents?(.podDeletion(pod: id, reason: reason))
        scheduler.podGone(id, in: self)
        if pod.node == nil {
            removePod(id)
        } else {
            kubelet.podDeleted(id, in: self)
        }
    }

    /// The object is gone from the API: resources on the node are free again (the store's
    /// watchers tell the owning controller and measurement).
    func removePod(_ id: PodID) {
        store.remove(pod: id)
    }

    // MARK: nodes

    /// `kubectl delete node`: the object goes; PodGC removes its pods after the quarantine.
    func deleteNodeObject(_ n: Int) {
        guard !nodes[n].deleted else { return }
        let t = now
        store.update(node: n) { node in
            node.deleted = true
            node.deletedAt = t
        }
    }

    func setNodeReady(_ n: Int, _ status: ConditionStatus) {
        guard nodes[n].ready != status else { return }
        store.update(node: n) { $0.ready = status }
        applyConditionTaints(n)
    }

    /// TaintNodesByCondition (`doNoScheduleTaintingPass`): Ready=False gives
    /// `not-ready:NoSchedule`, Ready=Unknown `unreachable:NoSchedule`, at once and without
    /// rate limit, so that no new pod lands on a node that is not ready.
    func applyConditionTaints(_ n: Int) {
        let want: String? =
            nodes[n].ready == .isFalse ? Taint.notReadyKey : nodes[n].ready == .unknown ? Taint.unreachableKey : nil
        let added = now.seconds
        store.update(node: n) { node in
            for key in [Taint.notReadyKey, Taint.unreachableKey] where key != want {
                node.taints.removeAll { $0.key == key && $0.effect == .NoSchedule }
            }
            if let want, !node.taints.contains(where: { $0.key == want && $0.effect == .NoSchedule }) {
                node.taints.append(Taint(key: want, effect: .NoSchedule, timeAddedSeconds: added))
            }
        }
    }

    func addTaint(_ n: Int, _ taint: Taint) {
        guard !nodes[n].taints.contains(where: { $0.sameIdentity(taint) }) else { return }
        var t = taint
        t.timeAddedSeconds = now.seconds
        store.update(node: n) { $0.taints.append(t) }
    }

    func removeTaint(_ n: Int, key: String, effect: TaintEffect) {
        store.update(node: n) { $0.taints.removeAll { $0.key == key && $0.effect == effect } }
    }

    // MARK: watches

    func enqueueSync(_ key: SyncKey) {
        guard pendingSyncs.insert(key).inserted else { return }
        engine.schedule(.sync(key), after: params.apiLatency)
    }
}
