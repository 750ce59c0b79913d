/// autoscaling/v2 `HorizontalPodAutoscalerBehavior`, with upstream's defaults filled in
/// (kubernetes pkg/apis/autoscaling/v2/defaults.go `SetDefaults_HorizontalPodAutoscalerBehavior`,
/// `GenerateHPAScaleUpRules`, `GenerateHPAScaleDownRules`).
public struct ScalingBehavior: Sendable, Equatable {
    public var scaleUp: ScalingRules
    public var scaleDown: ScalingRules
    public init(scaleUp: ScalingRules = .defaultScaleUp, scaleDown: ScalingRules = .defaultScaleDown) {
        self.scaleUp = scaleUp; self.scaleDown = scaleDown
    }
    public static let defaults = ScalingBehavior()
}

public struct ScalingRules: Sendable, Equatable {
    public enum SelectPolicy: String, Sendable, Equatable { case Max, Min, Disabled }
    public struct Policy: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable { case Pods, Percent }
        public var type: Kind
        public var value: Int
        public var periodSeconds: Int
        public init(type: Kind, value: Int, periodSeconds: Int) {
            self.type = type; self.value = value; self.periodSeconds = periodSeconds
        }
    }
    /// Nil for scale-down means the controller's `--horizontal-pod-autoscaler-downscale-stabilization`
    /// (5 minutes), as `maybeInitScaleDownStabilizationWindow` fills it in.
    public var stabilizationWindowSeconds: Int?
    public var selectPolicy: SelectPolicy
    public var policies: [Policy]
    public init(stabilizationWindowSeconds: Int?, selectPolicy: SelectPolicy = .Max, policies: [Policy]) {
        self.stabilizationWindowSeconds = stabilizationWindowSeconds
        self.selectPolicy = selectPolicy; self.policies = policies
    }

    /// Scale up at once by the larger of doubling and 4 pods per 15 s.
    public static let defaultScaleUp = ScalingRules(
        stabilizationWindowSeconds: 0,
        policies: [
            Policy(type: .Percent, value: 100, periodSeconds: 15), Policy(type: .Pods, value: 4, periodSeconds: 15),
        ])
    /// Scale down to the highest recommendation of the last 5 minutes, by up to 100 % per 15 s.
    public static let defaultScaleDown = ScalingRules(
        stabilizationWindowSeconds: nil,
        policies: [
            Policy(type: .Percent, value: 100, periodSeconds: 15)
        ])
    public static let downscaleStabilizationSeconds = 300
}
