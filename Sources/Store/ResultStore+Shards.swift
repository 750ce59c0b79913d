import GRDB
import Simulation

extension ResultStore {
    /// The `shard` table: which part of a sweep a batch is, keyed by the batch's first run.
    ///
    /// Shards come from `k3sim run --runs N --shard I/K`. A sweep is identified by its scenario
    /// text, first seed, run count and shard count; `merge` joins the shards of one sweep into one
    /// batch.
    static func v6Shards(_ db: Database) throws {
        try db.create(table: "shard") { t in
            t.primaryKey("batch_id", .integer).references("run", onDelete: .cascade)
            t.column("first_seed", .integer).notNull()  // UInt64 as its Int64 bit pattern, like run.seed
            t.column("runs", .integer).notNull()
            t.column("shard_index", .integer).notNull()
            t.column("shard_count", .integer).notNull()
        }
    }

    static func insertShard(_ db: Database, _ shard: SweepShard, batchID: Int64) throws {
        try db.execute(
            sql: "INSERT INTO shard (batch_id, first_seed, runs, shard_index, shard_count) VALUES (?, ?, ?, ?, ?)",
            arguments: [batchID, Int64(bitPattern: shard.firstSeed), shard.runs, shard.index, shard.count])
    }

    static func readShard(_ db: Database, batchID: Int64) throws -> SweepShard? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM shard WHERE batch_id = ?", arguments: [batchID]) else {
            return nil
        }
        return SweepShard(
            firstSeed: UInt64(bitPattern: row["first_seed"] as Int64), runs: row["runs"],
            index: row["shard_index"], count: row["shard_count"])
    }

    /// The shard stored with the batch whose first run is `batchID`, if it is one.
    public func shard(batchID: Int64) throws -> SweepShard? {
        try perform("cannot read the shard of batch \(batchID) from \(path)") {
            try dbQueue.read { db in try Self.readShard(db, batchID: batchID) }
        }
    }
}
