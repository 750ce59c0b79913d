import Foundation
import GRDB
import Simulation

extension ResultStore {
    /// Saves the runs of one scenario and returns their run ids, in the order of `records`.
    ///
    /// Everything is written in one write transaction: either all runs with all their rows are
    /// stored, or (on any error) nothing is, not even the scenario. A half-saved batch would make
    /// batch statistics silently wrong, which is worse than no result.
    ///
    /// - The scenario row is found by the content hash of `scenarioText` and reused when the text
    ///   was saved before (under any name); otherwise it is created with `scenarioName`.
    /// - With more than one record, every run gets `batch_id` = the first run's id.
    /// - A NaN in any measured value is rejected (SQLite cannot store NaN; see `Schema`).
    /// - An empty `records` writes nothing and returns `[]`.
    /// - `shard`, for one shard of a sweep (`run --shard I/K`), is stored with the batch so that
    ///   `merge` can join the shards of a sweep into one batch.
    /// - `costs`, the platform's cost options (`run_cost`), are stored for every run in the same
    ///   transaction: a run is never stored without the costs it was run with.
    @discardableResult
    public func save(
        scenarioName: String, scenarioText: String, records: [RunRecord],
        k3simVersion: String, createdAt: Date = Date(), shard: SweepShard? = nil,
        costs: [StoredCostOption] = []
    ) throws -> [Int64] {
        guard !records.isEmpty else { return [] }
        let noun = records.count == 1 ? "run" : "runs"
        return try perform("cannot save \(records.count) \(noun) of scenario \"\(scenarioName)\" to \(path)") {
            try dbQueue.write { db in
                let ids = try Self.insertRuns(
                    db, scenarioName: scenarioName, scenarioText: scenarioText, records: records,
                    k3simVersion: k3simVersion, createdAt: createdAt)
                if let shard { try Self.insertShard(db, shard, batchID: ids[0]) }
                try Self.insertCosts(db, costs, runIDs: ids)
                return ids
            }
        }
    }

    /// The body of `save` inside the caller's transaction (also used by `merge`).
    static func insertRuns(
        _ db: Database, scenarioName: String, scenarioText: String, records: [RunRecord],
        k3simVersion: String, createdAt: Date
    ) throws -> [Int64] {
        let timestamp = Timestamp.string(createdAt)
        let scenarioID = try scenarioID(db, name: scenarioName, text: scenarioText, createdAt: timestamp)
        var ids: [Int64] = []
        ids.reserveCapacity(records.count)
        for record in records {
            var row = RunRow(
                record: record, scenarioID: scenarioID, batchID: ids.first,
                k3simVersion: k3simVersion, createdAt: timestamp)
            try row.insert(db)
            guard let runID = row.id else {
                throw StoreError("the database returned no id for a new run")
            }
            if records.count > 1 && ids.isEmpty {
                // The batch is named after its first run, whose id is only known now.
                row.batchId = runID
                try row.update(db, columns: [RunRow.CodingKeys.batchId.rawValue])
            }
            try insertDetails(db, of: record, runID: runID)
            try insertTopology(db, of: record, runID: runID)
            ids.append(runID)
        }
        return ids
    }

    /// The id of the scenario row holding exactly `text`, inserting it if it is new.
    private static func scenarioID(_ db: Database, name: String, text: String, createdAt: String) throws -> Int64 {
        let hash = ContentHash.fnv1a64(text)
        if let existing = try ScenarioRow.filter(ScenarioRow.Columns.contentHash == hash).fetchOne(db) {
            guard existing.text == text, let id = existing.id else {
                throw StoreError(
                    "scenario \"\(name)\" has the same content hash (\(hash)) as the different "
                        + "scenario \"\(existing.name)\" already stored")
            }
            return id
        }
        var row = ScenarioRow(id: nil, name: name, contentHash: hash, text: text, createdAt: createdAt)
        try row.insert(db)
        guard let id = row.id else { throw StoreError("the database returned no id for a new scenario") }
        return id
    }

    /// Writes the array parts of a RunRecord.
    ///
    /// These are the bulk of a save (a long run has thousands of series points), so each table has
    /// one prepared statement, compiled once per connection by `cachedStatement` and re-executed
    /// with new arguments.
    private static func insertDetails(_ db: Database, of record: RunRecord, runID: Int64) throws {
        let workload = try db.cachedStatement(
            sql: """
                INSERT INTO workload_result (run_id, seq, name, kind, desired_replicas, availability,
                    seconds_below_desired, seconds_unavailable, min_ready_replicas, seconds_without_primary)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (seq, w) in record.workloads.enumerated() {
            try workload.execute(arguments: [
                runID, seq, w.name, w.kind, w.desiredReplicas, w.availability,
                w.secondsBelowDesired, w.secondsUnavailable, w.minReadyReplicas,
                w.secondsWithoutPrimary,
            ])
        }

        let fault = try db.cachedStatement(
            sql: """
                INSERT INTO fault (run_id, fault_index, seq, action, target, at) VALUES (?, ?, ?, ?, ?, ?)
                """)
        let milestone = try db.cachedStatement(
            sql: """
                INSERT INTO fault_milestone (run_id, fault_index, seq, name, at, mechanism) VALUES (?, ?, ?, ?, ?, ?)
                """)
        let stat = try db.cachedStatement(
            sql: """
                INSERT INTO fault_stat (run_id, fault_index, key, value) VALUES (?, ?, ?, ?)
                """)
        for (seq, f) in record.faults.enumerated() {
            try fault.execute(arguments: [runID, f.index, seq, f.action, f.target, f.at])
            for (mseq, m) in f.milestones.enumerated() {
                try milestone.execute(arguments: [runID, f.index, mseq, m.name.rawValue, m.at, m.mechanism])
            }
            // Sorted only so the file's contents do not depend on dictionary order.
            for key in f.stats.keys.sorted() {
                try stat.execute(arguments: [runID, f.index, key, f.stats[key]])
            }
        }

        let series = try db.cachedStatement(
            sql: """
                INSERT INTO series (run_id, series_index, kind, entity) VALUES (?, ?, ?, ?)
                """)
        let point = try db.cachedStatement(
            sql: """
                INSERT INTO series_point (run_id, series_index, seq, t, value, label) VALUES (?, ?, ?, ?, ?, ?)
                """)
        for (index, s) in record.series.enumerated() {
            try series.execute(arguments: [runID, index, s.kind, s.entity])
            for (seq, p) in s.points.enumerated() {
                try point.execute(arguments: [runID, index, seq, p.t, p.value, p.label])
            }
        }

        let note = try db.cachedStatement(sql: "INSERT INTO run_note (run_id, seq, text) VALUES (?, ?, ?)")
        for (seq, text) in record.notes.enumerated() {
            try note.execute(arguments: [runID, seq, text])
        }
        try insertJobResults(db, of: record, runID: runID)
        try insertAutoscalerResults(db, of: record, runID: runID)
    }
}
