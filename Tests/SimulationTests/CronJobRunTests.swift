import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// CronJobs against the default start instant, 2025-01-01T00:00:00Z (1735689600 s, 28928160
/// minutes since the epoch): `*/5 * * * *` is due at 300, 600 and 900 s; the controller looks
/// 100 ms after each (`nextScheduleDelta`) and names the Job after the scheduled minute.
/// Timings as in `JobRunTests` (a pod runs 5 s after its Job's first sync, then `run`).
struct CronJobRunTests {
    static func cronJob(_ policy: CronJob.ConcurrencyPolicy, startingDeadlineSeconds: Int? = nil) -> CronJob {
        CronJob(
            metadata: ObjectMeta(name: "report"), schedule: "*/5 * * * *", jobSpec: JobRunTests.job("report").spec,
            concurrencyPolicy: policy, startingDeadlineSeconds: startingDeadlineSeconds)
    }

    static func run(_ policy: CronJob.ConcurrencyPolicy, runSeconds: Double) throws -> (RunRecord, CronJobResult) {
        let spec = JobRunTests.spec(cronJobs: [cronJob(policy)], duration: 960, timing: JobRunTests.timing(run: runSeconds))
        let r = ClusterSimulation(spec: spec).run()
        return (r, try #require(r.cronJobs?.first))
    }

    /// Allow, runs of 400 s: a Job at each due time, overlapping.
    @Test func allowStartsEveryScheduledRun() throws {
        let (r, c) = try Self.run(.Allow, runSeconds: 400)
        #expect(c.jobsCreated == 3 && c.forbiddenStarts == 0 && c.replacedJobs == 0 && c.missedStarts == 0)
        #expect(r.jobs?.map(\.name) == ["default/report-28928165", "default/report-28928170", "default/report-28928175"])
        #expect(r.jobs?.map(\.createdAt) == [300.1, 600.1, 900.1])
        #expect(r.jobs?.first?.cronJob == "default/report")
    }

    /// Forbid, runs of 400 s: the first Job runs 300.1–≈705 s, so the 600 s start is skipped
    /// and stays unmet; when the first Job finishes the controller starts it late (≈705 s);
    /// at 900 s that one still runs, so the third start is skipped too.
    @Test func forbidHoldsTheStartUntilTheRunningJobFinished() throws {
        let (r, c) = try Self.run(.Forbid, runSeconds: 400)
        #expect(c.jobsCreated == 2 && c.forbiddenStarts == 2)
        let jobs = try #require(r.jobs)
        #expect(jobs.map(\.name) == ["default/report-28928165", "default/report-28928170"])
        let first = try #require(jobs[0].finishedAt)
        #expect(jobs[1].createdAt > first && jobs[1].createdAt < first + 0.1, "\(jobs)")
    }

    /// Replace, runs of 400 s: at 600 s and 900 s the running Job is deleted (its pod counted
    /// failed) and a new one created; the last one is still running at the end.
    @Test func replaceDeletesTheRunningJob() throws {
        let (r, c) = try Self.run(.Replace, runSeconds: 400)
        #expect(c.jobsCreated == 3 && c.replacedJobs == 2)
        let jobs = try #require(r.jobs)
        #expect(jobs.map(\.outcome) == ["Deleted", "Deleted", "Running"])
        #expect(jobs.map(\.deletedAt) == [600.1, 900.1, nil])
        #expect(jobs[0].failed == 1)
    }

    /// Runs of 30 s finish long before the next start: every finished Job is kept (three are
    /// within successfulJobsHistoryLimit 3); with a history limit of 1 the older ones are
    /// deleted as each new one finishes.
    @Test func historyLimitDeletesOldFinishedJobs() throws {
        var cj = Self.cronJob(.Allow)
        cj.successfulJobsHistoryLimit = 1
        let r = ClusterSimulation(spec: JobRunTests.spec(cronJobs: [cj], duration: 960)).run()
        let jobs = try #require(r.jobs)
        #expect(jobs.map(\.outcome) == ["Complete", "Complete", "Complete"])
        #expect(jobs[0].deletedAt == jobs[1].finishedAt && jobs[1].deletedAt == jobs[2].finishedAt && jobs[2].deletedAt == nil)
    }

    /// A start the controller-manager could not make in time: the sync due at 300.1 s runs
    /// only at 420 s (no leader meanwhile). With startingDeadlineSeconds 60 the window is
    /// 360–420 s, which holds no schedule time: nothing starts. Without a deadline the 300 s
    /// start is made late, at 420 s. Either way the next sync is due at 600.1 s.
    @Test(arguments: [60, nil] as [Int?]) func startingDeadlineBoundsALateStart(_ deadline: Int?) {
        let ctx = CronContext()
        let controller = CronJobController()
        controller.create(Self.cronJob(.Allow, startingDeadlineSeconds: deadline), in: ctx)
        #expect(ctx.queued == [.sync(cronJob: 0, due: .milliseconds(300_100))])
        ctx.now = .seconds(420)
        controller.handle(.sync(cronJob: 0, due: .milliseconds(300_100)), in: ctx)
        #expect(ctx.created.map(\.metadata.name) == (deadline == nil ? ["report-28928165"] : []))
        #expect(ctx.queued.last == .sync(cronJob: 0, due: .milliseconds(600_100)))
    }
}

/// The CronJob controller's view of a cluster, for driving it by hand.
final class CronContext: CronJobControllerContext {
    var now: SimTime = .zero
    let wallClockStart = ClusterSpec.defaultStartTime
    var queued: [CronJobEvent] = []
    var created: [Job] = []
    var jobs: [SimJob] = []
    func schedule(_ event: CronJobEvent, at time: SimTime) { queued.append(event) }
    func informerLatency() -> SimTime { .milliseconds(10) }
    func createJob(_ job: Job, cronJob: Int) -> Int {
        created.append(job)
        jobs.append(
            SimJob(
                name: job.metadata.name, namespace: job.metadata.namespace, spec: job.spec, podLabels: [:],
                workload: WorkloadID(0), cronJob: cronJob, created: now))
        return jobs.count - 1
    }
    func deleteJob(_ job: Int) { jobs[job].deletedAt = now }
    func job(_ j: Int) -> SimJob { jobs[j] }
}
