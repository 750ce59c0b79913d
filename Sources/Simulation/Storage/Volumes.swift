import KubeModel
import SimKernel

/// A PersistentVolumeClaim and, once bound, its volume.
struct SimClaim {
    let key: String
    let spec: PersistentVolumeClaim
    var volume: Int?
}

/// A provisioned volume and where it is attached.
struct SimVolume {
    let id: Int
    let claim: String
    let storageClass: StorageClassSpec
    let singleNode: Bool
    /// Location (region label) or node it is bound to.
    var location: String?
    var boundNode: Int?
    var attachedTo: Int?
    var attaching: Int?
    var detaching = false
    /// When the attach/detach controller first wanted it off its node.
    var detachRequestedAt: SimTime?
}

/// Claims, volumes and the attach/detach controller (pkg/controller/volume/attachdetach):
/// a volume leaves the desired state of its node when no pod there uses it any more — a
/// pod that is gone, or terminated (`IsPodTerminated`: deleted and its containers reported
/// not running). A pod Terminating on an unreachable node still reports running containers,
/// so its volume stays. Once undesired, the volume is detached when the node is healthy
/// (the kubelet unmounted it), at once when the node carries the out-of-service taint, and
/// otherwise forcibly `maxWaitForUnmountDuration` (6 min) after the detach was first wanted.
extension ClusterSimulation {
    func claimKey(_ namespace: String, _ name: String) -> String { "\(namespace)/\(name)" }

    func addClaim(_ pvc: PersistentVolumeClaim) {
        let key = claimKey(pvc.metadata.namespace, pvc.metadata.name)
        if claims[key] == nil { claims[key] = SimClaim(key: key, spec: pvc) }
    }

    /// The volumes a pod needs: (claim key, volume index if bound).
    func podClaims(_ pod: SimPod) -> [String] { pod.spec.claimNames.map { claimKey(pod.namespace, $0) } }

    /// Binds the pod's unbound claims on its node (WaitForFirstConsumer provisioning).
    func bindClaims(of pod: SimPod, to n: Int) {
        for key in podClaims(pod) {
            guard var claim = claims[key], claim.volume == nil,
                  let sc = spec.storage.storageClass(claim.spec.storageClassName), sc.provisionerRuns else { continue }
            let id = volumes.count
            volumes.append(SimVolume(id: id, claim: key, storageClass: sc, singleNode: claim.spec.singleNode,
                                     location: sc.topology.nodeLabel.flatMap { nodes[n].labels[$0] },
                                     boundNode: sc.topology == .node ? n : nil))
            claim.volume = id
            claims[key] = claim
        }
    }

    /// Volumes of the pod that must be attached to node `n` before its containers start;
    /// nil when all are attached there.
    func volumesToAttach(_ pod: SimPod, on n: Int) -> [Int] {
        podClaims(pod).compactMap { claims[$0]?.volume }.filter { v in
            volumes[v].storageClass.attachable && volumes[v].attachedTo != n
        }
    }

    /// The kubelet waits for its volumes: ask the controller to attach the free ones.
    func requestAttach(_ pod: SimPod, on n: Int) -> Bool {
        let needed = volumesToAttach(pod, on: n)
        guard !needed.isEmpty else { return true }
        for v in needed {
            volumeWaiters[v, default: []].insert(pod.id)
            if volumes[v].attachedTo == nil, volumes[v].attaching == nil {
                volumes[v].attaching = n
                engine.schedule(.volumeAttached(volume: v, node: n), after: volumes[v].storageClass.attachTime)
            } else if let other = volumes[v].attachedTo, other != n, volumes[v].singleNode {
                faultsObserveMultiAttach(v, wantedOn: n, attachedTo: other)
            }
        }
        return false
    }

    func volumeAttached(_ v: Int, node n: Int) {
        guard volumes[v].attaching == n else { return }
        volumes[v].attaching = nil
        volumes[v].attachedTo = n
        volumes[v].detachRequestedAt = nil
        wakeVolumeWaiters(v)
    }

    func wakeVolumeWaiters(_ v: Int) {
        let waiters = volumeWaiters.removeValue(forKey: v) ?? []
        for id in waiters.sorted() {
            guard let p = pods[id], let n = p.node, nodes[n].up else { continue }
            if requestAttach(p, on: n) { continueAdmission(id) }
        }
    }

    /// `IsPodTerminated` as the attach/detach controller sees the pod.
    func podTerminatedForADC(_ p: SimPod) -> Bool { p.isTerminating && !p.statusRunning }

    func volumeDesired(_ v: Int, on n: Int) -> Bool {
        let claim = volumes[v].claim
        return nodes[n].pods.contains { id in
            guard let p = pods[id] else { return false }
            return !podTerminatedForADC(p) && podClaims(p).contains(claim)
        }
    }

    /// The reconciler: detach what is no longer desired, as soon as it is safe or forced.
    func reconcileAttachments() {
        for v in volumes.indices {
            guard let n = volumes[v].attachedTo, !volumes[v].detaching else { continue }
            if volumeDesired(v, on: n) { volumes[v].detachRequestedAt = nil; continue }
            if volumes[v].detachRequestedAt == nil { volumes[v].detachRequestedAt = now }
            let healthy = nodes[n].up && nodes[n].ready == .isTrue && !nodes[n].deleted
            let outOfService = nodes[n].outOfService
            let deadline = volumes[v].detachRequestedAt! + spec.storage.maxWaitForUnmountDuration
            if healthy || outOfService || now >= deadline {
                volumes[v].detaching = true
                let how = healthy ? "detached after the kubelet unmounted it"
                    : outOfService ? "force-detached at once: node.kubernetes.io/out-of-service taint"
                    : "force-detached: maxWaitForUnmountDuration 6 min since the detach was first wanted at \(volumes[v].detachRequestedAt!) with the node unhealthy"
                engine.schedule(.volumeDetached(volume: v, node: n), after: volumes[v].storageClass.detachTime)
                faultsObserveVolume(v, node: n, name: .volumeDetached, how)
            } else {
                engine.schedule(.attachDetachReconcile, at: deadline)
            }
        }
    }

    func volumeDetached(_ v: Int, node n: Int) {
        guard volumes[v].attachedTo == n else { return }
        volumes[v].attachedTo = nil
        volumes[v].detaching = false
        volumes[v].detachRequestedAt = nil
        wakeVolumeWaiters(v)
    }

    /// Attachable volumes on a node (NodeVolumeLimits).
    func attachedVolumeCount(_ n: Int) -> Int {
        volumes.filter { $0.storageClass.attachable && ($0.attachedTo == n || $0.attaching == n) }.count
    }
}
