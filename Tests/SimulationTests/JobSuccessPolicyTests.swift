import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// An Indexed Job's successPolicy in the run, with the constant timings of `JobRunTests`
/// (pull 4 s, start 1 s, apiLatency 10 ms): five indexes run at once, index 0 for 10 s,
/// index 1 for 20 s, the others for 100 s.
struct JobSuccessPolicyTests {
    static func job(_ rules: [SuccessPolicy.Rule]) -> Job {
        var j = JobRunTests.job("leader", completions: 5, parallelism: 5)
        j.spec.completionMode = .Indexed
        j.spec.successPolicy = SuccessPolicy(rules: rules)
        return j
    }

    static var timing: [PodTimingRule] {
        func rule(index: String?, run: Double) -> PodTimingRule {
            var r = Support.constantTiming
            if let index { r.selector = LabelSelector(matchLabels: ["batch.kubernetes.io/job-completion-index": index]) }
            r.runDuration = .constant(run)
            return r
        }
        return [rule(index: "0", run: 10), rule(index: "1", run: 20), rule(index: nil, run: 100)]
    }

    static func run(_ rules: [SuccessPolicy.Rule]) throws -> JobResult {
        let r = ClusterSimulation(spec: JobRunTests.spec(jobs: [job(rules)], nodes: ["n1", "n2"], timing: timing)).run()
        return try #require(r.jobs?.first)
    }

    /// Index 0 succeeds at about 4 + 1 + 10 = 15 s: Complete with reason SuccessPolicy, the
    /// four other pods deleted and not counted as failed.
    @Test func theLeaderIndexCompletesTheJob() throws {
        let j = try Self.run([.init(succeededIndexes: "0")])
        #expect(j.outcome == "Complete" && j.reason == "SuccessPolicy")
        #expect(j.succeeded == 1 && j.failed == 0 && j.podsCreated == 5)
        #expect(JobRunTests.near(j.finishedAt, 15.05, within: 0.2), "\(j)")
    }

    /// Two indexes of any: index 1 is the second to succeed, at about 25 s.
    @Test func aCountOfIndexes() throws {
        let j = try Self.run([.init(succeededCount: 2)])
        #expect(j.outcome == "Complete" && j.reason == "SuccessPolicy")
        #expect(j.succeeded == 2 && j.failed == 0)
        #expect(JobRunTests.near(j.finishedAt, 25.05, within: 0.2), "\(j)")
    }

    /// Index 3 must succeed, and it runs 100 s like indexes 2 and 4: all five have succeeded
    /// by then — the rule is met at the same sync as completions, and the success policy,
    /// looked at first, gives the reason.
    @Test func aSlowIndexWaitsForItsRun() throws {
        let j = try Self.run([.init(succeededIndexes: "3")])
        #expect(j.outcome == "Complete" && j.reason == "SuccessPolicy")
        #expect(JobRunTests.near(j.finishedAt, 105.05, within: 0.2), "\(j)")
    }
}
