/// The replica count a CPU resource metric asks for (kubernetes
/// pkg/controller/podautoscaler/replica_calculator.go `GetResourceReplicas`,
/// `GetRawResourceReplicas`; metrics/utilization.go `GetResourceUtilizationRatio`).
enum ReplicaCalculator {
    /// The controller's `--horizontal-pod-autoscaler-tolerance`.
    static let tolerance = 0.1

    /// One pod the target's selector matches, as `groupPods` sees it.
    struct PodSample: Equatable {
        enum State: Equatable {
            /// Ready, with a metric.
            case ready
            /// Pending, or not Ready yet (its CPU is not counted as a signal).
            case unready
            /// Terminating or Failed: left out altogether.
            case ignored
        }
        var state: State
        /// The pod's CPU request in millicores.
        var requestMillicores: Int64
        /// Its usage in millicores; nil when metrics-server has none for it.
        var usageMillicores: Int64?
    }

    struct Result: Equatable {
        var replicas: Int
        /// `currentUtilization`: the ready pods' usage as a whole percentage of their requests.
        var utilization: Int
    }

    /// `GetResourceReplicas` with a Utilization target: `usageRatio` from the ready pods with
    /// metrics; within the tolerance nothing changes.
    ///
    /// Pods without a metric count as using their full request (the larger of 100 % and the target)
    /// when scaling down and nothing when scaling up; unready pods count as using nothing, and only
    /// when scaling up. If that turns the direction round or brings the ratio within the tolerance,
    /// nothing changes; nor if it would move the count the other way.
    static func replicas(current: Int, pods: [PodSample], targetUtilization: Int) -> Result? {
        var metrics: [(usage: Int64, request: Int64)] = []
        var unready: [Int64] = [], missing: [Int64] = []
        for p in pods {
            switch p.state {
            case .ignored: continue
            case .unready: unready.append(p.requestMillicores)
            case .ready:
                if let u = p.usageMillicores {
                    metrics.append((u, p.requestMillicores))
                } else {
                    missing.append(p.requestMillicores)
                }
            }
        }
        guard let first = utilization(metrics) else { return nil }
        let usageRatio = Double(first) / Double(targetUtilization)
        let scaleUpWithUnready = !unready.isEmpty && usageRatio > 1
        if !scaleUpWithUnready && missing.isEmpty {
            if abs(1 - usageRatio) <= tolerance { return Result(replicas: current, utilization: first) }
            return Result(replicas: Int((usageRatio * Double(metrics.count)).rounded(.up)), utilization: first)
        }
        if usageRatio < 1 {
            let fallback = Int64(max(100, targetUtilization))
            for r in missing { metrics.append((fallback * r / 100, r)) }
        } else if usageRatio > 1 {
            for r in missing { metrics.append((0, r)) }
        }
        if scaleUpWithUnready { for r in unready { metrics.append((0, r)) } }
        guard let second = utilization(metrics) else { return nil }
        let newUsageRatio = Double(second) / Double(targetUtilization)
        if abs(1 - newUsageRatio) <= tolerance || (usageRatio < 1 && newUsageRatio > 1) || (usageRatio > 1 && newUsageRatio < 1) {
            return Result(replicas: current, utilization: first)
        }
        let proposed = Int((newUsageRatio * Double(metrics.count)).rounded(.up))
        if (newUsageRatio < 1 && proposed > current) || (newUsageRatio > 1 && proposed < current) {
            return Result(replicas: current, utilization: first)
        }
        return Result(replicas: proposed, utilization: first)
    }

    /// `GetResourceUtilizationRatio`'s percentage: integer millicores, truncated.
    private static func utilization(_ metrics: [(usage: Int64, request: Int64)]) -> Int? {
        let requests = metrics.reduce(Int64(0)) { $0 + $1.request }
        guard requests > 0 else { return nil }
        return Int(metrics.reduce(Int64(0)) { $0 + $1.usage } * 100 / requests)
    }

    /// `GetRawResourceReplicas` (an AverageValue target): `usageRatio` is the ready pods'
    /// average usage over the target value, and the count `ceil(total usage ÷ target)`.
    static func replicas(current: Int, pods: [PodSample], targetAverageMillicores: Int64) -> Result? {
        let ready = pods.filter { $0.state == .ready }.compactMap(\.usageMillicores)
        guard !ready.isEmpty, targetAverageMillicores > 0 else { return nil }
        let total = ready.reduce(0, +)
        let usageRatio = Double(total) / Double(targetAverageMillicores) / Double(ready.count)
        let average = Int(total / Int64(ready.count))
        if abs(1 - usageRatio) <= tolerance { return Result(replicas: current, utilization: average) }
        return Result(replicas: Int((Double(total) / Double(targetAverageMillicores)).rounded(.up)), utilization: average)
    }
}
