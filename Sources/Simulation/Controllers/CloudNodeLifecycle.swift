import KubeModel
import SimKernel

extension ClusterSimulation {
    /// The cloud controller manager's node lifecycle loop (k8s.io/cloud-provider, run by the
    /// hcloud CCM every node-monitor-period): a NotReady node whose server no longer exists
    /// is deleted; PodGC then removes its pods.
    func cloudNodeLifecycle(_ candidates: [Int]) {
        for n in candidates where nodes[n].serverDeleted && !nodes[n].deleted && nodes[n].ready != .isTrue {
            deleteNodeObject(n)
            faultTimelines.nodeDeletedByCloud(n, orphanPodQuarantine: spec.storage.orphanPodQuarantine, in: self)
        }
    }
}
