import GRDB

/// The database schema, as an ordered list of named migrations.
///
/// Migrations are append-only: a released migration is never edited, because a user's existing
/// `k3sim.sqlite` has already applied it and GRDB records applied names in `grdb_migrations`.
/// Later features (costs, live validations) add tables in new migrations ("v2", ...) that
/// reference `run(id)` / `scenario(id)` the way the v1 child tables do.
///
/// Conventions of every table:
/// - snake_case names; the Swift side maps them explicitly (see `Rows.swift` and the readers).
/// - Every row that belongs to a run has `run_id REFERENCES run(id) ON DELETE CASCADE`, so deleting
///   a run (or a scenario) removes everything about it.
/// - Child tables have a composite primary key that starts with `run_id`; SQLite's index for that
///   key is the index on `run_id` (for reads and for cascading deletes), so no separate one is made.
/// - Arrays of the RunRecord keep their order in an explicit `seq` (0-based position), because
///   the record must read back exactly equal to what was written.
/// - Measured values are `REAL NOT NULL`. SQLite stores a bound NaN as NULL, so a NaN is
///   rejected by the constraint (and the whole save is rolled back) instead of reading back as 0.
enum Schema {
    /// The migrations in order, by the names GRDB records in `grdb_migrations`.
    static let migrations: [(identifier: String, body: @Sendable (Database) throws -> Void)] = [
        ("v1", { db in try v1(db) }),
        ("v2", { db in try v2(db) }),
        ("v3-primary", { db in try v3Primary(db) }),
        ("v4-costs", { db in try v4Costs(db) }),  // ResultStore+Costs.swift
        ("v5-live-validations", { db in try ResultStore.v5LiveValidations(db) }),  // ResultStore+Validations.swift
        ("v6-shards", { db in try ResultStore.v6Shards(db) }),  // ResultStore+Shards.swift
        ("v7-jobs", { db in try ResultStore.v7Jobs(db) }),  // ResultStore+Jobs.swift
        ("v8-autoscalers", { db in try ResultStore.v8Autoscalers(db) }),  // ResultStore+Autoscalers.swift
    ]

