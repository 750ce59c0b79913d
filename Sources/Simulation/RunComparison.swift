/// One milestone of an observed run (a live drill) next to the simulated runs of the same
/// scenario, in seconds after its fault (faults matched by index).
public struct MilestoneDelays: Sendable, Equatable {
    public var fault: Int
    public var milestone: MilestoneName
    /// Seconds after the fault in the observed run; nil when it did not reach the milestone.
    public var observed: Double?
    /// Seconds after the fault in each simulated run that reached it.
    public var simulated: [Double]

    public var statistic: Statistic? { simulated.isEmpty ? nil : Statistic(simulated) }
}

extension RunRecord {
    /// Every milestone of this record's faults, then those only the simulated runs reached, in
    /// the order first seen: the one comparison Live's validation and the validation report use.
    public func milestoneDelays(against simulated: [RunRecord]) -> [MilestoneDelays] {
        var out: [MilestoneDelays] = []
        for f in faults {
            var names = f.milestones.map(\.name)
            for r in simulated {
                for m in r.faults.first(where: { $0.index == f.index })?.milestones ?? [] where !names.contains(m.name) {
                    names.append(m.name)
                }
            }
            for name in names {
                let sims = simulated.compactMap { r -> Double? in
                    guard let sf = r.faults.first(where: { $0.index == f.index }), let t = sf.milestone(name) else { return nil }
                    return t - sf.at
                }
                out.append(
                    MilestoneDelays(
                        fault: f.index, milestone: name, observed: f.milestone(name).map { $0 - f.at }, simulated: sims))
            }
        }
        return out
    }
}
