import KubeModel
import SimKernel

struct SimStatefulSet {
    let id: Int
    var object: StatefulSet
    let workload: Int
    /// ordinal → pod id (the pod object with that identity, terminating or not).
    var podByOrdinal: [Int: Int] = [:]
    /// The current template revision (bumped by a rollout).
    var revision = 0
    var revisionLabel: String { "\(object.metadata.name)-r\(revision)" }
}

/// The StatefulSet controller (pkg/controller/statefulset): stable identities
/// `<name>-<ordinal>`, one PersistentVolumeClaim per template and ordinal
/// (`<template>-<name>-<ordinal>`), OrderedReady creation (ordinal i only once 0…i−1 are
/// Running and Ready) or Parallel, scale-down from the highest ordinal. A pod with a given
/// identity is never re-created while the old object exists — at most one pod per
/// identity — so a pod stuck Terminating on an unreachable node blocks its replacement
/// until the pod is force-deleted, its Node is deleted or tainted out-of-service.
extension ClusterSimulation {
    func createStatefulSet(_ s: StatefulSet) {
        let w = addWorkload(name: s.metadata.key, kind: "StatefulSet", desired: s.replicas)
        statefulSets.append(SimStatefulSet(id: statefulSets.count, object: s, workload: w))
        enqueueSync(.statefulSet(statefulSets.count - 1))
    }

    func syncStatefulSet(_ i: Int) {
        let set = statefulSets[i]
        let s = set.object
        let ordered = s.podManagementPolicy != "Parallel"
        // Scale down: highest ordinal first; ordered waits for each to be gone.
        for ordinal in set.podByOrdinal.keys.sorted(by: >) where ordinal >= s.replicas {
            guard let id = set.podByOrdinal[ordinal], let p = pods[id] else { continue }
            if !p.isTerminating { deletePod(id, reason: "StatefulSet scale-down") }
            if ordered { return }
        }
        for ordinal in 0..<s.replicas {
            if let id = set.podByOrdinal[ordinal], let p = pods[id] {
                // The identity is taken until the object is gone.
                if ordered && (p.isTerminating || !(p.running && p.ready)) { return }
                continue
            }
            createStatefulPod(i, ordinal: ordinal)
            if ordered { return }
        }
        rollStatefulSet(i)
    }

    /// RollingUpdate: once every pod is Running and Ready, delete the highest-ordinal pod of
    /// an old revision (at or above `partition`); it comes back with the new template.
    func rollStatefulSet(_ i: Int) {
        let set = statefulSets[i]
        guard set.object.updateStrategyType == "RollingUpdate" else { return }
        let current = (0..<set.object.replicas).compactMap { set.podByOrdinal[$0].flatMap { pods[$0] } }
        guard current.count == set.object.replicas else { return }
        if current.allSatisfy({ $0.labels["controller-revision-hash"] == set.revisionLabel && $0.ready && !$0.isTerminating }) {
            faultsObserveRolloutDone(workload: set.workload, "every pod at revision \(set.revision), Running and Ready")
            return
        }
        guard current.allSatisfy({ $0.running && $0.ready && !$0.isTerminating }) else { return }
        for ordinal in stride(from: set.object.replicas - 1, through: set.object.partition, by: -1) {
            guard let id = set.podByOrdinal[ordinal], let p = pods[id] else { continue }
            if p.labels["controller-revision-hash"] != set.revisionLabel {
                deletePod(id, reason: "StatefulSet rolling update")
                return
            }
        }
    }

    /// A rollout: a new template revision (new image, or a restart annotation).
    func updateStatefulSetTemplate(_ i: Int, image: String?) {
        if let image {
            for c in statefulSets[i].object.template.spec.containers.indices {
                statefulSets[i].object.template.spec.containers[c].image = image
            }
        }
        statefulSets[i].revision += 1
        enqueueSync(.statefulSet(i))
    }

    func createStatefulPod(_ i: Int, ordinal: Int) {
        let s = statefulSets[i].object
        var spec = s.template.spec
        for t in s.volumeClaimTemplates {
            let claimName = "\(t.metadata.name)-\(s.metadata.name)-\(ordinal)"
            var pvc = t
            pvc.metadata = ObjectMeta(name: claimName, namespace: s.metadata.namespace, labels: t.metadata.labels)
            addClaim(pvc)
            spec.volumes.removeAll { $0.name == t.metadata.name }
            spec.volumes.append(PodVolume(name: t.metadata.name, claimName: claimName))
        }
        var labels = s.template.metadata.labels
        labels["statefulset.kubernetes.io/pod-name"] = "\(s.metadata.name)-\(ordinal)"
        labels["apps.kubernetes.io/pod-index"] = String(ordinal)
        labels["controller-revision-hash"] = statefulSets[i].revisionLabel
        if refusedByAdmission(
            spec, namespace: s.metadata.namespace, podName: "\(s.metadata.name)-\(ordinal)",
            owner: "StatefulSet \(s.metadata.key)",
            event: { "create Pod \(s.metadata.name)-\(ordinal) in StatefulSet \(s.metadata.name) failed error: \($0)" })
        {
            return
        }
        let id = createPod(
            name: "\(s.metadata.name)-\(ordinal)", namespace: s.metadata.namespace, labels: labels,
            spec: spec, owner: .statefulSet(i, ordinal: ordinal), workload: statefulSets[i].workload)
        statefulSets[i].podByOrdinal[ordinal] = id
    }
}
