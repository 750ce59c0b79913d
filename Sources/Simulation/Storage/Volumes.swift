import KubeModel
import SimKernel

/// A PersistentVolumeClaim and, once bound, its volume.
struct SimClaim {
    let key: String
    let spec: PersistentVolumeClaim
    var volume: Int?
}

/// A provisioned volume (the PersistentVolume); where it is attached is the attach/detach
/// controller's (`Controllers/AttachDetach`).
struct SimVolume {
    let id: Int
    let claim: String
    let storageClass: StorageClassSpec
    let singleNode: Bool
    /// Location (region label) or node it is bound to.
    var location: String?
    var boundNode: Int?
}

/// Claims and the volumes provisioned for them (WaitForFirstConsumer: when the pod is bound).
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
                let sc = spec.storage.storageClass(claim.spec.storageClassName), sc.provisionerRuns
            else { continue }
            let id = volumes.count
            volumes.append(
                SimVolume(
                    id: id, claim: key, storageClass: sc, singleNode: claim.spec.singleNode,
                    location: sc.topology.nodeLabel.flatMap { nodes[n].labels[$0] },
                    boundNode: sc.topology == .node ? n : nil))
            claim.volume = id
            claims[key] = claim
        }
    }
}
