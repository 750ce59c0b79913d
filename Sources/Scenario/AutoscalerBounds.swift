import KubeModel
import Simulation

/// A HorizontalPodAutoscaler without a load profile still holds its target within its bounds.
///
/// `reconcileAutoscaler` (k8s pkg/controller/podautoscaler/horizontal.go) sets replicas above
/// `maxReplicas` to the max and below `minReplicas` (default 1) to the min before it looks at any
/// metric, and leaves a target scaled to 0 alone (autoscaling disabled). The HPA controller does
/// this at its first sync, within `--horizontal-pod-autoscaler-sync-period` 15 s; here the target
/// starts with those replicas.
enum AutoscalerBounds {
    static func apply(_ set: inout ManifestSet) {
        for o in set.ignored where o.kind == "HorizontalPodAutoscaler" {
            guard let target = o.scaleTarget, let maxReplicas = o.maxReplicas else { continue }
            let parts = target.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let key = "\(o.namespace.isEmpty ? "default" : o.namespace)/\(parts[1])"
            let bounds = (o.minReplicas ?? 1)...max(o.minReplicas ?? 1, maxReplicas)
            func clamp(_ replicas: inout Int) {
                guard replicas != 0, !bounds.contains(replicas) else { return }
                set.rescaled[o.displayName] = replicas
                replicas = min(max(replicas, bounds.lowerBound), bounds.upperBound)
            }
            switch parts[0] {
            case "Deployment":
                if let i = set.workloads.deployments.firstIndex(where: { $0.metadata.key == key }) {
                    clamp(&set.workloads.deployments[i].replicas)
                }
            case "StatefulSet":
                if let i = set.workloads.statefulSets.firstIndex(where: { $0.metadata.key == key }) {
                    clamp(&set.workloads.statefulSets[i].replicas)
                }
            case "ReplicaSet", "ReplicationController":
                if let i = set.workloads.replicaSets.firstIndex(where: { $0.metadata.key == key && $0.kind == parts[0] }) {
                    clamp(&set.workloads.replicaSets[i].replicas)
                }
            default: break
            }
        }
    }
}
