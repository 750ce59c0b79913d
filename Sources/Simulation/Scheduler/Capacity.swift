import KubeModel
import SimKernel

/// How many copies of a pod the cluster still takes, found by scheduling them.
public struct CapacityProbe: Sendable, Equatable {
    /// Copies bound, per node name (nodes that took none are absent).
    public var placed: [String: Int]
    public var total: Int { placed.values.reduce(0, +) }
    /// The probe stopped at its limit while a further copy would still have fitted.
    public var capped: Bool
    /// Pods of the cluster's own workloads still pending when the probe began.
    public var pendingBefore: Int
    /// One more copy evaluated against every node once the placed ones are bound: why each
    /// node takes no more.
    public var next: ExplainResult
}

extension ClusterSimulation {
    /// Places copies of `manifest` one scheduling cycle at a time, binding each where the cycle
    /// chose, until a copy fits nowhere or `limit` are placed.
    ///
    /// This is the method of kubernetes-sigs/cluster-capacity (pkg/framework/simulator.go:
    /// `nextPod` creates copy "<name>-<index>", the scheduler's `Bind` counts it and creates the
    /// next, an Unschedulable condition stops the analysis with the scheduler's message as the stop
    /// reason, and a maximum number of copies ends it early), run here against the simulated
    /// cluster, so every filter of the profile counts: requests, max pods, taints, node affinity,
    /// topology spread, pod (anti-)affinity. Preemption is not tried: the question is the room
    /// left, not what the pod could take from lower-priority pods. The copies are bound but never
    /// started and their claims are not bound, so call this last on a simulation.
    public func probeCapacity(_ manifest: PodManifest, limit: Int) throws -> CapacityProbe {
        let pendingBefore = pendingCount
        let workload = addWorkload(name: "capacity-probe/" + manifest.metadata.key, kind: "Pod", desired: 0)
        var placed: [String: Int] = [:]
        var capped = true
        for k in 0..<max(0, limit) {
            let id = PodID(nextPodID)
            nextPodID += 1
            let pod = SimPod(
                id: id, name: "\(manifest.metadata.name)-copy-\(k + 1)", namespace: manifest.metadata.namespace,
                labels: manifest.metadata.labels, spec: manifest.spec, owner: .none, workload: workload,
                created: now, requests: manifest.spec.effectiveRequests,
                nonZeroRequests: nonZeroRequests(manifest.spec), priority: resolvePriority(manifest.spec),
                tolerations: admitTolerations(manifest.spec.tolerations))
            guard let profile = scheduler.profile(for: pod) else { throw ExplainError.noProfile(pod.spec.schedulerName) }
            store.create(pod)
            guard let chosen = scheduler.place(pod, profile, in: self).0 else {
                store.remove(pod: id)
                capped = false
                break
            }
            store.bind(id, node: chosen)
            placed[nodes[chosen].name, default: 0] += 1
        }
        return CapacityProbe(placed: placed, capped: capped, pendingBefore: pendingBefore, next: try explain(manifest))
    }
}
