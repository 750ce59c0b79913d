import GRDB
import Simulation

extension ResultStore {
    /// The `autoscaler_result` and `autoscaler_rescale` tables: a run's HorizontalPodAutoscalers and their rescales.
    ///
    /// They hold `RunRecord.autoscalers` in record order, and each one's rescales in order. A run
    /// without any has no rows and reads back nil.
    static func v8Autoscalers(_ db: Database) throws {
        try db.create(table: "autoscaler_result") { t in
            t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
            t.column("seq", .integer).notNull()
            t.column("name", .text).notNull()
            t.column("target", .text).notNull()
            t.column("min_replicas", .integer).notNull()
            t.column("max_replicas", .integer).notNull()
            t.column("initial_replicas", .integer).notNull()
            t.column("max_replicas_reached", .integer).notNull()
            t.column("hit_max_replicas", .boolean).notNull()
            t.column("seconds_at_max", .double).notNull()
            t.column("max_pending_pods", .integer).notNull()
            t.column("peak_utilization", .integer)
            t.column("peak_utilization_seconds", .double)
            t.primaryKey(["run_id", "seq"])
        }
        // Rescales hang off their autoscaler, so deleting the run (or the autoscaler row) takes them.
        try db.create(table: "autoscaler_rescale") { t in
            t.column("run_id", .integer).notNull()
            t.column("autoscaler_seq", .integer).notNull()
            t.column("seq", .integer).notNull()
            t.column("at_seconds", .double).notNull()
            t.column("from_replicas", .integer).notNull()
            t.column("to_replicas", .integer).notNull()
            t.column("utilization", .integer)
            t.column("demand_millicores", .integer).notNull()
            t.primaryKey(["run_id", "autoscaler_seq", "seq"])
            t.foreignKey(
                ["run_id", "autoscaler_seq"], references: "autoscaler_result", columns: ["run_id", "seq"],
                onDelete: .cascade)
        }
    }

    static func insertAutoscalerResults(_ db: Database, of record: RunRecord, runID: Int64) throws {
        let autoscaler = try db.cachedStatement(
            sql: """
                INSERT INTO autoscaler_result (run_id, seq, name, target, min_replicas, max_replicas, initial_replicas,
                                               max_replicas_reached, hit_max_replicas, seconds_at_max, max_pending_pods,
                                               peak_utilization, peak_utilization_seconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let rescale = try db.cachedStatement(
            sql: """
                INSERT INTO autoscaler_rescale (run_id, autoscaler_seq, seq, at_seconds, from_replicas, to_replicas,
                                                utilization, demand_millicores)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (seq, a) in (record.autoscalers ?? []).enumerated() {
            try autoscaler.execute(arguments: [
                runID, seq, a.name, a.target, a.minReplicas, a.maxReplicas, a.initialReplicas,
                a.maxReplicasReached, a.hitMaxReplicas, a.secondsAtMax, a.maxPendingPods,
                a.peakUtilization, a.peakUtilizationAt,
            ])
            for (index, r) in a.rescales.enumerated() {
                try rescale.execute(arguments: [
                    runID, seq, index, r.at, r.from, r.to, r.utilization, r.demandMillicores,
                ])
            }
        }
    }

    static func autoscalerResults(_ db: Database, _ runID: Int64) throws -> [AutoscalerResult]? {
        var rescales: [Int: [AutoscalerResult.Rescale]] = [:]
        let rescaleRows = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT * FROM autoscaler_rescale WHERE run_id = ? ORDER BY autoscaler_seq, seq"),
            arguments: [runID])
        for row in rescaleRows {
            rescales[row["autoscaler_seq"], default: []].append(
                AutoscalerResult.Rescale(
                    at: row["at_seconds"], from: row["from_replicas"], to: row["to_replicas"],
                    utilization: row["utilization"], demandMillicores: row["demand_millicores"]))
        }
        let autoscalers = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM autoscaler_result WHERE run_id = ? ORDER BY seq"),
            arguments: [runID]
        ).map { row in
            var a = AutoscalerResult(
                name: row["name"], target: row["target"], minReplicas: row["min_replicas"],
                maxReplicas: row["max_replicas"], initialReplicas: row["initial_replicas"])
            a.rescales = rescales[row["seq"]] ?? []
            a.maxReplicasReached = row["max_replicas_reached"]
            a.hitMaxReplicas = row["hit_max_replicas"]
            a.secondsAtMax = row["seconds_at_max"]
            a.maxPendingPods = row["max_pending_pods"]
            a.peakUtilization = row["peak_utilization"]
            a.peakUtilizationAt = row["peak_utilization_seconds"]
            return a
        }
        return autoscalers.isEmpty ? nil : autoscalers
    }
}
