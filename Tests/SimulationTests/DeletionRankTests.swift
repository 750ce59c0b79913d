import SimKernel
import Testing
@testable import Simulation

/// The scale-down order: `DeletionRank.smallest` (a bounded heap when few pods go) picks the
/// same pods in the same order as sorting them all.
struct DeletionRankTests {
    @Test(arguments: [UInt64](1...20))
    func smallestEqualsTheSortedPrefix(seed: UInt64) {
        var rng = RandomStream(seed: seed, entity: "deletion-rank", purpose: "ranks")
        let count = 1 + Int(rng.next() % 400)
        let ranks = (0..<count).map { id in
            DeletionRank(node: rng.next() % 10 == 0 ? nil : Int(rng.next() % 20), running: rng.next() % 5 != 0,
                         ready: rng.next() % 4 != 0, sameNode: Int(rng.next() % 4), readyBucket: Int(rng.next() % 3),
                         createdBucket: Int(rng.next() % 3), id: id)
        }
        for k in [0, 1, 2, 5, count / 10, count / 2, count, count + 3] {
            #expect(DeletionRank.smallest(k, of: ranks).map(\.id) == Array(ranks.sorted().prefix(k)).map(\.id), "k = \(k)")
        }
    }
}
