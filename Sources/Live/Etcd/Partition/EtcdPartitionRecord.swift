import Foundation

/// Measured partition behaviour of real etcd, as Tests/LiveTests/Fixtures/etcd-partition-measured.json
/// keeps it: how it was measured, the distributions per kind of partition, and every trial.
public struct EtcdPartitionRecord: Codable, Sendable {
    public struct Distribution: Codable, Equatable, Sendable {
        public var n: Int
        public var min: Double
        public var p50: Double
        public var p95: Double
        public var max: Double

        /// Nearest-rank percentiles, to the millisecond; nil for no values.
        public init?(_ values: [Double]) {
            let v = values.sorted()
            guard !v.isEmpty else { return nil }
            func rank(_ p: Double) -> Double {
                v[Swift.max(0, Swift.min(v.count - 1, Int((p * Double(v.count)).rounded(.up)) - 1))]
            }
            func ms(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
            n = v.count; min = ms(v[0]); p50 = ms(rank(0.5)); p95 = ms(rank(0.95)); max = ms(v[v.count - 1])
        }
    }

    public struct Summary: Codable, Equatable, Sendable {
        public var trials: Int
        public var majorityUnavailableSeconds: Distribution?
        /// Trials in which the majority member had no failed write at all.
        public var majorityNeverFailed: Int
        public var newLeaderSeconds: Distribution?
        public var trialsWithNewLeader: Int
        public var oldLeaderStepDownSeconds: Distribution?
        public var cutOffLostLeaderSeconds: Distribution?
        /// Trials in which every write through the cut-off member during the partition failed.
        public var minorityFailedThroughout: Int
        /// Trials in which writes that hung through the heal then succeeded, and how many writes.
        public var trialsWithStalledWritesSucceedingAfterHeal: Int
        public var stalledWritesSucceedingAfterHeal: Int
        public var minorityRecoverySeconds: Distribution?
        public var minorityRecoveryFreshSeconds: Distribution?
        /// Trials with a `became leader` after the heal (a second leader change).
        public var trialsWithElectionAfterHeal: Int
        public var trialsWithTermChangeAfterHeal: Int
        public var allAgreeSeconds: Distribution?
        public var allAgreeStatusSeconds: Distribution?
        public var minorityErrors: [String: Int]
        public var cutCommandSeconds: Distribution?

        public init(_ t: [EtcdPartitionExperiment.Trial]) {
            trials = t.count
            majorityUnavailableSeconds = Distribution(t.map(\.majorityUnavailableSeconds))
            majorityNeverFailed = t.filter { $0.majorityFailedWrites == 0 }.count
            newLeaderSeconds = Distribution(t.compactMap(\.newLeaderSeconds))
            trialsWithNewLeader = t.filter { $0.newLeader != nil }.count
            oldLeaderStepDownSeconds = Distribution(t.compactMap(\.oldLeaderStepDownSeconds))
            cutOffLostLeaderSeconds = Distribution(t.compactMap(\.cutOffLostLeaderSeconds))
            minorityFailedThroughout =
                t.filter { $0.minoritySucceededDuringPartition == 0 && $0.minorityWritesDuringPartition > 0 }.count
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

    public var description: String
    public var measuredAt: String
    public var etcdVersion: String
    public var command: String
    public var settings: [String: String]
    public var method: [String: String]
    public var summary: [String: Summary]
    public var trials: [EtcdPartitionExperiment.Trial]

    public init(
        description: String, measuredAt: String, etcdVersion: String, command: String, settings: [String: String],
        method: [String: String], summary: [String: Summary], trials: [EtcdPartitionExperiment.Trial]
    ) {
        self.description = description; self.measuredAt = measuredAt; self.etcdVersion = etcdVersion; self.command = command
        self.settings = settings; self.method = method; self.summary = summary; self.trials = trials
    }

    public func write(to path: String) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (e.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path))
    }
}
