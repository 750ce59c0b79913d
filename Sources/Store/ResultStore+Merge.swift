import Foundation
import GRDB
import Simulation

/// What `merge` did, for the command to print.
public struct MergeSummary: Sendable, Equatable {
    public struct Sweep: Sendable, Equatable {
        public var scenarioName: String
        public var firstSeed: UInt64
        public var runs: Int
        public var shardCount: Int
        /// Shard indices found, ascending.
        public var shards: [Int]
        /// The merged batch in the target database (its first run's id).
        public var batchID: Int64
        public var storedRuns: Int
        public var missing: [Int] { (0..<shardCount).filter { !shards.contains($0) } }
    }

    /// Every run copied, shards included.
    public var runs: Int
    /// Batches (and single runs) copied as they were.
    public var batches: Int
    public var sweeps: [Sweep]
    public var validations: Int
}

/// A merge that would make a wrong sweep; nothing is written.
///
/// That is the same shard twice, or a shard whose runs do not have its seeds.
public struct MergeConflict: Error, CustomStringConvertible, Sendable {
    public var description: String
}

extension ResultStore {
    /// Copies every run of `sources` (with its series, topology, costs and validations) into this store in one transaction.
    ///
    /// On any error nothing is written. Batches and single runs keep their grouping; the shards of
    /// one sweep (`run --shard I/K`, same scenario text, first seed, run count and shard count)
    /// become one batch ordered by seed, so that reports treat the sweep as if it had run in one
    /// `--runs N` (a sweep with shards missing is joined too, and `MergeSummary.Sweep.missing` says
    /// which; merge every shard in one call). Units are inserted oldest first (a merged sweep
    /// counts as saved when its first shard was), so run ids follow save time. `names` label the
    /// sources in error messages. The sources are read whole into memory first (a run of the
    /// reference scenario is about 25 KB on disk).
    public func merge(_ sources: [ResultStore], names: [String]) throws -> MergeSummary {
        let contents = try zip(sources, names).map { source, name in (name, try source.batches()) }
        let units = try Self.units(of: contents)
        // Ties (runs saved in the same millisecond) keep the order of the sources.
        let order = units.indices.sorted { (units[$0].createdAt, $0) < (units[$1].createdAt, $1) }

        return try perform("cannot merge \(names.joined(separator: ", ")) into \(path)") {
            try dbQueue.write { db in
                var summary = MergeSummary(runs: 0, batches: 0, sweeps: [], validations: 0)
                var ids = MergedIDs()
                for u in order { try Self.insert(units[u], into: db, ids: &ids, summary: &summary) }
                summary.validations = try Self.insertValidations(of: units, into: db, ids: ids)
                return summary
            }
        }
    }

    /// The batches to write: each batch as it is, and the shards of each sweep joined in
    /// shard order (sweeps after the batches, in the order first seen).
    private static func units(of contents: [(String, [StoredBatch])]) throws -> [Unit] {
        var units: [Unit] = []
        var sweeps: [SweepKey: [(name: String, batch: StoredBatch, index: Int)]] = [:]
        var sweepOrder: [SweepKey] = []
        for (name, batches) in contents {
            for batch in batches {
                guard let shard = batch.shard else {
                    units.append(Unit(parts: [(name, batch)], shard: nil))
                    continue
                }
                try check(batch, shard, in: name)
                let key = SweepKey(
                    scenarioText: batch.runs[0].scenarioText, firstSeed: shard.firstSeed,
                    runs: shard.runs, count: shard.count)
                if let twin = sweeps[key]?.first(where: { $0.index == shard.index }) {
                    throw MergeConflict(
                        description: "shard \(shard.label) of the sweep of \(shard.runs) runs of scenario "
                            + "\"\(batch.runs[0].scenarioName)\" from seed \(shard.firstSeed) is in both "
                            + "\(twin.name) and \(name); merge each shard once")
                }
                if sweeps[key] == nil { sweepOrder.append(key) }
                sweeps[key, default: []].append((name, batch, shard.index))
            }
        }
        for key in sweepOrder {
            let parts = (sweeps[key] ?? []).sorted { $0.index < $1.index }
            units.append(Unit(parts: parts.map { ($0.name, $0.batch) }, shard: key, shards: parts.map(\.index)))
        }
        return units
    }

