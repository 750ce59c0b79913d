import SimKernel
import Testing

@testable import Simulation

/// `ScalingNormalizer` worked by hand from horizontal.go `stabilizeRecommendationWithBehaviors`
/// and `convertDesiredReplicasWithBehaviorRate`, in the spirit of upstream horizontal_test.go
/// `TestNormalizeDesiredReplicasWithBehavior` and `TestCalculateScaleUpLimitWithScalingRules`.
struct ScalingNormalizerTests {
    static func t(_ s: Int64) -> SimTime { .seconds(s) }

    /// The default scale-up: the larger of +100 % and +4 pods per 15 s. From 2: max(4, 6) = 6;
    /// from 10: max(20, 14) = 20.
    @Test(arguments: [(2, 6), (10, 20), (3, 7), (5, 10)])
    func defaultScaleUpTakesTheLargerPolicy(current: Int, expected: Int) {
        var n = ScalingNormalizer(behavior: .defaults, minReplicas: 1, maxReplicas: 1000)
        #expect(n.normalize(current: current, desired: 500, now: Self.t(0)) == expected)
    }

    /// Within one 15 s period the policies count from the replicas at its start: after 2 → 6
    /// at 0 s, at 10 s the limit is still 6; at 15 s the event is no longer strictly inside
    /// the period and 6 may grow to 12.
    @Test func scaleUpPolicyCountsFromThePeriodStart() {
        var n = ScalingNormalizer(behavior: .defaults, minReplicas: 1, maxReplicas: 1000)
        #expect(n.normalize(current: 2, desired: 100, now: Self.t(0)) == 6)
        n.recordScale(from: 2, to: 6, now: Self.t(0))
        #expect(n.scaleUpLimit(current: 6, now: Self.t(10)) == 6)
        #expect(n.normalize(current: 6, desired: 100, now: Self.t(15)) == 12)
    }

    /// selectPolicy Min takes the smaller: from 10, min(20, 14) = 14; maxReplicas caps it.
    @Test func minSelectPolicyAndMaxReplicas() {
        var rules = ScalingRules.defaultScaleUp
        rules.selectPolicy = .Min
        var n = ScalingNormalizer(behavior: ScalingBehavior(scaleUp: rules), minReplicas: 1, maxReplicas: 1000)
        #expect(n.normalize(current: 10, desired: 100, now: Self.t(0)) == 14)
        var capped = ScalingNormalizer(behavior: .defaults, minReplicas: 1, maxReplicas: 8)
        #expect(capped.normalize(current: 5, desired: 100, now: Self.t(0)) == 8)
    }

    /// The default scale-down keeps the highest recommendation of the last 300 s: 10 at 0 s,
    /// then 4 every 15 s — it holds 10 up to 285 s, at 300 s the 0 s sample is out of the
    /// window (not strictly after 300 − 300) and it goes to 4 at once (100 % per 15 s).
    @Test func scaleDownStabilizationKeepsTheWindowsMaximum() {
        var n = ScalingNormalizer(behavior: .defaults, minReplicas: 1, maxReplicas: 20)
        #expect(n.normalize(current: 10, desired: 10, now: Self.t(0)) == 10)
        for s in stride(from: Int64(15), through: 285, by: 15) {
            #expect(n.normalize(current: 10, desired: 4, now: Self.t(s)) == 10, "at \(s) s")
        }
        #expect(n.normalize(current: 10, desired: 4, now: Self.t(300)) == 4)
    }

    /// The window's maximum, not its last value: 10 at 0 s, 8 at 100 s, 4 after — at 300 s it
    /// is 8 (the 100 s sample is in), at 400 s 4.
    @Test func stabilizationTakesTheMaximumInTheWindow() {
        var n = ScalingNormalizer(behavior: .defaults, minReplicas: 1, maxReplicas: 20)
        _ = n.normalize(current: 10, desired: 10, now: Self.t(0))
        _ = n.normalize(current: 10, desired: 8, now: Self.t(100))
        #expect(n.normalize(current: 10, desired: 4, now: Self.t(300)) == 8)
        #expect(n.normalize(current: 8, desired: 4, now: Self.t(400)) == 4)
    }

    /// A scale-down policy of 1 pod per 60 s and no window: 10 → 9, held until the event
    /// leaves the period, then 9 → 8; minReplicas bounds it.
    @Test func scaleDownPodsPolicy() {
        let down = ScalingRules(stabilizationWindowSeconds: 0, policies: [.init(type: .Pods, value: 1, periodSeconds: 60)])
        var n = ScalingNormalizer(behavior: ScalingBehavior(scaleDown: down), minReplicas: 2, maxReplicas: 20)
        #expect(n.normalize(current: 10, desired: 1, now: Self.t(0)) == 9)
        n.recordScale(from: 10, to: 9, now: Self.t(0))
        #expect(n.normalize(current: 9, desired: 1, now: Self.t(45)) == 9)
        #expect(n.normalize(current: 9, desired: 1, now: Self.t(60)) == 8)
        var bounded = ScalingNormalizer(behavior: .defaults, minReplicas: 3, maxReplicas: 20)
        _ = bounded.normalize(current: 10, desired: 10, now: Self.t(-600))
        #expect(bounded.normalize(current: 10, desired: 1, now: Self.t(0)) == 3)
    }

    /// The Percent scale-down policy truncates: 50 % from 5 allows down to int(2.5) = 2.
    @Test func percentScaleDownTruncates() {
        let down = ScalingRules(stabilizationWindowSeconds: 0, policies: [.init(type: .Percent, value: 50, periodSeconds: 15)])
        var n = ScalingNormalizer(behavior: ScalingBehavior(scaleDown: down), minReplicas: 1, maxReplicas: 20)
        #expect(n.normalize(current: 5, desired: 1, now: Self.t(0)) == 2)
    }

    /// selectPolicy Disabled: no change in that direction.
    @Test func disabledDirection() {
        var down = ScalingRules.defaultScaleDown
        down.selectPolicy = .Disabled
        down.stabilizationWindowSeconds = 0
        var n = ScalingNormalizer(behavior: ScalingBehavior(scaleDown: down), minReplicas: 1, maxReplicas: 20)
        #expect(n.normalize(current: 10, desired: 2, now: Self.t(0)) == 10)
        #expect(n.normalize(current: 10, desired: 12, now: Self.t(15)) == 12)
    }
}
