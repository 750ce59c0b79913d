import KubeModel
import SimKernel

struct SimStatefulSet {
    let id: Int
    var object: StatefulSet
    let workload: WorkloadID
    /// ordinal → pod id (the pod object with that identity, terminating or not).
    var podByOrdinal: [Int: PodID] = [:]
    /// The current template revision (bumped by a rollout).
    var revision = 0
    var revisionLabel: String { "\(object.metadata.name)-r\(revision)" }
}

/// What the StatefulSet controller uses of the cluster: the pods, the controllers' shared
/// work queue, pod creation (with admission) and deletion, claims for its volume templates,
/// the workload it measures under, and the rollout milestone.
protocol StatefulSetControllerContext: WorkloadControllerContext {
    func addClaim(_ pvc: PersistentVolumeClaim)
    func faultsObserveRolloutDone(workload w: WorkloadID, _ mechanism: String)
}

/// The StatefulSet controller (pkg/controller/statefulset): stable identities `<name>-<ordinal>`,
/// one PersistentVolumeClaim per template and ordinal (`<template>-<name>-<ordinal>`), OrderedReady
/// creation (ordinal i only once 0…i−1 are Running and Ready) or Parallel, scale-down from the
/// highest ordinal.
///
/// A pod with a given identity is never re-created while the old object exists — at most one pod
/// per identity — so a pod stuck Terminating on an unreachable node blocks its replacement until
/// the pod is force-deleted, its Node is deleted or tainted out-of-service.
final class StatefulSetController {
    private(set) var sets: [SimStatefulSet] = []

    func create(_ s: StatefulSet, in ctx: StatefulSetControllerContext) {
        let w = ctx.addWorkload(name: s.metadata.key, kind: "StatefulSet", desired: s.replicas)
        sets.append(SimStatefulSet(id: sets.count, object: s, workload: w))
        ctx.enqueueSync(.statefulSet(sets.count - 1))
    }

    func index(namespace: String, name: String) -> Int? {
        sets.firstIndex { $0.object.metadata.namespace == namespace && $0.object.metadata.name == name }
    }

    func sync(_ i: Int, in ctx: StatefulSetControllerContext) {
        let set = sets[i]
        let s = set.object
        let ordered = s.podManagementPolicy != "Parallel"
        // Scale down: highest ordinal first; ordered waits for each to be gone.
        for ordinal in set.podByOrdinal.keys.sorted(by: >) where ordinal >= s.replicas {
            guard let id = set.podByOrdinal[ordinal], let p = ctx.pods[id] else { continue }
            if !p.isTerminating { ctx.deletePod(id, reason: "StatefulSet scale-down") }
            if ordered { return }
        }
        for ordinal in 0..<s.replicas {
            if let id = set.podByOrdinal[ordinal], let p = ctx.pods[id] {
                // The identity is taken until the object is gone.
                if ordered && (p.isTerminating || !(p.running && p.ready)) { return }
                continue
            }
            createPod(i, ordinal: ordinal, in: ctx)
            if ordered { return }
        }
        roll(i, in: ctx)
    }

    /// RollingUpdate: once every pod is Running and Ready, delete the highest-ordinal pod of
    /// an old revision (at or above `partition`); it comes back with the new template.
    private func roll(_ i: Int, in ctx: StatefulSetControllerContext) {
        let set = sets[i]
        guard set.object.updateStrategyType == "RollingUpdate" else { return }
        let current = (0..<set.object.replicas).compactMap { set.podByOrdinal[$0].flatMap { ctx.pods[$0] } }
        guard current.count == set.object.replicas else { return }
        if current.allSatisfy({ $0.labels["controller-revision-hash"] == set.revisionLabel && $0.ready && !$0.isTerminating }) {
            ctx.faultsObserveRolloutDone(workload: set.workload, "every pod at revision \(set.revision), Running and Ready")
            return
        }
        guard current.allSatisfy({ $0.running && $0.ready && !$0.isTerminating }) else { return }
        for ordinal in stride(from: set.object.replicas - 1, through: set.object.partition, by: -1) {
            guard let id = set.podByOrdinal[ordinal], let p = ctx.pods[id] else { continue }
            if p.labels["controller-revision-hash"] != set.revisionLabel {
                ctx.deletePod(id, reason: "StatefulSet rolling update")
                return
            }
        }
    }

    /// A rollout: a new template revision (new image, or a restart annotation).
    func updateTemplate(_ i: Int, image: String?, in ctx: StatefulSetControllerContext) {
        if let image {
            for c in sets[i].object.template.spec.containers.indices {
                sets[i].object.template.spec.containers[c].image = image
            }
        }
        sets[i].revision += 1
        ctx.enqueueSync(.statefulSet(i))
    }

    /// `spec.replicas` changed (an autoscaler or a scale fault).
    func scale(_ i: Int, to replicas: Int, in ctx: StatefulSetControllerContext) {
        sets[i].object.replicas = replicas
        ctx.enqueueSync(.statefulSet(i))
    }

    /// A pod of the set left the store: its identity is free again.
    func podRemoved(_ pod: SimPod, set s: Int, ordinal: Int) {
        if sets[s].podByOrdinal[ordinal] == pod.id { sets[s].podByOrdinal[ordinal] = nil }
    }

    private func createPod(_ i: Int, ordinal: Int, in ctx: StatefulSetControllerContext) {
        let s = sets[i].object
        var spec = s.template.spec
        for t in s.volumeClaimTemplates {
            let claimName = "\(t.metadata.name)-\(s.metadata.name)-\(ordinal)"
            var pvc = t
            pvc.metadata = ObjectMeta(name: claimName, namespace: s.metadata.namespace, labels: t.metadata.labels)
            ctx.addClaim(pvc)
            spec.volumes.removeAll { $0.name == t.metadata.name }
            spec.volumes.append(PodVolume(name: t.metadata.name, claimName: claimName))
        }
        var labels = s.template.metadata.labels
        labels["statefulset.kubernetes.io/pod-name"] = "\(s.metadata.name)-\(ordinal)"
        labels["apps.kubernetes.io/pod-index"] = String(ordinal)
        labels["controller-revision-hash"] = sets[i].revisionLabel
        if ctx.refusedByAdmission(
            spec, namespace: s.metadata.namespace, podName: "\(s.metadata.name)-\(ordinal)",
            owner: "StatefulSet \(s.metadata.key)",
            event: { "create Pod \(s.metadata.name)-\(ordinal) in StatefulSet \(s.metadata.name) failed error: \($0)" })
        {
            return
        }
        let id = ctx.createPod(
            name: "\(s.metadata.name)-\(ordinal)", namespace: s.metadata.namespace, labels: labels,
            spec: spec, owner: .statefulSet(i, ordinal: ordinal), workload: sets[i].workload, extraTolerations: [])
        sets[i].podByOrdinal[ordinal] = id
    }
}

extension ClusterSimulation: StatefulSetControllerContext {}