    /// Writes one unit's runs and costs as one batch, noting the new run ids.
    private static func insert(
        _ unit: Unit, into db: Database, ids: inout MergedIDs, summary: inout MergeSummary
    ) throws {
        let runs = unit.parts.flatMap { $0.batch.runs }
        let first = runs[0]
        let newIDs = try insertRuns(
            db, scenarioName: first.scenarioName, scenarioText: first.scenarioText,
            records: runs.map(\.record), k3simVersion: first.k3simVersion, createdAt: unit.createdAt)
        var offset = 0
        for part in unit.parts {
            let name = part.source
            for (i, run) in part.batch.runs.enumerated() {
                try insertCosts(db, part.batch.costs[i], runIDs: [newIDs[offset + i]])
                ids.run[name, default: [:]][run.id] = newIDs[offset + i]
            }
            ids.batch[name, default: [:]][part.batch.runs[0].id] = newIDs[0]
            offset += part.batch.runs.count
        }
        summary.runs += runs.count
        if let key = unit.shard {
            summary.sweeps.append(
                .init(
                    scenarioName: first.scenarioName, firstSeed: key.firstSeed, runs: key.runs,
                    shardCount: key.count, shards: unit.shards, batchID: newIDs[0], storedRuns: runs.count))
        } else {
            summary.batches += 1
        }
    }

    /// Writes the validations whose live run and simulated batch were both copied; returns
    /// how many.
    private static func insertValidations(of units: [Unit], into db: Database, ids: MergedIDs) throws -> Int {
        var count = 0
        for part in units.flatMap(\.parts) {
            let name = part.source
            for (v, createdAt) in part.batch.validations {
                guard let live = ids.run[name]?[v.liveRunID],
                    let simulated = ids.batch[name]?[v.simulatedBatchID] ?? ids.run[name]?[v.simulatedBatchID]
                else {
                    continue  // its simulated runs were not in the same source: nothing to attach it to
                }
                var copy = v
                copy.liveRunID = live
                copy.simulatedBatchID = simulated
                _ = try insertValidation(db, copy, createdAt: createdAt)
                count += 1
            }
        }
        return count
    }

    /// Every batch (and single run) of this store with what belongs to it, in id order.
    func batches() throws -> [StoredBatch] {
        try perform("cannot read the runs of \(path)") {
            try dbQueue.read { db in
                let rows = try RunRow.order(RunRow.Columns.id).fetchAll(db)
                var batches: [StoredBatch] = []
                var index: [Int64: Int] = [:]
                for row in rows {
                    let run = try Self.storedRun(db, row)
                    let costs = try Self.readCosts(db, runID: run.id)
                    let validations = try Self.readValidations(db, liveRunID: run.id)
                    let key = run.batchID ?? run.id
                    if let i = index[key] {
                        batches[i].runs.append(run); batches[i].costs.append(costs)
                        batches[i].validations += validations
                    } else {
                        index[key] = batches.count
                        batches.append(
                            StoredBatch(
                                runs: [run], costs: [costs], validations: validations,
                                shard: try Self.readShard(db, batchID: key)))
                    }
                }
                return batches
            }
        }
    }

    /// A shard's runs must be exactly its seeds, in order: anything else is not the shard the
    /// row says, and merging it would make the sweep's statistics silently wrong.
    private static func check(_ batch: StoredBatch, _ shard: SweepShard, in name: String) throws {
        let seeds = batch.runs.map(\.record.seed)
        guard seeds == shard.seeds else {
            throw MergeConflict(
                description: "\(name): batch #\(batch.runs[0].id) says it is shard \(shard.label) of "
                    + "\(shard.runs) runs from seed \(shard.firstSeed) but holds seeds "
                    + "\(seeds.first.map(String.init) ?? "none")…\(seeds.last.map(String.init) ?? "none") "
                    + "(\(seeds.count) runs) instead of \(shard.seeds.count) runs from seed "
                    + "\(shard.seeds.first.map(String.init) ?? "none")")
        }
    }
}

/// A batch read back with its costs (per run) and the validations of its live runs.
struct StoredBatch {
    var runs: [StoredRun]
    var costs: [[StoredCostOption]]
    var validations: [(record: ValidationRecord, createdAt: Date)]
    var shard: SweepShard?
}

/// What identifies one sweep across shard databases.
private struct SweepKey: Hashable {
    var scenarioText: String
    var firstSeed: UInt64
    var runs: Int
    var count: Int
}

/// One batch to write: a batch copied as it is, or the shards of one sweep joined.
private struct Unit {
    /// The source database's name, and a batch read from it (never empty).
    let parts: [(source: String, batch: StoredBatch)]
    let shard: SweepKey?
    /// The sweep's shard indices found, ascending.
    let shards: [Int]
    /// When its earliest part was saved.
    let createdAt: Date

    init(parts: [(source: String, batch: StoredBatch)], shard: SweepKey?, shards: [Int] = []) {
        self.parts = parts
        self.shard = shard
        self.shards = shards
        createdAt = parts.dropFirst().reduce(parts[0].batch.runs[0].createdAt) { min($0, $1.batch.runs[0].createdAt) }
    }
}

/// Source batch's first run id, or a run's id → its id in the target, per source name:
/// validations refer to a live run and to the first run of a simulated batch.
private struct MergedIDs {
    var run: [String: [Int64: Int64]] = [:]
    var batch: [String: [Int64: Int64]] = [:]
}
