/// The parts of an autoscaling/v2 HorizontalPodAutoscaler's spec the simulation uses beyond
/// its target and bounds: its metrics and its behaviour, as written (defaults are filled in
/// by the simulation).
public struct AutoscalerFields: Sendable, Hashable, Decodable {
    public struct MetricTarget: Sendable, Hashable, Decodable {
        public var type: String?
        public var averageUtilization: Int?
        public var averageValue: Quantity?
    }
    public struct ResourceMetric: Sendable, Hashable, Decodable {
        public var name: String?
        public var target: MetricTarget?
    }
    public struct Metric: Sendable, Hashable, Decodable {
        public var type: String?
        public var resource: ResourceMetric?
    }
    public struct Policy: Sendable, Hashable, Decodable {
        public var type: String?
        public var value: Int?
        public var periodSeconds: Int?
    }
    public struct Rules: Sendable, Hashable, Decodable {
        public var stabilizationWindowSeconds: Int?
        public var selectPolicy: String?
        public var policies: [Policy]?
    }
    public struct Behavior: Sendable, Hashable, Decodable {
        public var scaleUp: Rules?
        public var scaleDown: Rules?
    }
    public var metrics: [Metric]?
    public var behavior: Behavior?
    /// autoscaling/v1's only metric.
    public var targetCPUUtilizationPercentage: Int?
}
