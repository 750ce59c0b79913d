import SimKernel

/// A HorizontalPodAutoscaler the run simulates (autoscaling/v2): what it scales, its bounds,
/// its CPU target, its behaviour, and the load its target sees.
public struct AutoscalerSpec: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        case deployment(namespace: String, name: String)
        case statefulSet(namespace: String, name: String)
    }
    /// What the metric is compared with: a utilisation percentage of the pods' CPU requests,
    /// or an average value per pod in millicores.
    public enum CPUTarget: Sendable, Equatable {
        case utilization(percent: Int)
        case averageValue(millicores: Int64)
    }
    /// `namespace/name` of the HorizontalPodAutoscaler; empty for a load without one.
    public var name: String
    public var target: Target
    public var minReplicas: Int
    public var maxReplicas: Int
    /// Nil when the HorizontalPodAutoscaler has no CPU resource metric (nothing scales).
    public var cpu: CPUTarget?
    public var behavior: ScalingBehavior
    /// The target's total CPU demand over time.
    public var load: LoadProfile

    public init(
        name: String, target: Target, minReplicas: Int = 1, maxReplicas: Int, cpu: CPUTarget?,
        behavior: ScalingBehavior = .defaults, load: LoadProfile
    ) {
        self.name = name; self.target = target; self.minReplicas = minReplicas; self.maxReplicas = maxReplicas
        self.cpu = cpu; self.behavior = behavior; self.load = load
    }

    /// `deployment/NS/NAME` or `statefulset/NS/NAME`.
    public var targetName: String {
        switch target {
        case .deployment(let ns, let n): return "deployment/\(ns)/\(n)"
        case .statefulSet(let ns, let n): return "statefulset/\(ns)/\(n)"
        }
    }
}

/// A workload's total CPU demand as steps: from each point's time on, the demand is its
/// cores until the next point (no interpolation — a step is what a load test or a traffic
/// switch produces, and it keeps every value the controller sees one the user wrote).
public struct LoadProfile: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var at: SimTime
        public var millicores: Int64
        public init(at: SimTime, millicores: Int64) { self.at = at; self.millicores = millicores }
    }
    /// In time order.
    public var steps: [Step]
    public init(steps: [Step]) { self.steps = steps.sorted { $0.at < $1.at } }

    /// The demand at `time`: the last step at or before it, 0 before the first.
    public func millicores(at time: SimTime) -> Int64 {
        steps.last { $0.at <= time }?.millicores ?? 0
    }
}
