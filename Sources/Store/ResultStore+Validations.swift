import Foundation
import GRDB
import Simulation

/// One milestone of a live run compared with its simulation: seconds after the fault.
public struct MilestoneComparison: Sendable, Equatable, Codable {
    public var faultIndex: Int
    public var milestone: String
    /// Observed in the live run; nil when the drill did not reach it.
    public var observed: Double?
    /// Over the simulated runs that reached it; nil when none did.
    public var simulated: Statistic?
    /// Observed minus the simulated median.
    public var error: Double? { observed.flatMap { o in simulated.map { o - $0.p50 } } }
    /// Whether the observation lies in [min − tolerance, max + tolerance] of the simulated runs.
    public var inside: Bool?

    public init(faultIndex: Int, milestone: String, observed: Double?, simulated: Statistic?, inside: Bool?) {
        self.faultIndex = faultIndex; self.milestone = milestone; self.observed = observed
        self.simulated = simulated; self.inside = inside
    }
}

/// A live run next to the simulated runs of the same scenario (`k3sim live validate`,
/// `k3sim live etcd probe --validate`).
public struct ValidationRecord: Sendable, Equatable {
    /// "drill" or "etcd-probe".
    public var kind: String
    public var scenarioName: String
    public var liveRunID: Int64
    /// The first run of the simulated batch (or the single simulated run).
    public var simulatedBatchID: Int64
    public var simulatedRuns: Int
    /// The measurement's resolution, added on both sides of the simulated range.
    public var toleranceSeconds: Double
    public var milestones: [MilestoneComparison]

    public init(
        kind: String, scenarioName: String, liveRunID: Int64, simulatedBatchID: Int64, simulatedRuns: Int,
        toleranceSeconds: Double, milestones: [MilestoneComparison]
    ) {
        self.kind = kind; self.scenarioName = scenarioName; self.liveRunID = liveRunID
        self.simulatedBatchID = simulatedBatchID; self.simulatedRuns = simulatedRuns
        self.toleranceSeconds = toleranceSeconds; self.milestones = milestones
    }
}

extension ResultStore {
    /// The `validations` table and its milestones.
    ///
    /// Both runs are referenced with ON DELETE CASCADE: a validation without its runs means
    /// nothing.
    static func v5LiveValidations(_ db: Database) throws {
        try db.create(table: "validations") { t in
            t.autoIncrementedPrimaryKey("id")
            t.column("kind", .text).notNull()
            t.column("scenario_name", .text).notNull()
            t.column("live_run_id", .integer).notNull().indexed().references("run", onDelete: .cascade)
            t.column("simulated_batch_id", .integer).notNull().references("run", onDelete: .cascade)
            t.column("simulated_runs", .integer).notNull()
            t.column("tolerance_seconds", .real).notNull()
            t.column("created_at", .text).notNull()
        }
        // NULLs say "not observed" / "not simulated"; the statistics are all NULL or all set.
        try db.create(table: "validation_milestone") { t in
            t.column("validation_id", .integer).notNull().references("validations", onDelete: .cascade)
            t.column("seq", .integer).notNull()
            t.column("fault_index", .integer).notNull()
            t.column("milestone", .text).notNull()
            t.column("observed", .real)
            t.column("sim_p50", .real)
            t.column("sim_p95", .real)
            t.column("sim_min", .real)
            t.column("sim_max", .real)
            t.column("sim_mean", .real)
            t.column("sim_runs", .integer)
            t.column("error", .real)
            t.column("inside", .boolean)
            t.primaryKey(["validation_id", "seq"])
        }
    }

    /// Saves a validation; returns its id.
    @discardableResult
    public func saveValidation(_ v: ValidationRecord, createdAt: Date = Date()) throws -> Int64 {
        try perform("cannot save the validation of live run \(v.liveRunID) to \(path)") {
            try dbQueue.write { db in try Self.insertValidation(db, v, createdAt: createdAt) }
        }
    }

    static func insertValidation(_ db: Database, _ v: ValidationRecord, createdAt: Date) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO validations (kind, scenario_name, live_run_id, simulated_batch_id, simulated_runs,
                    tolerance_seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                v.kind, v.scenarioName, v.liveRunID, v.simulatedBatchID, v.simulatedRuns,
                v.toleranceSeconds, Timestamp.string(createdAt),
            ])
        let id = db.lastInsertedRowID
        for (seq, m) in v.milestones.enumerated() {
            let s = m.simulated
            try db.execute(
                sql: """
                    INSERT INTO validation_milestone (validation_id, seq, fault_index, milestone, observed, sim_p50,
                        sim_p95, sim_min, sim_max, sim_mean, sim_runs, error, inside)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, seq, m.faultIndex, m.milestone, m.observed, s?.p50, s?.p95, s?.min, s?.max,
                    s?.mean, s?.runs, m.error, m.inside,
                ])
        }
        return id
    }

    /// The validations of a live run, oldest first.
    public func validations(liveRunID: Int64) throws -> [ValidationRecord] {
        try perform("cannot read the validations of run \(liveRunID) from \(path)") {
            try dbQueue.read { db in try Self.readValidations(db, liveRunID: liveRunID).map(\.record) }
        }
    }

    /// The validations of a live run with the time each was saved, oldest first.
    static func readValidations(_ db: Database, liveRunID: Int64) throws -> [(record: ValidationRecord, createdAt: Date)] {
        try Row.fetchAll(db, sql: "SELECT * FROM validations WHERE live_run_id = ? ORDER BY id", arguments: [liveRunID]).map {
            row in
            let id: Int64 = row["id"]
            let ms = try Row.fetchAll(
                db, sql: "SELECT * FROM validation_milestone WHERE validation_id = ? ORDER BY seq",
                arguments: [id]
            ).map { m -> MilestoneComparison in
                var stat: Statistic?
                if let p50: Double = m["sim_p50"] {
                    stat = Statistic([p50])
                    stat?.p50 = p50; stat?.p95 = m["sim_p95"]; stat?.min = m["sim_min"]; stat?.max = m["sim_max"]
                    stat?.mean = m["sim_mean"]; stat?.runs = m["sim_runs"]
                }
                return MilestoneComparison(
                    faultIndex: m["fault_index"], milestone: m["milestone"], observed: m["observed"],
                    simulated: stat, inside: m["inside"])
            }
            let record = ValidationRecord(
                kind: row["kind"], scenarioName: row["scenario_name"], liveRunID: row["live_run_id"],
                simulatedBatchID: row["simulated_batch_id"], simulatedRuns: row["simulated_runs"],
                toleranceSeconds: row["tolerance_seconds"], milestones: ms)
            return (record, try Timestamp.date(row["created_at"]))
        }
    }
}
