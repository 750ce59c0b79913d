import Foundation
import HeapModule
import SimKernel

/// A pod's place in `ActivePodsWithRanks` order: smaller goes first.
struct DeletionRank: Comparable {
    let node: Int?
    let running: Bool, ready: Bool
    /// Pods of the same set on the pod's node.
    var sameNode: Int
    /// Log2-nanosecond buckets of ready time (only between ready pods) and of age.
    let readyBucket: Int, createdBucket: Int
    let uid: UInt64
    let id: PodID

    /// The `k` smallest ranks in ascending order (the order is total: ids break ties), by a
    /// bounded max-heap when k is a small part of the pods: a rolling update scales a
    /// ReplicaSet of 1,400 pods down a few at a time, and sorting them all each step was
    /// most of its sync on the large scenario.
    static func smallest(_ k: Int, of ranks: [DeletionRank]) -> [DeletionRank] {
        guard k > 0 else { return [] }
        guard k * 8 < ranks.count else { return Array(ranks.sorted().prefix(k)) }
        var heap = Heap<DeletionRank>()  // min-max: the largest kept rank is at hand
        for r in ranks {
            if heap.count < k {
                heap.insert(r)
            } else if let largest = heap.max, r < largest {
                heap.replaceMax(with: r)
            }
        }
        return heap.unordered.sorted()
    }

    /// LogarithmicScaleDown's rank of an age: the integer part of log2 of it in nanoseconds
    /// (controller_utils.go `logarithmicRankDiff`), so pods within a factor of two of each
    /// other's age usually share a rank.
    static func ageBucket(_ age: SimTime) -> Int {
        Int(log2(Double(max(1, age.microseconds * 1000))))
    }

    /// A pod's UID for ordering: random upstream, a hash of the run's seed and the pod here.
    static func podUID(_ id: PodID, seed: UInt64) -> UInt64 {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(id.number + 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func < (a: DeletionRank, b: DeletionRank) -> Bool {
        if (a.node == nil) != (b.node == nil) { return a.node == nil }
        if a.running != b.running { return !a.running }
        if a.ready != b.ready { return !a.ready }
        if a.sameNode != b.sameNode { return a.sameNode > b.sameNode }
        if a.readyBucket != b.readyBucket { return a.readyBucket < b.readyBucket }
        if a.createdBucket != b.createdBucket { return a.createdBucket < b.createdBucket }
        if a.uid != b.uid { return a.uid < b.uid }
        return a.id > b.id
    }
}
