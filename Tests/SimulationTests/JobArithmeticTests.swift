import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// The Job controller's arithmetic, restated from upstream
/// pkg/controller/job/job_controller_test.go `TestControllerSyncJob` (the cases named below
/// that do not depend on controller errors or expectations) and backoff_utils.go.
struct JobArithmeticTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let parallelism: Int, completions: Int?, backoffLimit: Int
        let active: Int, succeeded: Int, failed: Int
        let creations: Int, deletions: Int
        /// nil: still running; else the condition the sync sets.
        let condition: String?
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "job start", parallelism: 2, completions: 5, backoffLimit: 6, active: 0, succeeded: 0, failed: 0,
            creations: 2, deletions: 0, condition: nil),
        Case(
            name: "WQ job start", parallelism: 2, completions: nil, backoffLimit: 6, active: 0, succeeded: 0, failed: 0,
            creations: 2, deletions: 0, condition: nil),
        Case(
            name: "correct # of pods", parallelism: 2, completions: 5, backoffLimit: 6, active: 2, succeeded: 0, failed: 0,
            creations: 0, deletions: 0, condition: nil),
        Case(
            name: "too few active pods with a dynamic job", parallelism: 2, completions: nil, backoffLimit: 6, active: 1,
            succeeded: 0, failed: 0, creations: 1, deletions: 0, condition: nil),
        Case(
            name: "too many active pods", parallelism: 2, completions: 5, backoffLimit: 6, active: 3, succeeded: 0, failed: 0,
            creations: 0, deletions: 1, condition: nil),
        Case(
            name: "failed + succeed pods: reset backoff delay", parallelism: 2, completions: 5, backoffLimit: 6, active: 1,
            succeeded: 1, failed: 1, creations: 1, deletions: 0, condition: nil),
        Case(
            name: "new failed pod", parallelism: 2, completions: 5, backoffLimit: 6, active: 1, succeeded: 0, failed: 1,
            creations: 1, deletions: 0, condition: nil),
        Case(
            name: "job finish", parallelism: 2, completions: 5, backoffLimit: 6, active: 0, succeeded: 5, failed: 0,
            creations: 0, deletions: 0, condition: "Complete"),
        Case(
            name: "WQ job finishing", parallelism: 2, completions: nil, backoffLimit: 6, active: 1, succeeded: 1, failed: 0,
            creations: 0, deletions: 0, condition: nil),
        Case(
            name: "WQ job all finished", parallelism: 2, completions: nil, backoffLimit: 6, active: 0, succeeded: 2, failed: 0,
            creations: 0, deletions: 0, condition: "Complete"),
        Case(
            name: "WQ job all finished despite one failure", parallelism: 2, completions: nil, backoffLimit: 6, active: 0,
            succeeded: 1, failed: 1, creations: 0, deletions: 0, condition: "Complete"),
        Case(
            name: "more active pods than parallelism", parallelism: 2, completions: 5, backoffLimit: 6, active: 10,
            succeeded: 0, failed: 0, creations: 0, deletions: 8, condition: nil),
        Case(
            name: "more active pods than remaining completions", parallelism: 3, completions: 4, backoffLimit: 6, active: 3,
            succeeded: 2, failed: 0, creations: 0, deletions: 1, condition: nil),
        Case(
            name: "status change", parallelism: 2, completions: 5, backoffLimit: 6, active: 2, succeeded: 2, failed: 0,
            creations: 0, deletions: 0, condition: nil),
        // The test leaves backoffLimit at 0: one failure is past it; the running pods are deleted.
        Case(
            name: "too many job failures", parallelism: 2, completions: 5, backoffLimit: 0, active: 0, succeeded: 0, failed: 1,
            creations: 0, deletions: 0, condition: "Failed"),
        Case(
            name: "count ready pods when job fails", parallelism: 2, completions: 3, backoffLimit: 0, active: 2, succeeded: 0,
            failed: 1, creations: 0, deletions: 2, condition: "Failed"),
    ]

    /// One sync's decision, in `syncJob`'s order: failed past the backoff limit (deleting what
    /// runs), else complete, else create or delete toward the wanted count.
    @Test(arguments: cases) func syncDecides(_ c: Case) {
        if JobArithmetic.pastBackoffLimit(
            failed: c.failed, backoffLimit: c.backoffLimit, restartPolicy: "Never", activeRestarts: 0)
        {
            #expect(c.condition == "Failed")
            #expect(c.deletions == c.active)
            return
        }
        let complete = JobArithmetic.complete(completions: c.completions, succeeded: c.succeeded, active: c.active)
        #expect(complete == (c.condition == "Complete"))
        guard !complete else { return }
        let want = JobArithmetic.wantActive(
            parallelism: c.parallelism, completions: c.completions, succeeded: c.succeeded, active: c.active)
        #expect(max(0, want - c.active) == c.creations)
        #expect(max(0, c.active - want) == c.deletions)
    }

    /// `TestControllerSyncJob` "indexed job some running and completed pods": 8 in parallel of
    /// 20, index 0 running and 3 pending, 2, 4, 5, 7, 8, 9 succeeded: indexes 1, 6, 10–13 start.
    /// "indexed job some failed pods": 0 and 2 failed, 1 pending: 0 and 2 start again.
    /// "indexed job repeated completed index": 0 and 1 succeeded: 2 starts.
    @Test func indexedJobsStartTheLowestMissingIndexes() {
        #expect(
            JobArithmetic.indexesToStart(completions: 20, succeeded: [2, 4, 5, 7, 8, 9], running: [0, 3], count: 6)
                == [1, 6, 10, 11, 12, 13])
        #expect(JobArithmetic.indexesToStart(completions: 4, succeeded: [], running: [1], count: 2) == [0, 2])
        #expect(JobArithmetic.indexesToStart(completions: 3, succeeded: [0, 1], running: [], count: 1) == [2])
    }

    /// The pod failure back-off, worked by hand: 10 s after the first failure since the last
    /// success, then 20, 40, 80, 160, 320 s, and 360 s from the seventh on (640 ≥ 360);
    /// measured from the last failure, so 15 s after it 5 s of the 20 are left.
    @Test func backoffDoublesFromTenSecondsToSixMinutes() {
        let waits = (1...8).map {
            JobArithmetic.backoffRemaining(failuresAfterLastSuccess: $0, lastFailure: .seconds(100), now: .seconds(100)).seconds
        }
        #expect(waits == [10, 20, 40, 80, 160, 320, 360, 360])
        #expect(
            JobArithmetic.backoffRemaining(failuresAfterLastSuccess: 2, lastFailure: .seconds(100), now: .seconds(115))
                == .seconds(5))
        #expect(
            JobArithmetic.backoffRemaining(failuresAfterLastSuccess: 2, lastFailure: .seconds(100), now: .seconds(121)) == .zero)
        #expect(JobArithmetic.backoffRemaining(failuresAfterLastSuccess: 0, lastFailure: nil, now: .seconds(5)) == .zero)
    }

    /// `pastBackoffLimitOnFailure`: with restartPolicy OnFailure the running pods' restarts
    /// count — at least backoffLimit of them, or any with backoffLimit 0; Never ignores them.
    @Test func containerRestartsCountOnlyForOnFailure() {
        #expect(JobArithmetic.pastBackoffLimit(failed: 0, backoffLimit: 2, restartPolicy: "OnFailure", activeRestarts: 2))
        #expect(!JobArithmetic.pastBackoffLimit(failed: 0, backoffLimit: 2, restartPolicy: "OnFailure", activeRestarts: 1))
        #expect(JobArithmetic.pastBackoffLimit(failed: 0, backoffLimit: 0, restartPolicy: "OnFailure", activeRestarts: 1))
        #expect(!JobArithmetic.pastBackoffLimit(failed: 0, backoffLimit: 2, restartPolicy: "Never", activeRestarts: 5))
        #expect(!JobArithmetic.pastBackoffLimit(failed: 2, backoffLimit: 2, restartPolicy: "Never", activeRestarts: 0))
        #expect(JobArithmetic.pastBackoffLimit(failed: 3, backoffLimit: 2, restartPolicy: "Never", activeRestarts: 0))
    }

    /// robfig/cron `Next` against hand-counted instants: 2025-01-01T00:00:00Z is 1735689600
    /// (a Wednesday). `*/5` fires at the next whole five minutes strictly after; `0 2 * * *`
    /// at 02:00 the same day; `0 0 * * 0` on Sunday 2025-01-05; `@hourly` at 01:00; 30 February
    /// never. In
    /// Europe/Berlin (UTC+1 in January) `0 2 * * *` is 01:00 UTC.
    @Test func cronScheduleNextFiringTimes() throws {
        let start: Int64 = 1_735_689_600
        #expect(try CronSchedule("*/5 * * * *").next(after: start) == start + 300)
        #expect(try CronSchedule("*/5 * * * *").next(after: start + 299) == start + 300)
        #expect(try CronSchedule("0 2 * * *").next(after: start) == start + 7200)
        #expect(try CronSchedule("0 0 * * 0").next(after: start) == start + 4 * 86_400)
        #expect(try CronSchedule("@hourly").next(after: start) == start + 3600)
        // The next 29 February is in 2028: 58 years of 365 days and 14 leap days to 2028-01-01,
        // then 31 + 28 days.
        #expect(try CronSchedule("0 0 29 2 *").next(after: start) == (58 * 365 + 14 + 59) * 86_400)
        #expect(try CronSchedule("0 2 * * *").next(after: start, utcOffset: { _ in 3600 }) == start + 3600)
        #expect(try CronSchedule("0 0 30 2 *").next(after: start) == nil)
    }
}
