import Foundation
import KubeModel
import Simulation

/// The replicas each HorizontalPodAutoscaler with a load profile asks for at the load's peak.
///
/// A plan must have room for them. The HPA controller settles where the pods' CPU use is at its
/// target (pkg/controller/podautoscaler/replica_calculator.go `GetResourceReplicas`: ceil(pods ×
/// utilisation ÷ target)); with the peak load L shared by n pods of request r that is n = ceil(L ×
/// 100 ÷ (r × target %)) for a Utilization target and ceil(L ÷ value) for an AverageValue one, then
/// held within minReplicas…maxReplicas (`normalizeDesiredReplicas`). The tolerance of 10 % can
/// leave the controller a pod short of that, never above it. An HPA without a load profile does not
/// scale in the simulation, so its target keeps the replicas it starts with (within its bounds)
/// here too.
public struct AutoscalerPeak: Sendable, Equatable {
    public struct Entry: Sendable, Equatable, Codable {
        /// `namespace/name` of the HorizontalPodAutoscaler.
        public var name: String
        /// `deployment/NS/NAME` or `statefulset/NS/NAME`.
        public var target: String
        /// Replicas at the start and at the peak.
        public var replicas: Int
        public var peakReplicas: Int
        /// What the peak load asks for before the bounds.
        public var wanted: Int
        public var peakMillicores: Int64
        public var maxReplicas: Int
    }

    public var entries: [Entry] = []

    public init(_ w: Workloads, autoscalers: [AutoscalerSpec]) {
        for a in autoscalers where !a.name.isEmpty {
            guard let cpu = a.cpu, let peak = a.load.steps.map(\.millicores).max(), let (replicas, request) = Self.target(a, w),
                replicas > 0
            else { continue }
            let wanted: Int
            switch cpu {
            case .utilization(let percent):
                guard request > 0, percent > 0 else { continue }
                wanted = Int((Double(peak) * 100 / Double(request * Int64(percent))).rounded(.up))
            case .averageValue(let millicores):
                guard millicores > 0 else { continue }
                wanted = Int((Double(peak) / Double(millicores)).rounded(.up))
            }
            let bounded = min(a.maxReplicas, max(a.minReplicas, wanted))
            entries.append(
                Entry(
                    name: a.name, target: a.targetName, replicas: replicas, peakReplicas: max(replicas, bounded),
                    wanted: wanted, peakMillicores: peak, maxReplicas: a.maxReplicas))
        }
    }

    /// The target's replicas and its pods' CPU request (as the scheduler counts it).
    static func target(_ a: AutoscalerSpec, _ w: Workloads) -> (Int, Int64)? {
        switch a.target {
        case .deployment(let ns, let n):
            guard let d = w.deployments.first(where: { $0.metadata.namespace == ns && $0.metadata.name == n }) else { return nil }
            return (d.replicas, d.template.spec.effectiveRequests.milliCPU)
        case .statefulSet(let ns, let n):
            guard let s = w.statefulSets.first(where: { $0.metadata.namespace == ns && $0.metadata.name == n }) else {
                return nil
            }
            return (s.replicas, s.template.spec.effectiveRequests.milliCPU)
        }
    }

    /// The workload with every target at its peak replicas.
    func apply(_ w: Workloads) -> Workloads {
        var out = w
        for e in entries {
            let parts = e.target.split(separator: "/", maxSplits: 2).map(String.init)
            guard parts.count == 3 else { continue }
            if parts[0] == "deployment",
                let i = out.deployments.firstIndex(where: { $0.metadata.namespace == parts[1] && $0.metadata.name == parts[2] })
            {
                out.deployments[i].replicas = e.peakReplicas
            } else if parts[0] == "statefulset",
                let i = out.statefulSets.firstIndex(where: { $0.metadata.namespace == parts[1] && $0.metadata.name == parts[2] })
            {
                out.statefulSets[i].replicas = e.peakReplicas
            }
        }
        return out
    }

    /// "HorizontalPodAutoscalers at peak: deployment/shop/web 3 → 24 replicas (14 cores at
    /// the load's peak ask for 24; maxReplicas 24)"; nil without any.
    public var summary: String? {
        guard !entries.isEmpty else { return nil }
        let parts = entries.map { e in
            "\(e.target) \(e.replicas) → \(e.peakReplicas) replicas (\(JobPeakDemand.cpu(e.peakMillicores)) cores at the "
                + "load's peak ask for \(e.wanted); maxReplicas \(e.maxReplicas))"
        }
        return "HorizontalPodAutoscalers at peak: " + parts.joined(separator: "; ")
    }
}
