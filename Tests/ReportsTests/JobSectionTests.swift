import Simulation
import Testing

@testable import Reports

/// The run report's Jobs and CronJobs section: absent for runs without them; one row per
/// CronJob and per Job, with the outcome's reason and "—" for what did not happen.
struct JobSectionTests {
    @Test func sectionOnlyForRunsWithJobs() throws {
        var r = Fixture.record()
        #expect(JobSection.section(r)?.id == nil)
        r.jobs = [
            JobResult(
                name: "shop/db-migrate", cronJob: nil, createdAt: 0, finishedAt: 127, outcome: "Failed",
                reason: "BackoffLimitExceeded", succeeded: 0, failed: 3, podsCreated: 3, deletedAt: nil)
        ]
        r.cronJobs = [
            CronJobResult(
                name: "shop/backup", schedule: "0 2 * * *", jobsCreated: 0, missedStarts: 1,
                forbiddenStarts: 0, replacedJobs: 0)
        ]
        let section = try #require(JobSection.section(r))
        #expect(section.blocks.count == 2)
        guard case .table(let cron) = section.blocks[0], case .table(let jobs) = section.blocks[1] else {
            Issue.record("expected two tables"); return
        }
        #expect(cron.rows.map { $0.map(\.plain) } == [["shop/backup", "0 2 * * *", "0", "1", "0", "0"]])
        #expect(
            jobs.rows.map { $0.map(\.plain) } == [
                [
                    "shop/db-migrate", "Failed (BackoffLimitExceeded)", "0:00.0", "2:07.0",
                    "0", "3", "3", "—",
                ]
            ])
    }
}
