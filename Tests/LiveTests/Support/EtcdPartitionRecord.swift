import Foundation

/// The measured partition behaviour of real etcd as stored in
/// Tests/LiveTests/Fixtures/etcd-partition-measured.json: how it was measured, the
/// distributions per kind of partition, and every trial.
struct EtcdPartitionRecord: Codable {
    struct Distribution: Codable, Equatable {
        var n: Int
        var min: Double
        var p50: Double
        var p95: Double
        var max: Double

        /// Nearest-rank percentiles, to the millisecond; nil for no values.
        init?(_ values: [Double]) {
            let v = values.sorted()
            guard !v.isEmpty else { return nil }
            func rank(_ p: Double) -> Double { v[Swift.max(0, Swift.min(v.count - 1, Int((p * Double(v.count)).rounded(.up)) - 1))] }
            func ms(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
            n = v.count; min = ms(v[0]); p50 = ms(rank(0.5)); p95 = ms(rank(0.95)); max = ms(v[v.count - 1])
        }
    }

    struct Summary: Codable, Equatable {
        var trials: Int
        var majorityUnavailableSeconds: Distribution?
        /// Trials in which the majority member had no failed write at all.
        var majorityNeverFailed: Int
        var newLeaderSeconds: Distribution?
        var trialsWithNewLeader: Int
        var oldLeaderStepDownSeconds: Distribution?
        var cutOffLostLeaderSeconds: Distribution?
        /// Trials in which every write through the cut-off member during the partition failed.
        var minorityFailedThroughout: Int
        /// Trials in which writes that hung through the heal then succeeded, and how many writes.
        var trialsWithStalledWritesSucceedingAfterHeal: Int
        var stalledWritesSucceedingAfterHeal: Int
        var minorityRecoverySeconds: Distribution?
        var minorityRecoveryFreshSeconds: Distribution?
        /// Trials with a `became leader` after the heal (a second leader change).
        var trialsWithElectionAfterHeal: Int
        var trialsWithTermChangeAfterHeal: Int
        var allAgreeSeconds: Distribution?
        var allAgreeStatusSeconds: Distribution?
        var minorityErrors: [String: Int]
        var cutCommandSeconds: Distribution?

        init(_ t: [EtcdPartitionExperiment.Trial]) {
            trials = t.count
            majorityUnavailableSeconds = Distribution(t.map(\.majorityUnavailableSeconds))
            majorityNeverFailed = t.filter { $0.majorityFailedWrites == 0 }.count
            newLeaderSeconds = Distribution(t.compactMap(\.newLeaderSeconds))
            trialsWithNewLeader = t.filter { $0.newLeader != nil }.count
            oldLeaderStepDownSeconds = Distribution(t.compactMap(\.oldLeaderStepDownSeconds))
            cutOffLostLeaderSeconds = Distribution(t.compactMap(\.cutOffLostLeaderSeconds))
            minorityFailedThroughout = t.filter { $0.minoritySucceededDuringPartition == 0 && $0.minorityWritesDuringPartition > 0 }.count
            trialsWithStalledWritesSucceedingAfterHeal = t.filter { !$0.minorityStalledThenSucceeded.isEmpty }.count
            stalledWritesSucceedingAfterHeal = t.map(\.minorityStalledThenSucceeded.count).reduce(0, +)
            minorityRecoverySeconds = Distribution(t.compactMap(\.minorityRecoverySeconds))
            minorityRecoveryFreshSeconds = Distribution(t.compactMap(\.minorityRecoveryFreshSeconds))
            trialsWithElectionAfterHeal = t.filter { $0.leaderElectionsAfterHeal > 0 }.count
            trialsWithTermChangeAfterHeal = t.filter { $0.termAtEnd != $0.termAtHeal }.count
            allAgreeSeconds = Distribution(t.compactMap(\.allAgreeSeconds))
            allAgreeStatusSeconds = Distribution(t.compactMap(\.allAgreeStatusSeconds))
            cutCommandSeconds = Distribution(t.map(\.cutCommandSeconds) + t.map(\.healCommandSeconds))
            minorityErrors = t.reduce(into: [:]) { acc, x in for (k, v) in x.minorityErrors { acc[k, default: 0] += v } }
        }
    }

    var description: String
    var measuredAt: String
    var etcdVersion: String
    var command: String
    var settings: [String: String]
    var method: [String: String]
    var summary: [String: Summary]
    var trials: [EtcdPartitionExperiment.Trial]

    func write(to path: String) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (e.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
    }
}
