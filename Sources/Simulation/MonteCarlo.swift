import Foundation

/// Runs a spec with many seeds on every core: one simulation per thread, fork–join. The
/// records come back in the order of `seeds` whatever order the threads finish in, so a
/// parallel batch equals the sequential runs of the same seeds.
public enum MonteCarlo {
    /// `progress`, when given, is called after each finished run with the number finished so
    /// far; it is called from the worker threads, one call at a time.
    public static func run(_ spec: ClusterSpec, seeds: [UInt64],
                           progress: (@Sendable (_ finished: Int) -> Void)? = nil) -> [RunRecord] {
        let box = ResultBox(count: seeds.count)
        DispatchQueue.concurrentPerform(iterations: seeds.count) { i in
            var s = spec
            s.seed = seeds[i]
            let finished = box.set(i, ClusterSimulation(spec: s).run())
            progress?(finished)
        }
        return box.records.map { $0! }
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var records: [RunRecord?]
    private var finished = 0
    init(count: Int) { records = Array(repeating: nil, count: count) }

    /// Stores run `i`'s record; returns how many runs have finished.
    func set(_ i: Int, _ r: RunRecord) -> Int {
        lock.lock(); defer { lock.unlock() }
        records[i] = r
        finished += 1
        return finished
    }
}
