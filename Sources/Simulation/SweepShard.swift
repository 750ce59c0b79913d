/// One of `count` disjoint seed ranges of a sweep of `runs` runs starting at `firstSeed`
/// (`k3sim run --runs N --shard I/K`).
///
/// Shard `index` (0-based, as a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX`) runs the offsets
/// [index·N/K, (index+1)·N/K): the K shards cover every seed of the sweep exactly once and differ
/// in size by at most one run.
public struct SweepShard: Sendable, Hashable, Codable {
    public var firstSeed: UInt64
    /// Runs of the whole sweep (all shards together).
    public var runs: Int
    public var index: Int
    public var count: Int

    public init(firstSeed: UInt64, runs: Int, index: Int, count: Int) {
        self.firstSeed = firstSeed; self.runs = runs; self.index = index; self.count = count
    }

    /// Why `index/count` cannot shard `runs` runs, or nil when it can.
    public static func problem(runs: Int, index: Int, count: Int) -> String? {
        if count < 1 { return "the shard count must be at least 1 (got \(count))" }
        if index < 0 || index >= count { return "the shard index must be in 0..<\(count) (got \(index))" }
        if count > runs { return "\(count) shards need at least \(count) runs (got --runs \(runs))" }
        return nil
    }

    /// Offsets into the sweep's seeds that this shard runs.
    public var offsets: Range<Int> { index * runs / count..<(index + 1) * runs / count }

    public var seeds: [UInt64] { offsets.map { firstSeed &+ UInt64($0) } }

    /// "I/K", as written on the command line.
    public var label: String { "\(index)/\(count)" }
}
