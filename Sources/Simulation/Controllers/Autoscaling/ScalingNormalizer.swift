import SimKernel

/// What one HorizontalPodAutoscaler remembers between syncs to apply its behaviour: its
/// recent recommendations and scale events (kubernetes pkg/controller/podautoscaler/horizontal.go
/// `normalizeDesiredReplicasWithBehaviors`).
struct ScalingNormalizer {
    let behavior: ScalingBehavior
    let minReplicas: Int, maxReplicas: Int
    private var recommendations: [(time: SimTime, replicas: Int)] = []
    private var scaleUpEvents: [(time: SimTime, change: Int)] = []
    private var scaleDownEvents: [(time: SimTime, change: Int)] = []

    init(behavior: ScalingBehavior, minReplicas: Int, maxReplicas: Int) {
        self.behavior = behavior; self.minReplicas = minReplicas; self.maxReplicas = maxReplicas
    }

    private var downWindow: Int { behavior.scaleDown.stabilizationWindowSeconds ?? ScalingRules.downscaleStabilizationSeconds }
    private var upWindow: Int { behavior.scaleUp.stabilizationWindowSeconds ?? 0 }

    /// The replicas to set for the metric's `desired`, from `current`, at `now`.
    mutating func normalize(current: Int, desired: Int, now: SimTime) -> Int {
        let stabilized = stabilize(current: current, desired: desired, now: now)
        return limitRate(current: current, desired: stabilized, now: now)
    }

    /// The controller rescaled the target: `storeScaleEvent`.
    mutating func recordScale(from old: Int, to new: Int, now: SimTime) {
        if new > old { scaleUpEvents.append((now, new - old)) }
        if new < old { scaleDownEvents.append((now, old - new)) }
        let longest = SimTime.seconds(
            Int64((behavior.scaleUp.policies + behavior.scaleDown.policies).map(\.periodSeconds).max() ?? 0))
        scaleUpEvents.removeAll { $0.time + longest < now }
        scaleDownEvents.removeAll { $0.time + longest < now }
    }

    /// `stabilizeRecommendationWithBehaviors`: up to the lowest recommendation within the
    /// scale-up window, down to the highest within the scale-down window (both strictly after
    /// the window's start); the raw recommendation is remembered, not the stabilised one.
    private mutating func stabilize(current: Int, desired: Int, now: SimTime) -> Int {
        let upCutoff = now - .seconds(Int64(upWindow)), downCutoff = now - .seconds(Int64(downWindow))
        var up = desired, down = desired
        for r in recommendations {
            if r.time > upCutoff { up = min(up, r.replicas) }
            if r.time > downCutoff { down = max(down, r.replicas) }
        }
        let obsolete = now - .seconds(Int64(max(upWindow, downWindow)))
        recommendations.removeAll { $0.time < obsolete }
        recommendations.append((now, desired))
        return min(max(current, up), down)
    }

    /// `convertDesiredReplicasWithBehaviorRate`: the policies' limit on the change, then the bounds.
    private func limitRate(current: Int, desired: Int, now: SimTime) -> Int {
        if desired > current {
            let limit = max(current, scaleUpLimit(current: current, now: now))
            return min(desired, min(maxReplicas, limit))
        }
        if desired < current {
            let limit = min(current, scaleDownLimit(current: current, now: now))
            return max(desired, max(minReplicas, limit))
        }
        return desired
    }

    /// `calculateScaleUpLimitWithScalingRules`: each policy allows growth from the replicas at
    /// the start of its period; selectPolicy Max takes the most generous, Min the least.
    func scaleUpLimit(current: Int, now: SimTime) -> Int {
        let rules = behavior.scaleUp
        if rules.selectPolicy == .Disabled { return current }
        let proposals = rules.policies.map { p -> Int in
            let start = periodStart(current: current, period: p.periodSeconds, now: now)
            switch p.type {
            case .Pods: return start + p.value
            case .Percent: return Int((Double(start) * (1 + Double(p.value) / 100)).rounded(.up))
            }
        }
        return (rules.selectPolicy == .Min ? proposals.min() : proposals.max()) ?? current
    }

    /// `calculateScaleDownLimitWithBehaviors`: the lowest count each policy allows (Percent
    /// truncates); selectPolicy Max takes the lowest of them (the largest change), Min the highest.
    func scaleDownLimit(current: Int, now: SimTime) -> Int {
        let rules = behavior.scaleDown
        if rules.selectPolicy == .Disabled { return current }
        let proposals = rules.policies.map { p -> Int in
            let start = periodStart(current: current, period: p.periodSeconds, now: now)
            switch p.type {
            case .Pods: return start - p.value
            case .Percent: return Int(Double(start) * (1 - Double(p.value) / 100))
            }
        }
        return (rules.selectPolicy == .Min ? proposals.max() : proposals.min()) ?? current
    }

    /// The replicas at the start of a policy's period: `getReplicasChangePerPeriod` counts the
    /// events strictly after `now − period`.
    private func periodStart(current: Int, period: Int, now: SimTime) -> Int {
        let cutoff = now - .seconds(Int64(period))
        let added = scaleUpEvents.filter { $0.time > cutoff }.reduce(0) { $0 + $1.change }
        let deleted = scaleDownEvents.filter { $0.time > cutoff }.reduce(0) { $0 + $1.change }
        return current - added + deleted
    }
}