    /// The same migrations as a GRDB migrator (to read which are applied).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for m in migrations { migrator.registerMigration(m.identifier) { db in try m.body(db) } }
        return migrator
    }

    /// Whether every migration is applied already.
    static func isUpToDate(_ reader: some DatabaseReader) -> Bool {
        let applied = try? reader.read { db in Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")) }
        return applied.map { a in migrations.allSatisfy { a.contains($0.identifier) } } ?? false
    }

    /// Applies the pending migrations in one exclusive transaction.
    ///
    /// GRDB's migrator reads which migrations are applied outside the transactions it runs them in,
    /// so two processes that create the same database at once would both run "v1" and the second
    /// would fail ("table scenario already exists"). Here the second waits for the first (the
    /// connection's busy timeout), then finds nothing left to do. The bookkeeping is GRDB's own
    /// table, so databases made either way read the same. Every migration only creates tables or
    /// adds columns, so none needs foreign keys switched off.
    static func migrate(_ db: Database) throws {
        try db.inTransaction(.exclusive) {
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            for m in migrations where !applied.contains(m.identifier) {
                try m.body(db)
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [m.identifier])
            }
            return .commit
        }
    }

    /// Scenarios, runs and the full RunRecord of each run.
    static func v1(_ db: Database) throws {
        try createRunTables(db)
        try createFaultTables(db)
        try createSeriesTables(db)
    }

    /// The scenario texts, the runs and their workloads' results.
    private static func createRunTables(_ db: Database) throws {
        // The scenario text a run came from, deduplicated by content hash.
        try db.create(table: "scenario") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("name", .text).notNull()
            t.column("content_hash", .text).notNull().unique()
            t.column("text", .text).notNull()
            t.column("created_at", .text).notNull()
        }

        // One simulated or live run: the scalar part of its RunRecord.
        // `batch_id` is the id of the first run of a `--runs N` batch (that run included), NULL
        // for a single run; deleting the first run deletes its batch.
        // `scenario_name` is the RunRecord's own name, kept so the record reads back exactly even
        // if the same scenario text was first saved under another name.
        try db.create(table: "run") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("scenario_id", .integer).notNull().indexed()
                .references("scenario", onDelete: .cascade)
            t.column("batch_id", .integer).indexed()
                .references("run", onDelete: .cascade)
            t.column("scenario_name", .text).notNull()
            t.column("seed", .integer).notNull()  // UInt64 seed stored as its Int64 bit pattern
            t.column("source", .text).notNull()  // "simulation" or "live"
            t.column("k3sim_version", .text).notNull()
            t.column("created_at", .text).notNull().indexed()  // ISO-8601 UTC, sorts as text
            t.column("simulated_seconds", .real).notNull()
            t.column("wall_seconds", .real).notNull()
            t.column("events", .integer).notNull()
            t.column("pending_pods_at_end", .integer).notNull()
            t.column("write_unavailable_seconds", .real).notNull()
            t.column("leader_changes", .integer).notNull()
        }

        try db.create(table: "workload_result") { t in
            t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
            t.column("seq", .integer).notNull()
            t.column("name", .text).notNull()
            t.column("kind", .text).notNull()
            t.column("desired_replicas", .integer).notNull()
            t.column("availability", .real).notNull()
            t.column("seconds_below_desired", .real).notNull()
            t.column("seconds_unavailable", .real).notNull()
            t.column("min_ready_replicas", .integer).notNull()
            t.primaryKey(["run_id", "seq"])
        }

    }

    /// The faults of each run with their milestones and statistics.
    private static func createFaultTables(_ db: Database) throws {
        // A fault is identified in its run by its scenario index; `seq` keeps the record's order.
        try db.create(table: "fault") { t in
            t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
            t.column("fault_index", .integer).notNull()
            t.column("seq", .integer).notNull()
            t.column("action", .text).notNull()
            t.column("target", .text).notNull()
            t.column("at", .real).notNull()
            t.primaryKey(["run_id", "fault_index"])
            t.uniqueKey(["run_id", "seq"])
        }

        try db.create(table: "fault_milestone") { t in
            t.column("run_id", .integer).notNull()
            t.column("fault_index", .integer).notNull()
            t.column("seq", .integer).notNull()
            t.column("name", .text).notNull()
            t.column("at", .real).notNull()
            t.column("mechanism", .text).notNull()
            t.primaryKey(["run_id", "fault_index", "seq"])
            t.foreignKey(["run_id", "fault_index"], references: "fault", onDelete: .cascade)
        }

        try db.create(table: "fault_stat") { t in
            t.column("run_id", .integer).notNull()
            t.column("fault_index", .integer).notNull()
            t.column("key", .text).notNull()
            t.column("value", .real).notNull()
            t.primaryKey(["run_id", "fault_index", "key"])
            t.foreignKey(["run_id", "fault_index"], references: "fault", onDelete: .cascade)
        }

    }

    /// The time series of each run and its notes.
    private static func createSeriesTables(_ db: Database) throws {
        // A time series of a run. Its own table (rather than kind/entity on every point) keeps
        // the order of the series and series without points, so the record reads back exactly;
        // reports join it with `series_point` on (run_id, series_index).
        try db.create(table: "series") { t in
            t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
            t.column("series_index", .integer).notNull()
            t.column("kind", .text).notNull()
            t.column("entity", .text).notNull()
            t.primaryKey(["run_id", "series_index"])
        }
        try db.create(index: "series_on_run_kind_entity", on: "series", columns: ["run_id", "kind", "entity"])

        try db.create(table: "series_point") { t in
            t.column("run_id", .integer).notNull()
            t.column("series_index", .integer).notNull()
            t.column("seq", .integer).notNull()
            t.column("t", .real).notNull()
            t.column("value", .real).notNull()
            t.column("label", .text)
            t.primaryKey(["run_id", "series_index", "seq"])
            t.foreignKey(["run_id", "series_index"], references: "series", onDelete: .cascade)
        }

        try db.create(table: "run_note") { t in
            t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
            t.column("seq", .integer).notNull()
            t.column("text", .text).notNull()
            t.primaryKey(["run_id", "seq"])
        }
    }

    /// The topology of a run (`RunRecord.topology`): its nodes and the requests of its workloads.
    ///
    /// Reports show them next to the results. Runs saved before v2 have no rows here and read back
    /// with `topology == nil`.
    static func v2(_ db: Database) throws {
        // One row per run that has a topology. It tells an empty topology (no nodes, no
        // workloads) from none at all, so the record reads back exactly.
        try db.create(table: "run_topology") { t in
            t.primaryKey("run_id", .integer).references("run", onDelete: .cascade)
        }

        // The labels a report shows are nullable because explicit nodes need not carry them.
        // `taints` is a JSON array of `key=value:Effect` strings: a display list, never queried.
        try db.create(table: "topology_node") { t in
            t.column("run_id", .integer).notNull().references("run_topology", column: "run_id", onDelete: .cascade)
            t.column("seq", .integer).notNull()
            t.column("name", .text).notNull()
            t.column("pool", .text).notNull()
            t.column("instance_type", .text)
            t.column("region", .text)
            t.column("zone", .text)
            t.column("allocatable_millicpu", .integer).notNull()
            t.column("allocatable_memory_bytes", .integer).notNull()
            t.column("allocatable_pods", .integer).notNull()
            t.column("taints", .text).notNull()
            t.primaryKey(["run_id", "seq"])
        }

        // `replicas` is NULL for a DaemonSet (one per eligible node). Requests are per replica.
        try db.create(table: "topology_workload") { t in
            t.column("run_id", .integer).notNull().references("run_topology", column: "run_id", onDelete: .cascade)
            t.column("seq", .integer).notNull()
            t.column("name", .text).notNull()
            t.column("kind", .text).notNull()
            t.column("replicas", .integer)
            t.column("request_millicpu", .integer).notNull()
            t.column("request_memory_bytes", .integer).notNull()
            t.primaryKey(["run_id", "seq"])
        }
    }

    /// CloudNativePG clusters: seconds without a Ready primary (NULL for other workloads).
    static func v3Primary(_ db: Database) throws {
        try db.alter(table: "workload_result") { t in
            t.add(column: "seconds_without_primary", .real)
        }
    }
}
