import KubeModel

/// VolumeBinding, VolumeZone and NodeVolumeLimits (plugins/volumebinding, volumezone,
/// nodevolumelimits): a pod's claims must exist; a bound volume pins the pod to its node
/// (local-path) or location (Hetzner volumes); an unbound claim is provisioned where the
/// pod lands (WaitForFirstConsumer); a node takes at most its attachable-volume limit.
struct VolumeBinding: FilterPlugin {
    let name = "VolumeBinding"
    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool { pod.spec.claimNames.isEmpty }

    /// PreFilter's eligible nodes (`GetEligibleNodes`): a claim bound to a local volume
    /// (local-path: node affinity `kubernetes.io/hostname In [node]`) narrows the pod to that
    /// node; several such claims to the nodes they share.
    func preFilterNodeNames(_ pod: SimPod, _ ctx: SchedulingContext) -> Set<String>? {
        let sim = ctx.sim
        var eligible: Set<String>?
        for name in pod.spec.claimNames {
            guard let v = sim.claims[sim.claimKey(pod.namespace, name)]?.volume, let node = sim.volumes[v].boundNode else { continue }
            let names: Set<String> = [sim.nodes[node].name]
            eligible = eligible.map { $0.intersection(names) } ?? names
        }
        return eligible
    }

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        let sim = ctx.sim
        for name in pod.spec.claimNames {
            let key = sim.claimKey(pod.namespace, name)
            guard let claim = sim.claims[key] else {
                return FilterFailure("persistentvolumeclaim \"\(name)\" not found", unresolvable: true)
            }
            guard let v = claim.volume else { continue }
            if let bound = sim.volumes[v].boundNode, bound != node {
                return FilterFailure("node(s) had volume node affinity conflict", unresolvable: true)
            }
        }
        return nil
    }
}

struct VolumeZone: FilterPlugin {
    let name = "VolumeZone"
    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool { pod.spec.claimNames.isEmpty }

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        let sim = ctx.sim
        for name in pod.spec.claimNames {
            guard let v = sim.claims[sim.claimKey(pod.namespace, name)]?.volume, let location = sim.volumes[v].location else { continue }
            if ctx.nodes[node].labels["topology.kubernetes.io/region"] != location {
                return FilterFailure("node(s) had no available volume zone", unresolvable: true)
            }
        }
        return nil
    }
}

struct NodeVolumeLimits: FilterPlugin {
    let name = "NodeVolumeLimits"
    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool { pod.spec.claimNames.isEmpty }

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        let sim = ctx.sim
        var new = 0, limit = Int.max
        for name in pod.spec.claimNames {
            guard let claim = sim.claims[sim.claimKey(pod.namespace, name)],
                  let sc = sim.spec.storage.storageClass(claim.spec.storageClassName), sc.attachable else { continue }
            limit = min(limit, sc.maxVolumesPerNode)
            if let v = claim.volume, sim.volumes[v].attachedTo == node { continue }
            new += 1
        }
        guard new > 0 else { return nil }
        return sim.attachedVolumeCount(node) + new > limit ? FilterFailure("node(s) exceed max volume count") : nil
    }
}
