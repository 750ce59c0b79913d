import GRDB
import Simulation

extension ResultStore {
    /// The `job_result` and `cronjob_result` tables: a run's Jobs and CronJobs, in record order.
    ///
    /// They hold `RunRecord.jobs` and `cronJobs`. A run without any has no rows and reads back nil.
    static func v7Jobs(_ db: Database) throws {
        try db.create(table: "job_result") { t in
            t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
            t.column("seq", .integer).notNull()
            t.column("name", .text).notNull()
            t.column("cron_job", .text)
            t.column("created_seconds", .double).notNull()
            t.column("finished_seconds", .double)
            t.column("outcome", .text).notNull()
            t.column("reason", .text)
            t.column("succeeded", .integer).notNull()
            t.column("failed", .integer).notNull()
            t.column("pods_created", .integer).notNull()
            t.column("deleted_seconds", .double)
            t.primaryKey(["run_id", "seq"])
        }
        try db.create(table: "cronjob_result") { t in
            t.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
            t.column("seq", .integer).notNull()
            t.column("name", .text).notNull()
            t.column("schedule", .text).notNull()
            t.column("jobs_created", .integer).notNull()
            t.column("missed_starts", .integer).notNull()
            t.column("forbidden_starts", .integer).notNull()
            t.column("replaced_jobs", .integer).notNull()
            t.primaryKey(["run_id", "seq"])
        }
    }

    static func insertJobResults(_ db: Database, of record: RunRecord, runID: Int64) throws {
        let job = try db.cachedStatement(
            sql: """
                INSERT INTO job_result (run_id, seq, name, cron_job, created_seconds, finished_seconds, outcome, reason,
                                        succeeded, failed, pods_created, deleted_seconds)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (seq, j) in (record.jobs ?? []).enumerated() {
            try job.execute(arguments: [
                runID, seq, j.name, j.cronJob, j.createdAt, j.finishedAt, j.outcome, j.reason,
                j.succeeded, j.failed, j.podsCreated, j.deletedAt,
            ])
        }
        let cron = try db.cachedStatement(
            sql: """
                INSERT INTO cronjob_result (run_id, seq, name, schedule, jobs_created, missed_starts, forbidden_starts, replaced_jobs)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (seq, c) in (record.cronJobs ?? []).enumerated() {
            try cron.execute(arguments: [
                runID, seq, c.name, c.schedule, c.jobsCreated, c.missedStarts, c.forbiddenStarts,
                c.replacedJobs,
            ])
        }
    }

    static func jobResults(_ db: Database, _ runID: Int64) throws -> (jobs: [JobResult]?, cronJobs: [CronJobResult]?) {
        let jobs = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM job_result WHERE run_id = ? ORDER BY seq"),
            arguments: [runID]
        ).map { row in
            JobResult(
                name: row["name"], cronJob: row["cron_job"], createdAt: row["created_seconds"],
                finishedAt: row["finished_seconds"], outcome: row["outcome"], reason: row["reason"],
                succeeded: row["succeeded"], failed: row["failed"], podsCreated: row["pods_created"],
                deletedAt: row["deleted_seconds"])
        }
        let cronJobs = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM cronjob_result WHERE run_id = ? ORDER BY seq"),
            arguments: [runID]
        ).map { row in
            CronJobResult(
                name: row["name"], schedule: row["schedule"], jobsCreated: row["jobs_created"],
                missedStarts: row["missed_starts"], forbiddenStarts: row["forbidden_starts"],
                replacedJobs: row["replaced_jobs"])
        }
        return (jobs.isEmpty ? nil : jobs, cronJobs.isEmpty ? nil : cronJobs)
    }
}
