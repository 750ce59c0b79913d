import Foundation
import GRDB
import Simulation

extension ResultStore {
    /// Saved runs, newest first, at most `limit` of them.
    ///
    /// Newest by save time, then by id so the runs of a batch stay in order. Cheap: reads only the
    /// `run` and `scenario` rows.
    public func runs(limit: Int? = nil) throws -> [StoredRunSummary] {
        try perform("cannot list the runs in \(path)") {
            try dbQueue.read { db in
                var sql = """
                    SELECT run.id, run.seed, run.source, run.batch_id, run.created_at, run.simulated_seconds,
                           run.wall_seconds, run.events, scenario.name AS scenario_name
                    FROM run JOIN scenario ON scenario.id = run.scenario_id
                    ORDER BY run.created_at DESC, run.id DESC
                    """
                var arguments = StatementArguments()
                if let limit {
                    sql += " LIMIT ?"
                    arguments += [max(limit, 0)]
                }
                return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                    StoredRunSummary(
                        id: row["id"], scenarioName: row["scenario_name"],
                        seed: UInt64(bitPattern: row["seed"] as Int64), source: row["source"], batchID: row["batch_id"],
                        createdAt: try Timestamp.date(row["created_at"]),
                        simulatedSeconds: row["simulated_seconds"], wallSeconds: row["wall_seconds"],
                        events: row["events"])
                }
            }
        }
    }

    /// The id of the newest run (as ordered by `runs(limit:)`), or nil when none was saved.
    public func latestRunID() throws -> Int64? {
        try perform("cannot find the latest run in \(path)") {
            try dbQueue.read { db in
                try RunRow
                    .select(RunRow.Columns.id)
                    .order(RunRow.Columns.createdAt.desc, RunRow.Columns.id.desc)
                    .asRequest(of: Int64.self)
                    .fetchOne(db)
            }
        }
    }

    /// The run with this id and its full RunRecord, or nil if there is no such run.
    public func run(id: Int64) throws -> StoredRun? {
        try perform("cannot read run \(id) from \(path)") {
            try dbQueue.read { db in
                guard let row = try RunRow.fetchOne(db, key: id) else { return nil }
                return try Self.storedRun(db, row)
            }
        }
    }

    /// All runs of the batch whose first run has this id, in id (= run) order.
    ///
    /// A single run is a batch of one, so its id gives `[that run]`; an unknown id gives `[]`.
    public func batch(id: Int64) throws -> [StoredRun] {
        try perform("cannot read batch \(id) from \(path)") {
            try dbQueue.read { db in
                let rows =
                    try RunRow
                    .filter(
                        RunRow.Columns.batchId == id
                            || (RunRow.Columns.id == id && RunRow.Columns.batchId == nil)
                    )
                    .order(RunRow.Columns.id)
                    .fetchAll(db)
                return try rows.map { try Self.storedRun(db, $0) }
            }
        }
    }

    // MARK: - Rebuilding a RunRecord

    static func storedRun(_ db: Database, _ run: RunRow) throws -> StoredRun {
        guard let runID = run.id,
            let scenario = try ScenarioRow.fetchOne(db, key: run.scenarioId)
        else {
            throw StoreError("run \(run.id ?? -1) refers to scenario \(run.scenarioId), which is missing")
        }
        var record = RunRecord(
            scenarioName: run.scenarioName, seed: run.unsignedSeed, source: run.source,
            simulatedSeconds: run.simulatedSeconds, wallSeconds: run.wallSeconds, events: run.events,
            workloads: try workloads(db, runID), faults: try faults(db, runID),
            controlPlane: ControlPlaneResult(
                writeUnavailableSeconds: run.writeUnavailableSeconds,
                leaderChanges: run.leaderChanges),
            pendingPodsAtEnd: run.pendingPodsAtEnd, series: try series(db, runID), notes: try notes(db, runID),
            topology: try topology(db, runID))
        (record.jobs, record.cronJobs) = try jobResults(db, runID)
        record.autoscalers = try autoscalerResults(db, runID)
        return StoredRun(
            id: runID, batchID: run.batchId, scenarioName: scenario.name, scenarioText: scenario.text,
            k3simVersion: run.k3simVersion, createdAt: try Timestamp.date(run.createdAt), record: record)
    }

    private static func workloads(_ db: Database, _ runID: Int64) throws -> [WorkloadResult] {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT name, kind, desired_replicas, availability, seconds_below_desired, seconds_unavailable,
                           min_ready_replicas, seconds_without_primary
                    FROM workload_result WHERE run_id = ? ORDER BY seq
                    """), arguments: [runID])
        return rows.map { row in
            WorkloadResult(
                name: row["name"], kind: row["kind"], desiredReplicas: row["desired_replicas"],
                availability: row["availability"], secondsBelowDesired: row["seconds_below_desired"],
                secondsUnavailable: row["seconds_unavailable"],
                minReadyReplicas: row["min_ready_replicas"],
                secondsWithoutPrimary: row["seconds_without_primary"])
        }
    }

    private static func faults(_ db: Database, _ runID: Int64) throws -> [FaultResult] {
        var milestones: [Int: [Milestone]] = [:]
        let milestoneRows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT fault_index, name, at, mechanism FROM fault_milestone WHERE run_id = ? ORDER BY fault_index, seq
                    """), arguments: [runID])
        while let row = try milestoneRows.next() {
            let stored: String = row["name"]
            guard let name = MilestoneName(rawValue: stored) else {
                throw StoreError(
                    "run \(runID) has a milestone named \(stored), which this k3sim does not know; read it with the k3sim that wrote it"
                )
            }
            milestones[row["fault_index"], default: []]
                .append(Milestone(name: name, at: row["at"], mechanism: row["mechanism"]))
        }

        var stats: [Int: [String: Double]] = [:]
        let statRows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT fault_index, key, value FROM fault_stat WHERE run_id = ?
                    """), arguments: [runID])
        while let row = try statRows.next() {
            stats[row["fault_index"], default: [:]][row["key"]] = row["value"]
        }

        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT fault_index, action, target, at FROM fault WHERE run_id = ? ORDER BY seq
                    """), arguments: [runID])
        return rows.map { row in
            let index: Int = row["fault_index"]
            return FaultResult(
                index: index, action: row["action"], target: row["target"], at: row["at"],
                milestones: milestones[index] ?? [], stats: stats[index] ?? [:])
        }
    }

    private static func series(_ db: Database, _ runID: Int64) throws -> [TimeSeries] {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT series_index, kind, entity FROM series WHERE run_id = ? ORDER BY series_index
                    """), arguments: [runID])
        var result: [TimeSeries] = []
        var position: [Int: Int] = [:]  // series_index -> index in `result`
        for row in rows {
            position[row["series_index"]] = result.count
            result.append(TimeSeries(kind: row["kind"], entity: row["entity"], points: []))
        }

        let points = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT series_index, t, value, label FROM series_point WHERE run_id = ? ORDER BY series_index, seq
                    """), arguments: [runID])
        while let row = try points.next() {
            let index: Int = row["series_index"]
            // The foreign key guarantees the series row exists; checked anyway rather than trapping.
            guard let at = position[index] else {
                throw StoreError("run \(runID) has points for series \(index), which is missing")
            }
            result[at].points.append(SeriesPoint(t: row["t"], value: row["value"], label: row["label"]))
        }
        return result
    }

    private static func notes(_ db: Database, _ runID: Int64) throws -> [String] {
        try String.fetchAll(
            db.cachedStatement(sql: "SELECT text FROM run_note WHERE run_id = ? ORDER BY seq"),
            arguments: [runID])
    }
}
