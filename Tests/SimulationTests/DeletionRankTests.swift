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
            DeletionRank(
                node: rng.next() % 10 == 0 ? nil : Int(rng.next() % 20), running: rng.next() % 5 != 0,
                ready: rng.next() % 4 != 0, sameNode: Int(rng.next() % 4), readyBucket: Int(rng.next() % 3),
                createdBucket: Int(rng.next() % 3), uid: rng.next() % 8, id: PodID(id))
        }
        for k in [0, 1, 2, 5, count / 10, count / 2, count, count + 3] {
            #expect(DeletionRank.smallest(k, of: ranks).map(\.id) == Array(ranks.sorted().prefix(k)).map(\.id), "k = \(k)")
        }
    }

    /// Ages are ranked by log2 of nanoseconds, not seconds: 4.1 s and 4.5 s straddle 2^32 ns
    /// (4.29 s) and rank apart, 2.2 s and 3.9 s share rank 31.
    @Test func ageRanksAreLog2OfNanoseconds() {
        #expect(DeletionRank.ageBucket(.milliseconds(4100)) == 31)
        #expect(DeletionRank.ageBucket(.milliseconds(4500)) == 32)
        #expect(DeletionRank.ageBucket(.milliseconds(2200)) == DeletionRank.ageBucket(.milliseconds(3900)))
        #expect(DeletionRank.ageBucket(.zero) == 0)
    }

    /// "Doubled up" counts the related pods on a pod's node — those of every ReplicaSet of the
    /// Deployment (`relatedSets`), not only the set's own: with one more related pod on the
    /// first pod's node, that pod goes before its lone sibling.
    @Test func doubledUpCountsTheDeploymentsOtherReplicaSets() throws {
        var w = Workloads()
        w.deployments = [Support.deployment("web", replicas: 2)]
        let spec = ClusterSpec(
            name: "t", duration: .minutes(2), nodes: [Support.node("n1"), Support.node("n2", zone: "b")],
            workloads: w, timing: [Support.constantTiming])
        let sim = ClusterSimulation(spec: spec)
        _ = sim.run()
        let rs = sim.deployments[0].replicaSets[0]
        let pods = sim.replicaSets[rs].pods.sorted()
        #expect(pods.count == 2)
        let onFirst = try #require(sim.pods[pods[0]]?.node)
        let onSecond = try #require(sim.pods[pods[1]]?.node)
        #expect(onFirst != onSecond, "spread over the two nodes")
        // A second set of the Deployment with one pod on the first pod's node.
        var sets = sim.replicaSets
        let other = sets.count
        #expect(
            ReplicaSetController.podsToDelete(from: Set(pods), count: 1, relatedSets: [rs], sets: sets, in: sim).count == 1)
        sets.append(sets[rs])
        sets[other].activeOnNode = [onFirst: 1]
        #expect(
            ReplicaSetController.podsToDelete(from: Set(pods), count: 1, relatedSets: [rs, other], sets: sets, in: sim)
                == [pods[0]])
    }
}
