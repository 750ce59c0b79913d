import Foundation
import Simulation
import Store

/// What the partition check compares, trial by trial, with the simulated runs' fault of the same index.
///
/// Times are seconds from the cut, except the recovery (from the heal).
public enum EtcdPartitionQuantity: String, CaseIterable, Sendable, Codable {
    /// The majority's writes: first failed write → first later-started write that succeeded (0: none failed).
    case majorityUnavailable
    /// The cut → the first `became leader` (none: no election).
    case newLeader
    /// The cut → the cut-off leader's CheckQuorum step-down.
    case oldLeaderStepDown
    /// The fraction of the cut-off member's writes started during the partition that did not succeed before the heal.
    case minorityWritesFailed
    /// The heal → the first successful write through the cut-off member.
    case minorityRecovery

    public var label: String {
        switch self {
        case .majorityUnavailable: "majority writes unavailable"
        case .newLeader: "new leader elected"
        case .oldLeaderStepDown: "cut-off leader steps down"
        case .minorityWritesFailed: "cut-off member's writes failed"
        case .minorityRecovery: "heal → cut-off member writes"
        }
    }

    /// A fraction, not seconds: compared exactly.
    public var isFraction: Bool { self == .minorityWritesFailed }

    /// Whether the simulation has a figure for it (every quantity has one: the cut-off
    /// leader's CheckQuorum step-down is its `leaderSteppedDown` milestone).
    public var simulated: Bool { true }

    public func observed(_ t: EtcdPartitionExperiment.Trial) -> Double? {
        switch self {
        case .majorityUnavailable: t.majorityUnavailableSeconds
        case .newLeader: t.newLeaderSeconds
        case .oldLeaderStepDown: t.oldLeaderStepDownSeconds
        case .minorityWritesFailed:
            t.minorityWritesDuringPartition == 0
                ? nil
                : Double(t.minorityWritesDuringPartition - t.minoritySucceededDuringPartition)
                    / Double(t.minorityWritesDuringPartition)
        case .minorityRecovery: t.minorityRecoverySeconds
        }
    }

    /// The simulated fault's figure, from its milestones (seconds after the fault).
    public func simulated(_ f: FaultResult) -> Double? {
        func after(_ name: MilestoneName) -> Double? { f.milestone(name).map { $0 - f.at } }
        // Leadership comes back by an election, or (partition shorter than the election) the old leader leads on.
        let back = [after(.leaderElected), after(.leaderRestored)].compactMap { $0 }.min()
        switch self {
        case .majorityUnavailable:
            guard let lost = after(.leaderLost) else { return 0 }
            return (back ?? after(.healed) ?? lost) - lost
        case .newLeader: return after(.leaderElected)
        case .oldLeaderStepDown: return after(.leaderSteppedDown)
        case .minorityWritesFailed:
            // The API server writes only with a leader that has a majority on its side
            // (ClusterSimulation.reachableMemberCount): nothing the cut-off side writes goes
            // through until the heal, unless the cut-off side is the majority (quorum lost).
            guard after(.partitioned) != nil else { return nil }
            return after(.quorumLost) == nil ? 1 : 0
        case .minorityRecovery:
            // The cut-off member writes again once it is back in raft and hears a leader
            // (`memberRejoined`: its redial, the leader's next heartbeat, a log repair), or,
            // when no leader was there to hear at the heal, once one is elected.
            guard let healed = after(.healed) else { return nil }
            if let rejoined = after(.memberRejoined), let leader = back { return max(rejoined, leader) - healed }
            if let rejoined = after(.memberRejoined) { return rejoined - healed }
            return back.map { $0 >= healed ? $0 - healed : 0 } ?? 0
        }
    }
}

/// One quantity of one trial against the simulated runs.
public struct EtcdPartitionRow: Sendable, Equatable, Codable {
    public var quantity: EtcdPartitionQuantity
    public var trial: Int
    public var observed: Double?
    /// Over the simulated runs that have the figure; nil when none has.
    public var simulated: Statistic?
    public var simulatedRuns: Int
    /// nil: the simulation does not model it.
    public var inside: Bool?
    public var verdict: String
}

public enum EtcdPartitionComparison {
    /// The verdict for one figure; `values` are the simulated runs' figures (nil where a run has none).
    ///
    /// Observed and simulated both absent agree; one absent and the other present do not; both
    /// present agree when the observation lies in [min − tolerance, max + tolerance].
    public static func verdict(observed: Double?, values: [Double?], tolerance: Double, modelled: Bool) -> (
        inside: Bool?, text: String
    ) {
        guard modelled else { return (nil, "not simulated") }
        let present = values.compactMap { $0 }
        guard let o = observed else {
            return present.isEmpty
                ? (true, "none, as simulated") : (false, "not observed (simulated in \(present.count) of \(values.count) runs)")
        }
        guard let lo = present.min(), let hi = present.max() else { return (false, "outside (none simulated)") }
        let inside = o >= lo - tolerance && o <= hi + tolerance
        return (inside, inside ? "inside" : (o < lo - tolerance ? "outside (earlier)" : "outside (later)"))
    }

    /// Rows by trial, then quantity.
    ///
    /// Fault i of each simulated run is compared with trial i.
    public static func compare(trials: [EtcdPartitionExperiment.Trial], simulated: [RunRecord], tolerance: Double)
        -> [EtcdPartitionRow]
    {
        var rows: [EtcdPartitionRow] = []
        for (i, t) in trials.enumerated() {
            for q in EtcdPartitionQuantity.allCases {
                let values = simulated.map { r in r.faults.first { $0.index == i }.flatMap(q.simulated) }
                let present = values.compactMap { $0 }
                let observed = q.observed(t)
                let v = verdict(
                    observed: observed, values: values, tolerance: q.isFraction ? 0 : tolerance, modelled: q.simulated)
                rows.append(
                    EtcdPartitionRow(
                        quantity: q, trial: i, observed: observed, simulated: present.isEmpty ? nil : Statistic(present),
                        simulatedRuns: present.count, inside: v.inside, verdict: v.text))
            }
        }
        return rows
    }

    /// The resolution of the measurement: a write interval, and how long the cut or heal
    /// command ran (the link changed at some moment within it; the times count from its end).
    public static func tolerance(trials: [EtcdPartitionExperiment.Trial], writeInterval: Double) -> Double {
        writeInterval + (trials.flatMap { [$0.cutCommandSeconds, $0.healCommandSeconds] }.max() ?? 0)
    }

    /// The rows as the `validations` table stores them: the trial as the fault index.
    public static func milestones(_ rows: [EtcdPartitionRow]) -> [MilestoneComparison] {
        rows.map {
            MilestoneComparison(
                faultIndex: $0.trial, milestone: $0.quantity.rawValue, observed: $0.observed,
                simulated: $0.simulated, inside: $0.inside)
        }
    }
}
