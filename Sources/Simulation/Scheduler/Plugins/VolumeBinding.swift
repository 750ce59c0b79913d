import KubeModel

/// VolumeBinding, VolumeZone and NodeVolumeLimits (plugins/volumebinding, volumezone,
/// nodevolumelimits): a pod's claims must exist; a bound volume pins the pod to its node
/// (local-path) or location (Hetzner volumes); an unbound claim is provisioned where the
/// pod lands (WaitForFirstConsumer); a node takes at most its attachable-volume limit.
struct VolumeBinding: FilterPlugin {
    let name = "VolumeBinding"
    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool { pod.spec.claimNames.isEmpty }

    /// `PreFilter` (volume_binding.go): an unbound claim in Immediate mode — its class missing
    /// (`IsDelayBindingMode` treats a class that is not found, or no class, as Immediate) or
    /// Immediate — rejects the pod on every node until the PV controller binds it, which no
    /// provisioner here will do.
    ///
    /// A class whose provisioner runs is bound as soon as its pod lands, Immediate or not.
    func preFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        let cluster = ctx.cluster
        for name in pod.spec.claimNames {
            guard let claim = cluster.claim(namespace: pod.namespace, name: name), claim.volume == nil else { continue }
            let sc = cluster.storageClass(claim.spec.storageClassName)
            if sc == nil || sc?.waitForFirstConsumer == false && sc?.provisionerRuns == false {
                return FilterFailure("pod has unbound immediate PersistentVolumeClaims", unresolvable: true)
            }
        }
        return nil
    }

    /// PreFilter's eligible nodes (`GetEligibleNodes`): a claim bound to a local volume
    /// (local-path: node affinity `kubernetes.io/hostname In [node]`) narrows the pod to that
    /// node; several such claims to the nodes they share.
    func preFilterNodeNames(_ pod: SimPod, _ ctx: SchedulingContext) -> Set<String>? {
        let cluster = ctx.cluster
        var eligible: Set<String>?
        for name in pod.spec.claimNames {
            guard let v = cluster.claim(namespace: pod.namespace, name: name)?.volume, let node = cluster.volume(v).boundNode
            else {
                continue
            }
            let names: Set<String> = [cluster.nodes[node].name]
            eligible = eligible.map { $0.intersection(names) } ?? names
        }
        return eligible
    }

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        let cluster = ctx.cluster
        for name in pod.spec.claimNames {
            guard let claim = cluster.claim(namespace: pod.namespace, name: name) else {
                return FilterFailure("persistentvolumeclaim \"\(name)\" not found", unresolvable: true)
            }
            guard let v = claim.volume else { continue }
            if let bound = cluster.volume(v).boundNode, bound != node {
                return FilterFailure("node(s) had volume node affinity conflict", unresolvable: true)
            }
        }
        return nil
    }
}

extension ClusterSimulation {
    /// `PreBind` of VolumeBinding for a pod whose WaitForFirstConsumer claim nobody
    /// provisions: the scheduler sets the selected node and waits `bindTimeoutSeconds` for
    /// the PV controller, which only reports the claim's ExternalProvisioning event
    /// (pkg/controller/volume/persistentvolume/pv_controller.go, `provisionClaimOperationExternal`);
    /// the wait ends in an error and the pod goes back to the queue, never to its node.
    func volumeBindingPreBindFailure(_ pod: SimPod) -> String? {
        for name in pod.spec.claimNames {
            guard let claim = claims[claimKey(pod.namespace, name)], claim.volume == nil,
                let sc = spec.storage.storageClass(claim.spec.storageClassName), !sc.provisionerRuns
            else { continue }
            return
                "running PreBind plugin \"VolumeBinding\": binding volumes: context deadline exceeded (persistentvolumeclaim \"\(name)\": "
                + StorageClassSpec.externalProvisioningMessage(sc.provisioner) + ")"
        }
        return nil
    }
}

struct VolumeZone: FilterPlugin {
    let name = "VolumeZone"
    func skipsFilter(_ pod: SimPod, _ ctx: SchedulingContext, _ state: CycleState) -> Bool { pod.spec.claimNames.isEmpty }

    func filter(_ pod: SimPod, _ node: Int, _ ctx: SchedulingContext, _ state: CycleState) -> FilterFailure? {
        let cluster = ctx.cluster
        for name in pod.spec.claimNames {
            guard let v = cluster.claim(namespace: pod.namespace, name: name)?.volume, let location = cluster.volume(v).location,
                let label = cluster.volume(v).storageClass.topology.nodeLabel
            else { continue }
            if ctx.nodes[node].labels[label] != location {
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
        let cluster = ctx.cluster
        var new = 0, limit = Int.max
        for name in pod.spec.claimNames {
            guard let claim = cluster.claim(namespace: pod.namespace, name: name),
                let sc = cluster.storageClass(claim.spec.storageClassName), sc.attachable
            else { continue }
            limit = min(limit, sc.maxVolumesPerNode)
            if let v = claim.volume, cluster.attachedNode(ofVolume: v) == node { continue }
            new += 1
        }
        guard new > 0 else { return nil }
        return cluster.attachedVolumeCount(on: node) + new > limit
            ? FilterFailure("node(s) exceed max volume count") : nil
    }
}
