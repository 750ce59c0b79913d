import Testing

@testable import Simulation

/// `ReplicaCalculator` against cases of upstream
/// pkg/controller/podautoscaler/replica_calculator_test.go (named per test; requests of
/// 1 core unless said), and hand-worked ones from `GetResourceReplicas`.
struct ReplicaCalculatorTests {
    typealias Pod = ReplicaCalculator.PodSample
    static func ready(_ usage: Int64?, request: Int64 = 1000) -> Pod {
        Pod(state: .ready, requestMillicores: request, usageMillicores: usage)
    }
    static func unready(request: Int64 = 1000) -> Pod { Pod(state: .unready, requestMillicores: request, usageMillicores: nil) }

    /// TestReplicaCalcScaleUp: 300 + 500 + 700 of 3000 m is 50 %; 50 / 30 × 3 = 5.
    @Test func scaleUp() {
        let r = ReplicaCalculator.replicas(
            current: 3, pods: [Self.ready(300), Self.ready(500), Self.ready(700)], targetUtilization: 30)
        #expect(r == .init(replicas: 5, utilization: 50))
    }

    /// The brief's case: 3 pods at 90 % against a 50 % target: ceil(3 × 1.8) = 6.
    @Test func threePodsAtNinetyPercentOfFifty() {
        let r = ReplicaCalculator.replicas(
            current: 3, pods: Array(repeating: Self.ready(450, request: 500), count: 3), targetUtilization: 50)
        #expect(r == .init(replicas: 6, utilization: 90))
    }

    /// TestReplicaCalcScaleUpUnreadyLessScale: the unready pod's metric is dropped (60 % from
    /// 500 + 700 of 2000 m); scaling up it counts as 0: 1200 of 3000 m = 40 %, 40 / 30 × 3 → 4.
    @Test func unreadyPodsCountAsZeroOnScaleUp() {
        let r = ReplicaCalculator.replicas(
            current: 3, pods: [Self.unready(), Self.ready(500), Self.ready(700)], targetUtilization: 30)
        #expect(r == .init(replicas: 4, utilization: 60))
    }

    /// TestReplicaCalcScaleUpUnreadyNoScale: one ready pod at 40 % (ratio 1.33), but with the
    /// two unready pods at 0 it is 400 of 3000 m = 13 %, below the target: the direction turns
    /// round, so nothing changes.
    @Test func unreadyPodsThatTurnTheDirectionRoundHold() {
        let r = ReplicaCalculator.replicas(
            current: 3, pods: [Self.ready(400), Self.unready(), Self.unready()], targetUtilization: 30)
        #expect(r == .init(replicas: 3, utilization: 40))
    }

    /// TestReplicaCalcScaleDown: 1400 of 5000 m = 28 %; 28 / 50 × 5 = 2.8 → 3.
    @Test func scaleDown() {
        let pods = [100, 300, 500, 250, 250].map { Self.ready(Int64($0)) }
        #expect(ReplicaCalculator.replicas(current: 5, pods: pods, targetUtilization: 50) == .init(replicas: 3, utilization: 28))
    }

    /// Unready pods do not count when scaling down: 2 ready pods at 20 % of a 50 % target →
    /// ceil(0.4 × 2) = 1, whatever the unready pod.
    @Test func unreadyPodsAreLeftOutOnScaleDown() {
        let r = ReplicaCalculator.replicas(
            current: 3, pods: [Self.ready(200), Self.ready(200), Self.unready()], targetUtilization: 50)
        #expect(r == .init(replicas: 1, utilization: 20))
    }

    /// TestReplicaCalcTolerance: requests 0.9, 1.0 and 1.1 cores using 1010, 1030 and 1020 m:
    /// 3060 of 3000 m = 102 % against 100 %, within 10 %.
    @Test func withinTolerance() {
        let pods = [Self.ready(1010, request: 900), Self.ready(1030, request: 1000), Self.ready(1020, request: 1100)]
        #expect(
            ReplicaCalculator.replicas(current: 3, pods: pods, targetUtilization: 100) == .init(replicas: 3, utilization: 102))
    }

    /// The tolerance is inclusive below (|1 − 0.90| ≤ 0.1 holds nothing) and 1 % beyond it
    /// scales: 10 pods at 89 % → 9, at 109 % → 10, at 111 % → ceil(11.1) = 12.
    @Test(arguments: [(890, 9), (900, 10), (1090, 10), (1110, 12)])
    func toleranceBoundary(usage: Int64, expected: Int) {
        let r = ReplicaCalculator.replicas(
            current: 10, pods: Array(repeating: Self.ready(usage), count: 10), targetUtilization: 100)
        #expect(r?.replicas == expected)
    }

    /// A pod without a metric counts as using its whole request when scaling down: three
    /// pods at 10 % of a 50 % target would give ceil(0.2 × 3) = 1, but with the fourth at
    /// 100 % it is 1300 of 4000 m = 32 %, ceil(0.64 × 4) = 3.
    @Test func missingMetricsCountAsFullOnScaleDown() {
        let r = ReplicaCalculator.replicas(
            current: 4, pods: [Self.ready(100), Self.ready(100), Self.ready(100), Self.ready(nil)], targetUtilization: 50)
        #expect(r == .init(replicas: 3, utilization: 10))
    }

    /// ...and as using nothing when scaling up: 3 pods at 100 % of 50 % and one without a
    /// metric → 3000 of 4000 m = 75 %, ceil(1.5 × 4) = 6; 2 at 100 % and one without →
    /// 2000 of 3000 m = 66 % (truncated), ceil(1.32 × 3) = 4.
    @Test func missingMetricsCountAsZeroOnScaleUp() {
        let r4 = ReplicaCalculator.replicas(
            current: 4, pods: [Self.ready(1000), Self.ready(1000), Self.ready(1000), Self.ready(nil)], targetUtilization: 50)
        #expect(r4 == .init(replicas: 6, utilization: 100))
        let r3 = ReplicaCalculator.replicas(
            current: 3, pods: [Self.ready(1000), Self.ready(1000), Self.ready(nil)], targetUtilization: 50)
        #expect(r3 == .init(replicas: 4, utilization: 100))
    }

    /// Terminating pods are ignored altogether.
    @Test func terminatingPodsAreIgnored() {
        let gone = Pod(state: .ignored, requestMillicores: 1000, usageMillicores: 0)
        let r = ReplicaCalculator.replicas(current: 2, pods: [Self.ready(1000), Self.ready(1000), gone], targetUtilization: 50)
        #expect(r == .init(replicas: 4, utilization: 100))
    }

    /// AverageValue: 3 pods using 900 m in all against 200 m each → ceil(4.5) = 5.
    @Test func averageValue() {
        let r = ReplicaCalculator.replicas(
            current: 3, pods: [Self.ready(300), Self.ready(300), Self.ready(300)], targetAverageMillicores: 200)
        #expect(r == .init(replicas: 5, utilization: 300))
    }
}
