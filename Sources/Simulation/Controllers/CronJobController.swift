import Foundation
import KubeModel
import SimKernel

/// The CronJob controller's events.
enum CronJobEvent: Equatable {
    /// The queued sync of a CronJob — at its next schedule time, or after one of its Jobs
    /// changed — with the time it was queued for (a sync delayed while no controller-manager
    /// leads still runs, later).
    case sync(cronJob: Int, due: SimTime)
}

/// What the CronJob controller uses of the cluster: the clock (and the wall-clock instant of
/// t = 0), the event queue, and the Job controller's Jobs, which it creates and deletes.
protocol CronJobControllerContext: AnyObject {
    var now: SimTime { get }
    /// Seconds since the epoch at t = 0.
    var wallClockStart: Int64 { get }
    func schedule(_ event: CronJobEvent, at time: SimTime)
    func informerLatency() -> SimTime
    func createJob(_ job: Job, cronJob: Int) -> Int
    func deleteJob(_ job: Int)
    func job(_ j: Int) -> SimJob
}

/// One CronJob: the object, its parsed schedule, its status (`lastScheduleTime`, `active`)
/// and what the run reports of it.
struct SimCronJob {
    let object: CronJob
    /// Nil for an `@every` schedule, which is not simulated.
    let schedule: CronSchedule?
    let timeZone: TimeZone
    /// Seconds since the epoch: its creation, and the last schedule time it started a Job for.
    let created: Int64
    var lastScheduleTime: Int64?
    var active: [Int] = []
    /// Every Job it created, in order.
    var jobs: [Int] = []
    /// Schedule times it passed over: later than startingDeadlineSeconds, or superseded by a
    /// later one before the controller ran.
    var missedStarts = 0
    /// Starts skipped because a Job was still running (concurrencyPolicy Forbid).
    var forbiddenStarts = 0
    /// Running Jobs deleted to start a new one (concurrencyPolicy Replace).
    var replacedJobs = 0
    var syncQueued: SimTime?
}

/// The CronJob controller (kubernetes pkg/controller/cronjob/cronjob_controllerv2.go `syncCronJob`,
/// utils.go `mostRecentScheduleTime`): at each schedule time (plus the controller's
/// `nextScheduleDelta` of 100 ms) it looks for the most recent unmet schedule time since
/// `lastScheduleTime` (the creation time at first), bounded by startingDeadlineSeconds; a start
/// later than that deadline is missed; with concurrencyPolicy Forbid and a Job still active it
/// creates nothing and leaves the time unmet (so it starts once the active Job finished, if still
/// in time), with Replace it deletes the active Jobs first.
///
/// The Job is named `<cronjob>-<scheduled time in minutes>` (`getJobName`). When a Job finishes,
/// finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit are deleted, oldest
/// first (`cleanupFinishedJobs`).
final class CronJobController {
    static let nextScheduleDelta = SimTime.milliseconds(100)
    private(set) var cronJobs: [SimCronJob] = []

    func handle(_ event: CronJobEvent, in ctx: CronJobControllerContext) {
        switch event {
        case .sync(let c, let due):
            // An earlier sync replaced this one in the queue.
            guard cronJobs[c].syncQueued == due else { return }
            cronJobs[c].syncQueued = nil
            sync(c, in: ctx)
        }
    }

    func create(_ object: CronJob, in ctx: CronJobControllerContext) {
        let zone = object.timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(secondsFromGMT: 0) ?? .current
        cronJobs.append(
            SimCronJob(
                object: object, schedule: try? CronSchedule(object.schedule), timeZone: zone,
                created: wall(ctx.now, ctx)))
        requeueAtNextSchedule(cronJobs.count - 1, in: ctx)
    }

    /// One of its Jobs finished: the history limits apply, and a start Forbid held back may go.
    func jobFinished(_ j: Int, cronJob c: Int, in ctx: CronJobControllerContext) {
        cronJobs[c].active.removeAll { $0 == j }
        cleanUpFinishedJobs(c, in: ctx)
        enqueue(c, at: ctx.now + ctx.informerLatency(), in: ctx)
    }

