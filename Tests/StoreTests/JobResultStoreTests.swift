import Foundation
import GRDB
import Simulation
import Testing

@testable import Store

/// A run's Jobs and CronJobs are stored with it and read back exactly (optional fields NULL),
/// and go when the run is deleted.
struct JobResultStoreTests {
    static func record() -> RunRecord {
        var r = sampleRecord()
        r.jobs = [
            JobResult(
                name: "shop/db-migrate", cronJob: nil, createdAt: 0, finishedAt: 117.25, outcome: "Complete",
                reason: "CompletionsReached", succeeded: 1, failed: 1, podsCreated: 2, deletedAt: nil),
            JobResult(
                name: "shop/backup-29145720", cronJob: "shop/backup", createdAt: 300.1, finishedAt: nil,
                outcome: "Deleted", reason: nil, succeeded: 0, failed: 2, podsCreated: 2, deletedAt: 600.1),
        ]
        r.cronJobs = [
            CronJobResult(
                name: "shop/backup", schedule: "*/5 * * * *", jobsCreated: 2, missedStarts: 1,
                forbiddenStarts: 0, replacedJobs: 1)
        ]
        return r
    }

    @Test func jobsRoundTripAndCascade() throws {
        let store = try ResultStore.inMemory()
        let ids = try store.save(
            scenarioName: "zone-outage", scenarioText: scenarioText, records: [Self.record()],
            k3simVersion: "0.1.0")
        #expect(try store.run(id: ids[0])?.record == Self.record())
        #expect(try count(store, "job_result") == 2 && count(store, "cronjob_result") == 1)
        try store.dbQueue.write { db in try db.execute(sql: "DELETE FROM run WHERE id = ?", arguments: [ids[0]]) }
        #expect(try count(store, "job_result") == 0 && count(store, "cronjob_result") == 0)
    }
}
