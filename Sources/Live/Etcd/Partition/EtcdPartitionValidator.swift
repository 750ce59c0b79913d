import Foundation
import Scenario
import Simulation
import Store

/// `k3sim live etcd partition`: the trials as a live run, the same partitions simulated over
/// N seeds, the comparison stored as a validation of kind `etcd-partition`.
public enum EtcdPartitionValidator {
    public struct Outcome: Sendable {
        public var scenarioName: String
        public var liveRunID: Int64
        public var simulatedRunIDs: [Int64]
        public var validationID: Int64
        public var tolerance: Double
        public var rows: [EtcdPartitionRow]
    }

    public static func validate(
        trials: [EtcdPartitionExperiment.Trial], simulation: EtcdPartitionSimulation, runs: Int,
        writeInterval: Double, etcdVersion: String, wallSeconds: Double, store: ResultStore,
        k3simVersion: String
    ) async throws -> Outcome {
        var simulation = simulation
        simulation.measuredPartitionSeconds = trials.map { $0.healSeconds ?? $0.partitionSeconds }
        let (loaded, sims) = try await simulation.run(runs: runs)
        guard !sims.isEmpty else { throw EtcdPartitionError("no simulated run had the partition asked for") }
        let simIDs = try store.save(
            scenarioName: loaded.name, scenarioText: loaded.text, records: sims, k3simVersion: k3simVersion)
        let tolerance = EtcdPartitionComparison.tolerance(trials: trials, writeInterval: writeInterval)
        let live = record(
            trials, simulation: simulation, scenarioName: loaded.name, writeInterval: writeInterval, etcdVersion: etcdVersion,
            wallSeconds: wallSeconds)
        let liveID = try store.save(
            scenarioName: loaded.name, scenarioText: loaded.text, records: [live], k3simVersion: k3simVersion)[0]
        let rows = EtcdPartitionComparison.compare(trials: trials, simulated: sims, tolerance: tolerance)
        let vid = try store.saveValidation(
            ValidationRecord(
                kind: "etcd-partition", scenarioName: loaded.name, liveRunID: liveID,
                simulatedBatchID: simIDs[0], simulatedRuns: sims.count,
                toleranceSeconds: tolerance, milestones: EtcdPartitionComparison.milestones(rows)))
        return Outcome(
            scenarioName: loaded.name, liveRunID: liveID, simulatedRunIDs: simIDs, validationID: vid,
            tolerance: tolerance, rows: rows)
    }

    /// The trials as one live run shaped like the simulated ones: trial i is fault i, at the
    /// simulated fault's time, with the milestones both sides have (`partitioned`, `leaderLost`
    /// at the majority's first failed write, `leaderElected` at etcd's `became leader`, `healed`)
    /// and the rest as the fault's stats.
    public static func record(
        _ trials: [EtcdPartitionExperiment.Trial], simulation: EtcdPartitionSimulation, scenarioName: String,
        writeInterval: Double, etcdVersion: String, wallSeconds: Double
    ) -> RunRecord {
        let target = simulation.role == .leader ? "controlplane/leader" : "zone/\(EtcdPartitionSimulation.followerLocation)"
        let faults = trials.enumerated().map { i, t -> FaultResult in
            let at = Double(simulation.spacingSeconds * (i + 1))
            var ms = [
                Milestone(
                    name: .partitioned, at: at,
                    mechanism:
                        "observed: `ip link set \(t.cutMember)P down` returned (\(t.cutMember) cut off from raft; leader before: \(t.leaderBefore))"
                )
            ]
            if let s = t.majorityUnavailableStartSeconds {
                ms.append(
                    Milestone(
                        name: .leaderLost, at: at + s,
                        mechanism: "observed: start of the first write through \(t.majorityMember) that failed or stalled"))
            }
            if let s = t.newLeaderSeconds {
                ms.append(
                    Milestone(
                        name: .leaderElected, at: at + s, mechanism: "observed: etcd's log, \(t.newLeader ?? "?") `became leader`"
                    ))
            }
            if let s = t.healSeconds {
                ms.append(Milestone(name: .healed, at: at + s, mechanism: "observed: `ip link set \(t.cutMember)P up` returned"))
            }
            var stats: [String: Double] = [
                "majorityUnavailableSeconds": t.majorityUnavailableSeconds,
                "majorityFailedWrites": Double(t.majorityFailedWrites),
                "minorityWritesDuringPartition": Double(t.minorityWritesDuringPartition),
                "minoritySucceededDuringPartition": Double(t.minoritySucceededDuringPartition),
                "cutCommandSeconds": t.cutCommandSeconds, "healCommandSeconds": t.healCommandSeconds,
            ]
            if let v = t.oldLeaderStepDownSeconds { stats["oldLeaderStepDownSeconds"] = v }
            if let v = t.cutOffLostLeaderSeconds { stats["cutOffLostLeaderSeconds"] = v }
            if let v = t.minorityRecoverySeconds { stats["minorityRecoverySeconds"] = v }
            return FaultResult(
                index: i, action: "partition", target: target, at: at, milestones: ms.sorted { $0.at < $1.at }, stats: stats)
        }
        let notes =
            [
                "live partition check: a real \(simulation.heartbeatMilliseconds) ms / \(simulation.electionTimeoutMilliseconds) ms etcd \(etcdVersion) "
                    + "(three members, each in its own network namespace, --pre-vote), the \(simulation.role.rawValue) cut off from raft for "
                    + "\(simulation.partitionMilliseconds) ms, \(trials.count) time(s); a write every \(Int(writeInterval * 1000)) ms through a majority follower "
                    + "and through the cut-off member; times from the moment the cut (or heal) command returned"
            ]
            + trials.enumerated().map { i, t in
                "trial \(i): \(t.cutMember) cut (leader \(t.leaderBefore), term \(t.termBefore)); "
                    + "cut-off member's writes during the partition: \(t.minorityWritesDuringPartition - t.minoritySucceededDuringPartition) of \(t.minorityWritesDuringPartition) failed"
            }
        let duration = Double(simulation.spacingSeconds * (trials.count + 1))
        return RunRecord(
            scenarioName: scenarioName, seed: 0, source: "live", simulatedSeconds: duration,
            wallSeconds: wallSeconds, events: trials.count, workloads: [],
            faults: faults,
            controlPlane: ControlPlaneResult(
                writeUnavailableSeconds: trials.map(\.majorityUnavailableSeconds).reduce(0, +),
                leaderChanges: trials.filter { $0.newLeader != nil }.count),
            pendingPodsAtEnd: 0, series: [], notes: notes)
    }
}
