import KubeModel
import Testing

@testable import Simulation

/// Hand-worked cases of pkg/controller/deployment/util (ResolveFenceposts, NewRSNewReplicas)
/// and rolling.go's scale-down bound.
struct RollingUpdateMathTests {
    @Test(arguments: [
        // (maxSurge, maxUnavailable, replicas) → (surge, unavailable)
        (IntOrString.string("25%"), IntOrString.string("25%"), 10, 3, 2),  // ceil(2.5)=3, floor(2.5)=2
        (.string("25%"), .string("25%"), 4, 1, 1),
        (.string("25%"), .string("25%"), 1, 1, 0),  // ceil(0.25)=1, floor(0.25)=0
        (.int(0), .int(0), 5, 0, 1),  // both 0 → unavailable 1
        (.string("0%"), .string("10%"), 5, 0, 1),  // floor(0.5)=0 → both 0 → 1
        (.int(0), .int(1), 4, 0, 1),
        (.string("50%"), .int(2), 3, 2, 2),  // ceil(1.5)=2
    ])
    func fenceposts(_ surge: IntOrString, _ unavailable: IntOrString, _ replicas: Int, _ s: Int, _ u: Int) {
        let r = RollingUpdateMath.resolveFenceposts(maxSurge: surge, maxUnavailable: unavailable, desired: replicas)
        #expect(r.surge == s)
        #expect(r.unavailable == u)
    }

    @Test func maxUnavailableNeverExceedsReplicas() {
        var d = Support.deployment("x", replicas: 2, strategy: DeploymentStrategy(maxSurge: .int(0), maxUnavailable: .int(5)))
        #expect(RollingUpdateMath.maxUnavailable(d) == 2)
        d.strategy.type = .Recreate
        #expect(RollingUpdateMath.maxUnavailable(d) == 0)
        #expect(RollingUpdateMath.maxSurge(d) == 0)
    }

    @Test func newReplicaSetGrowsUpToReplicasPlusSurge() {
        // 10 replicas, surge 3: old RS at 10, new at 0 → new may grow to 3 (13 total).
        #expect(RollingUpdateMath.newRSNewReplicas(replicas: 10, maxSurge: 3, allSpecReplicas: 10, newRSReplicas: 0) == 3)
        // Already at 13 → no change.
        #expect(RollingUpdateMath.newRSNewReplicas(replicas: 10, maxSurge: 3, allSpecReplicas: 13, newRSReplicas: 3) == 3)
        // Old scaled to 5, new at 3: total 8 → new to min(3+5, 10) = 8.
        #expect(RollingUpdateMath.newRSNewReplicas(replicas: 10, maxSurge: 3, allSpecReplicas: 8, newRSReplicas: 3) == 8)
        // Never beyond replicas.
        #expect(RollingUpdateMath.newRSNewReplicas(replicas: 10, maxSurge: 3, allSpecReplicas: 9, newRSReplicas: 9) == 10)
    }

    @Test func oldReplicaSetScaleDownBound() {
        // 13 pods, replicas 10, maxUnavailable 2, new RS 3 of which 0 available: 13 − 8 − 3 = 2.
        #expect(
            RollingUpdateMath.maxScaledDown(
                allSpecReplicas: 13, replicas: 10, maxUnavailable: 2,
                newRSSpecReplicas: 3, newRSAvailable: 0) == 2)
        // maxSurge 0, maxUnavailable 1, 4 replicas, nothing new yet: 4 − 3 − 0 = 1 (one at a time).
        #expect(
            RollingUpdateMath.maxScaledDown(
                allSpecReplicas: 4, replicas: 4, maxUnavailable: 1,
                newRSSpecReplicas: 0, newRSAvailable: 0) == 1)
    }

    @Test func proportionalFraction() {
        // RS of 6 in a deployment annotated max 13, resized to 20 with surge 5: round(6·25/13) − 6 = 12 − 6 = 6.
        #expect(
            RollingUpdateMath.replicaSetFraction(
                rsReplicas: 6, deploymentReplicas: 20, maxSurge: 5,
                annotatedMaxReplicas: 13, statusReplicas: 13) == 6)
        #expect(
            RollingUpdateMath.replicaSetFraction(
                rsReplicas: 4, deploymentReplicas: 0, maxSurge: 0,
                annotatedMaxReplicas: 13, statusReplicas: 13) == -4)
    }
}
