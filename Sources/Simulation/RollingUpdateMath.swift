import KubeModel

/// The Deployment controller's arithmetic (pkg/controller/deployment/util/deployment_util.go),
/// as pure functions so that tests can check them against hand-worked cases.
public enum RollingUpdateMath {
    /// `ResolveFenceposts`: maxSurge rounds up, maxUnavailable rounds down; if both resolve
    /// to 0, maxUnavailable is 1.
    public static func resolveFenceposts(maxSurge: IntOrString, maxUnavailable: IntOrString, desired: Int)
        -> (surge: Int, unavailable: Int)
    {
        let surge = maxSurge.scaledValue(total: desired, roundUp: true)
        var unavailable = maxUnavailable.scaledValue(total: desired, roundUp: false)
        if surge == 0 && unavailable == 0 { unavailable = 1 }
        return (surge, unavailable)
    }

    /// `MaxSurge(d)`: 0 unless RollingUpdate.
    public static func maxSurge(_ d: Deployment) -> Int {
        guard d.strategy.type == .RollingUpdate else { return 0 }
        return resolveFenceposts(
            maxSurge: d.strategy.maxSurge, maxUnavailable: d.strategy.maxUnavailable,
            desired: d.replicas
        ).surge
    }

    /// `MaxUnavailable(d)`: 0 unless RollingUpdate with replicas > 0; never above replicas.
    public static func maxUnavailable(_ d: Deployment) -> Int {
        guard d.strategy.type == .RollingUpdate, d.replicas > 0 else { return 0 }
        let u = resolveFenceposts(
            maxSurge: d.strategy.maxSurge, maxUnavailable: d.strategy.maxUnavailable,
            desired: d.replicas
        ).unavailable
        return min(u, d.replicas)
    }

    /// `NewRSNewReplicas` for RollingUpdate: scale the new ReplicaSet up as far as
    /// replicas + maxSurge allows, counting every ReplicaSet's spec.replicas.
    public static func newRSNewReplicas(replicas: Int, maxSurge: Int, allSpecReplicas: Int, newRSReplicas: Int) -> Int {
        let maxTotal = replicas + maxSurge
        if allSpecReplicas >= maxTotal { return newRSReplicas }
        let scaleUp = min(maxTotal - allSpecReplicas, replicas - newRSReplicas)
        return newRSReplicas + scaleUp
    }

    /// `reconcileOldReplicaSets`' bound: how many old pods may go now.
    public static func maxScaledDown(
        allSpecReplicas: Int, replicas: Int, maxUnavailable: Int,
        newRSSpecReplicas: Int, newRSAvailable: Int
    ) -> Int {
        allSpecReplicas - (replicas - maxUnavailable) - (newRSSpecReplicas - newRSAvailable)
    }

    /// `getReplicaSetFraction` for proportional scaling: round(rs · allowed / annotatedMax) − rs.
    public static func replicaSetFraction(
        rsReplicas: Int, deploymentReplicas: Int, maxSurge: Int,
        annotatedMaxReplicas: Int?, statusReplicas: Int
    ) -> Int {
        if deploymentReplicas == 0 { return -rsReplicas }
        let allowed = deploymentReplicas + maxSurge
        var before = annotatedMaxReplicas ?? 0
        if before == 0 { before = statusReplicas }
        if before == 0 { return 0 }
        let size = (Double(rsReplicas) * Double(allowed) / Double(before)).rounded()
        return Int(size) - rsReplicas
    }
}