    private func sync(_ c: Int, in ctx: CronJobControllerContext) {
        let cj = cronJobs[c]
        guard !cj.object.suspend, let schedule = cj.schedule else { return }
        cronJobs[c].active.removeAll { ctx.job($0).finished || ctx.job($0).deletedAt != nil }
        let nowWall = wall(ctx.now, ctx)
        var earliest = cj.lastScheduleTime ?? cj.created
        if let deadline = cj.object.startingDeadlineSeconds { earliest = max(earliest, nowWall - Int64(deadline)) }
        var times: [Int64] = []
        var t = earliest
        while let next = schedule.next(after: t, utcOffset: offset(cj.timeZone)), next <= nowWall {
            times.append(next)
            t = next
        }
        defer { requeueAtNextSchedule(c, in: ctx) }
        guard let scheduled = times.last else { return }
        if let deadline = cj.object.startingDeadlineSeconds, scheduled + Int64(deadline) < nowWall {
            cronJobs[c].missedStarts += times.count
            return
        }
        if cj.object.concurrencyPolicy == .Forbid && !cronJobs[c].active.isEmpty {
            cronJobs[c].forbiddenStarts += 1
            return
        }
        cronJobs[c].missedStarts += times.count - 1
        if cj.object.concurrencyPolicy == .Replace {
            for j in cronJobs[c].active {
                ctx.deleteJob(j)
                cronJobs[c].replacedJobs += 1
            }
            cronJobs[c].active = []
        }
        var meta = cj.object.jobMetadata
        meta.name = "\(cj.object.metadata.name)-\(scheduled / 60)"
        meta.namespace = cj.object.metadata.namespace
        let j = ctx.createJob(Job(metadata: meta, spec: cj.object.jobSpec), cronJob: c)
        cronJobs[c].active.append(j)
        cronJobs[c].jobs.append(j)
        cronJobs[c].lastScheduleTime = scheduled
    }

    private func cleanUpFinishedJobs(_ c: Int, in ctx: CronJobControllerContext) {
        let kept = cronJobs[c].jobs.filter { ctx.job($0).finished && ctx.job($0).deletedAt == nil }
        let succeeded = kept.filter { ctx.job($0).condition?.type == "Complete" }
        let failed = kept.filter { ctx.job($0).condition?.type != "Complete" }
        for j in succeeded.dropLast(max(0, cronJobs[c].object.successfulJobsHistoryLimit)) { ctx.deleteJob(j) }
        for j in failed.dropLast(max(0, cronJobs[c].object.failedJobsHistoryLimit)) { ctx.deleteJob(j) }
    }

    private func requeueAtNextSchedule(_ c: Int, in ctx: CronJobControllerContext) {
        guard !cronJobs[c].object.suspend, let schedule = cronJobs[c].schedule else { return }
        let nowWall = wall(ctx.now, ctx)
        guard let next = schedule.next(after: nowWall, utcOffset: offset(cronJobs[c].timeZone)) else { return }
        let at = SimTime.seconds(next - ctx.wallClockStart) + Self.nextScheduleDelta
        enqueue(c, at: at, in: ctx)
    }

    private func enqueue(_ c: Int, at time: SimTime, in ctx: CronJobControllerContext) {
        if let queued = cronJobs[c].syncQueued, queued <= time { return }
        cronJobs[c].syncQueued = time
        ctx.schedule(.sync(cronJob: c, due: time), at: time)
    }

    /// Whole seconds since the epoch at simulated time `t`.
    private func wall(_ t: SimTime, _ ctx: CronJobControllerContext) -> Int64 {
        ctx.wallClockStart + t.microseconds / 1_000_000
    }

    private func offset(_ zone: TimeZone) -> (Int64) -> Int64 {
        { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0)))) }
    }
}

extension ClusterSimulation: CronJobControllerContext {
    var wallClockStart: Int64 { spec.startTime }

    func schedule(_ event: CronJobEvent, at time: SimTime) { engine.schedule(.cronJob(event), at: time) }

    func createJob(_ job: Job, cronJob: Int) -> Int { jobController.create(job, cronJob: cronJob, in: self) }

    func deleteJob(_ job: Int) { jobController.delete(job, in: self) }

    func job(_ j: Int) -> SimJob { jobController.jobs[j] }
}
