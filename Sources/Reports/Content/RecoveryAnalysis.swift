import Simulation

/// Facts derived from a stored RunRecord for the reader.
///
/// They say which workloads a fault took below their desired replicas and when each was back, and
/// which step of a timeline took longest. Derived here (not stored) because they are a reading of
/// the time series, and a new reading must not need a new simulation.
enum RecoveryAnalysis {
    /// How one workload fared after a fault: possibly several dips below its desired replicas
    /// (a node-by-node upgrade takes a workload down once per node).
    struct Impact: Equatable {
        var workload: String
        var desired: Int
        /// When ready replicas first fell below desired, at or after the fault (run seconds).
        var droppedAt: Double
        /// Times it fell below desired (dips that start before the next fault).
        var dips: Int
        var lowest: Int
        var lowestAt: Double
        /// When ready replicas were back at desired after the last dip; nil if never within the run.
        var backAt: Double?
        /// Seconds below desired over all the dips.
        var secondsBelow: Double
    }

    /// The value of a step series just before `t` (the last change point strictly before it),
    /// or `initial` when there is none.
    static func value(before t: Double, in points: [SeriesPoint], initial: Double = 0) -> Double {
        var v = initial
        for p in points { if p.t < t { v = p.value } else { break } }
        return v
    }

    /// Workloads that dropped below their desired replicas between `fault.at` and `until`.
    ///
    /// `until` is the next fault, or the end of the run; the workloads come in the order of the
    /// record's workloads. A dip that starts in the window is followed to its end even past
    /// `until`.
    ///
    /// Desired is the workload's final desired count (`WorkloadResult.desiredReplicas`); the record
    /// does not keep desired over time, so a DaemonSet losing a node, or a scale fault, is read
    /// against the count at the end.
    static func impacts(of fault: FaultResult, in record: RunRecord, until: Double) -> [Impact] {
        var out: [Impact] = []
        for w in record.workloads where w.desiredReplicas > 0 {
            guard let series = record.series.first(where: { $0.kind == "readyReplicas" && $0.entity == w.name }) else {
                continue
            }
            let desired = Double(w.desiredReplicas)
            let before = value(before: fault.at, in: series.points)
            var impact: Impact?
            var belowSince: Double? = nil
            if before < desired {
                belowSince = fault.at
                impact = Impact(
                    workload: w.name, desired: w.desiredReplicas, droppedAt: fault.at, dips: 1,
                    lowest: Int(before), lowestAt: fault.at, backAt: nil, secondsBelow: 0)
            }
            for p in series.points where p.t >= fault.at {
                if let since = belowSince {
                    if p.value >= desired {
                        impact?.backAt = p.t
                        impact?.secondsBelow += p.t - since
                        belowSince = nil
                    } else if p.value < Double(impact?.lowest ?? Int.max) {
                        impact?.lowest = Int(p.value); impact?.lowestAt = p.t
                    }
                } else if p.value < desired {
                    guard p.t < until else { break }
                    belowSince = p.t
                    if impact == nil {
                        impact = Impact(
                            workload: w.name, desired: w.desiredReplicas, droppedAt: p.t, dips: 1,
                            lowest: Int(p.value), lowestAt: p.t, backAt: nil, secondsBelow: 0)
                    } else {
                        impact?.dips += 1
                        impact?.backAt = nil
                        if p.value < Double(impact?.lowest ?? Int.max) { impact?.lowest = Int(p.value); impact?.lowestAt = p.t }
                    }
                }
            }
            if let since = belowSince { impact?.secondsBelow += record.simulatedSeconds - since }
            if let impact { out.append(impact) }
        }
        return out
    }

    /// Where a fault's window ends: the next fault's time, or the end of the run.
    static func windowEnd(of fault: FaultResult, in record: RunRecord) -> Double {
        record.faults.map(\.at).filter { $0 > fault.at }.min() ?? record.simulatedSeconds
    }

    /// Milestones that mark the end of the disruption, in order of preference.
    static let endMilestones: [MilestoneName] = [.recovered, .completed, .drained, .replacementsReady, .leaderElected, .healed]
    /// Milestones of a fault that hit workloads: its disruption ends only when they are back,
    /// not when the control plane is (a new etcd leader says nothing about evicted pods).
    static let workloadImpact: Set<MilestoneName> = [.nodeNotReady, .podsEvicted, .primaryUnready, .statefulPodStuck]

    /// The milestone that says the fault's effect is over (`recovered`, `completed`, ...), if reached.
    static func endMilestone(of fault: FaultResult) -> Milestone? {
        let hitWorkloads = fault.milestones.contains { workloadImpact.contains($0.name) }
        let ends: [MilestoneName] = hitWorkloads ? [.recovered, .replacementsReady] : endMilestones
        for name in ends { if let m = fault.milestones.first(where: { $0.name == name }) { return m } }
        return nil
    }

    /// Across runs: the step that was most often the longest of fault `index` (ties: the one
    /// that took longer at the median), how often, and its durations.
    static func commonLongestStep(_ records: [RunRecord], fault index: Int)
        -> (from: String, to: Milestone, runs: Int, seconds: [Double])?
    {
        var groups: [String: (from: String, to: Milestone, seconds: [Double])] = [:]
        for r in records where index < r.faults.count {
            guard let step = longestStep(of: r.faults[index]) else { continue }
            let key = step.from + "\u{0}" + step.to.name.rawValue
            groups[key, default: (step.from, step.to, [])].seconds.append(step.seconds)
        }
        let best = groups.values.max { a, b in
            (a.seconds.count, Statistic(a.seconds).p50, b.to.name) < (b.seconds.count, Statistic(b.seconds).p50, a.to.name)
        }
        return best.map { (from: $0.from, to: $0.to, runs: $0.seconds.count, seconds: $0.seconds) }
    }

    /// The longest wait between consecutive milestones up to the end of the disruption, with the milestone that ended it.
    ///
    /// The fault itself counts as the first step; the milestone's mechanism says why it took that
    /// long. Later milestones (a machine switched back on after `for:`) are not part of the
    /// recovery and are left out.
    static func longestStep(of fault: FaultResult) -> (from: String, to: Milestone, seconds: Double)? {
        var previousName = "fault", previousAt = fault.at
        var best: (String, Milestone, Double)?
        let end = endMilestone(of: fault)?.at ?? .infinity
        for m in fault.milestones.sorted(by: { ($0.at, $0.name) < ($1.at, $1.name) }) where m.at <= end {
            let gap = m.at - previousAt
            if gap > (best?.2 ?? 0) { best = (previousName, m, gap) }
            previousName = m.name.rawValue; previousAt = m.at
        }
        return best.map { (from: $0.0, to: $0.1, seconds: $0.2) }
    }
}
