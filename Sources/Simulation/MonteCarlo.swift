import Foundation

/// Runs a spec with many seeds on every core, in a task group of one child task per worker rather
/// than one per seed: a run can take a couple of milliseconds, and a task each would add its
/// creation and scheduling to every run.
///
/// Each worker takes the next seed index from a shared counter (a slow seed does not hold up a
/// worker's share of fixed seeds) and returns the (index, record) pairs it ran; the parent places
/// the records by index, so they come back in the order of `seeds` whatever order the runs finish
/// in, and a parallel batch equals the sequential runs of the same seeds.
public enum MonteCarlo {
    /// `progress`, when given, is called after each finished run with the number finished so
    /// far; it is called from the workers, one call at a time.
    public static func run(
        _ spec: ClusterSpec, seeds: [UInt64],
        workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: (@Sendable (_ finished: Int) -> Void)? = nil
    ) async -> [RunRecord] {
        let counter = SeedCounter(count: seeds.count, progress: progress)
        var records = [RunRecord?](repeating: nil, count: seeds.count)
        await withTaskGroup(of: [(Int, RunRecord)].self) { group in
            for _ in 0..<min(max(workers, 1), seeds.count) {
                group.addTask {
                    var ran: [(Int, RunRecord)] = []
                    while let i = counter.next() {
                        var s = spec
                        s.seed = seeds[i]
                        ran.append((i, ClusterSimulation(spec: s).run()))
                        counter.finished()
                    }
                    return ran
                }
            }
            for await ran in group {
                for (i, record) in ran { records[i] = record }
            }
        }
        // Every index was filled: the shards cover 0..<seeds.count.
        return records.compactMap { $0 }
    }
}

/// The next seed index to run and the runs finished so far, shared by the workers.
///
/// An NSLock rather than `Synchronization.Mutex`: the package still supports macOS 14, Mutex needs
/// 15.
private final class SeedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private let count: Int
    private let progress: (@Sendable (Int) -> Void)?
    private var nextIndex = 0
    private var finishedRuns = 0

    init(count: Int, progress: (@Sendable (Int) -> Void)?) {
        self.count = count
        self.progress = progress
    }

    /// The next seed index, or nil when every seed has been taken.
    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        defer { nextIndex += 1 }
        return nextIndex
    }

    /// Counts a finished run and reports it; under the lock, so reports never overlap.
    func finished() {
        lock.lock(); defer { lock.unlock() }
        finishedRuns += 1
        progress?(finishedRuns)
    }
}
