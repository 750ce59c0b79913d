import Foundation
import GRDB
import Simulation
import Testing

@testable import Store

/// `merge`: shard databases of a sweep become one batch, everything else is copied as it was,
/// and a conflicting merge writes nothing.
@Suite struct MergeTests {
    let text = "apiVersion: k3sim/v1alpha1 # sweep"
    let day = Date(timeIntervalSince1970: 1_790_000_000)

    func records(_ seeds: [UInt64]) -> [RunRecord] {
        seeds.map { seed in
            var r = sampleRecord(seed: seed, scenarioName: "sweep")
            r.events = Int(seed) * 7  // differs per run, so a wrong order shows
            return r
        }
    }

    /// Saves shard `index` of a 10-run sweep from seed 100 in `count` shards into a new store.
    func shardStore(_ index: Int, of count: Int, createdAt: Date) throws -> ResultStore {
        let shard = SweepShard(firstSeed: 100, runs: 10, index: index, count: count)
        let store = try ResultStore.inMemory()
        try store.save(
            scenarioName: "sweep", scenarioText: text, records: records(shard.seeds), k3simVersion: "t",
            createdAt: createdAt, shard: shard)
        return store
    }

    @Test func shardsPartitionEverySweep() {
        for runs in 1...40 {
            for count in 1...runs {
                let shards = (0..<count).map { SweepShard(firstSeed: 7, runs: runs, index: $0, count: count) }
                #expect(shards.flatMap(\.seeds) == (0..<runs).map { 7 + UInt64($0) })
                let sizes = shards.map(\.seeds.count)
                #expect(sizes.max()! - sizes.min()! <= 1 && sizes.min()! >= 1)
            }
        }
        #expect(SweepShard.problem(runs: 3, index: 0, count: 4) != nil)
        #expect(SweepShard.problem(runs: 3, index: 3, count: 3) != nil)
        #expect(SweepShard.problem(runs: 3, index: 2, count: 3) == nil)
    }

    @Test func shardsOfASweepBecomeTheBatchOfOneRun() throws {
        let whole = try ResultStore.inMemory()
        let wholeIDs = try whole.save(
            scenarioName: "sweep", scenarioText: text, records: records(Array(100..<110)),
            k3simVersion: "t", createdAt: day)
        // Shards given out of order and saved at different times: the merged batch is ordered by
        // seed and dated by its first shard.
        let s2 = try shardStore(2, of: 3, createdAt: day.addingTimeInterval(60))
        let s0 = try shardStore(0, of: 3, createdAt: day)
        let s1 = try shardStore(1, of: 3, createdAt: day.addingTimeInterval(30))
        let merged = try ResultStore.inMemory()
        let summary = try merged.merge([s2, s0, s1], names: ["s2", "s0", "s1"])
        #expect(summary.runs == 10 && summary.batches == 0)
        #expect(summary.sweeps.count == 1 && summary.sweeps[0].shards == [0, 1, 2] && summary.sweeps[0].missing.isEmpty)
        let a = try whole.batch(id: wholeIDs[0]), b = try merged.batch(id: summary.sweeps[0].batchID)
        #expect(b.map(\.id) == a.map(\.id))
        #expect(b.map(\.record) == a.map(\.record))
        #expect(b.map(\.createdAt) == a.map(\.createdAt))
        #expect(b.map(\.batchID) == a.map(\.batchID))
        #expect(try merged.shard(batchID: b[0].id) == nil)  // a whole sweep is an ordinary batch
    }

    @Test func otherRunsCostsAndValidationsAreCopied() throws {
        let source = try ResultStore.inMemory()
        let sims = try source.save(
            scenarioName: "s", scenarioText: "x", records: records([1, 2]), k3simVersion: "t", createdAt: day)
        var live = sampleRecord(seed: 9, scenarioName: "s"); live.source = "live"
        let liveID = try source.save(
            scenarioName: "s", scenarioText: "x", records: [live], k3simVersion: "t",
            createdAt: day.addingTimeInterval(5))[0]
        let cost = StoredCostOption(
            provider: "hetzner", distribution: "k3s", region: "eu-central", origin: "scenario",
            currency: "EUR", monthly: 10, items: [])
        try source.saveCosts([cost], runIDs: sims)
        let validation = ValidationRecord(
            kind: "drill", scenarioName: "s", liveRunID: liveID, simulatedBatchID: sims[0],
            simulatedRuns: 2, toleranceSeconds: 0.5, milestones: [])
        try source.saveValidation(validation)

        // The target already holds a run: copied runs get new ids, references follow them.
        let target = try ResultStore.inMemory()
        try target.save(scenarioName: "other", scenarioText: "y", records: records([5]), k3simVersion: "t")
        let summary = try target.merge([source], names: ["source"])
        #expect(summary.runs == 3 && summary.batches == 2 && summary.sweeps.isEmpty && summary.validations == 1)
        let copiedBatch = try target.batch(id: 2)
        #expect(copiedBatch.map(\.record) == records([1, 2]))
        #expect(try target.costs(runID: 3) == [cost])
        #expect(try target.run(id: 4)?.record == live)
        var moved = validation; moved.liveRunID = 4; moved.simulatedBatchID = 2
        #expect(try target.validations(liveRunID: 4) == [moved])
    }

    @Test func aShardTwiceOrAWrongShardWritesNothing() throws {
        let target = try ResultStore.inMemory()
        let a = try shardStore(1, of: 2, createdAt: day), b = try shardStore(1, of: 2, createdAt: day)
        #expect(throws: MergeConflict.self) { try target.merge([a, b], names: ["a", "b"]) }

        // A batch that claims to be shard 0/2 but holds the seeds of shard 1/2.
        let wrong = try ResultStore.inMemory()
        try wrong.save(
            scenarioName: "sweep", scenarioText: text, records: records(Array(105..<110)), k3simVersion: "t",
            shard: SweepShard(firstSeed: 100, runs: 10, index: 0, count: 2))
        let good = try shardStore(1, of: 2, createdAt: day)
        #expect(throws: MergeConflict.self) { try target.merge([good, wrong], names: ["good", "wrong"]) }
        #expect(try target.runs().isEmpty)
    }

    @Test func aSweepWithAMissingShardIsJoinedAndSaysSo() throws {
        let target = try ResultStore.inMemory()
        let s0 = try shardStore(0, of: 3, createdAt: day), s2 = try shardStore(2, of: 3, createdAt: day)
        let summary = try target.merge([s0, s2], names: ["s0", "s2"])
        #expect(summary.sweeps.first?.missing == [1])
        #expect(try target.batch(id: summary.sweeps[0].batchID).map(\.record.seed) == [100, 101, 102, 106, 107, 108, 109])
    }
}
