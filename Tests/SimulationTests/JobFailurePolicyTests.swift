import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// A Job's podFailurePolicy in the run, with the constant timings of `JobRunTests` (pull
/// 4 s, start 1 s, run 30 s, shutdown 1 s, apiLatency 10 ms).
struct JobFailurePolicyTests {
    typealias Rule = PodFailurePolicy.Rule

    static let ignoreDisruptions = Rule(action: "Ignore", onPodConditions: [.init(type: "DisruptionTarget")])
    static let failOn42 = Rule(action: "FailJob", onExitCodes: .init(operator: "In", values: [42]))

    static func job(backoffLimit: Int, rules: [Rule]?) -> Job {
        var j = JobRunTests.job("backup", backoffLimit: backoffLimit)
        j.spec.podFailurePolicy = rules.map { PodFailurePolicy(rules: $0) }
        return j
    }

    /// The node the Job's first pod lands on, seen in a short run with the same seed.
    static func firstNode(_ job: Job) throws -> String {
        var first: Int?
        let probe = ClusterSimulation(spec: JobRunTests.spec(jobs: [job], nodes: ["n1", "n2"], duration: 5))
        probe.afterEvent = { sim in if first == nil, let n = sim.pods.values.first?.node { first = n } }
        _ = probe.run()
        return try #require(first) == 0 ? "n1" : "n2"
    }

    static func drained(_ job: Job) throws -> JobResult {
        let drain = FaultSpec(at: .seconds(20), action: .drain, target: .node(try firstNode(job)))
        let r = ClusterSimulation(spec: JobRunTests.spec(jobs: [job], nodes: ["n1", "n2"], faults: [drain])).run()
        return try #require(r.jobs?.first)
    }

    /// backoffLimit 0 and a drain at 20 s that evicts the running pod. Without a policy the
    /// deleted pod counts as failed at once: Failed (BackoffLimitExceeded) at 20 s.
    @Test func withoutAPolicyTheEvictionFailsTheJob() throws {
        let j = try Self.drained(Self.job(backoffLimit: 0, rules: nil))
        #expect(j.outcome == "Failed" && j.reason == "BackoffLimitExceeded")
        #expect(j.failed == 1 && j.podsCreated == 1)
        #expect(JobRunTests.near(j.finishedAt, 20.01, within: 0.05), "\(j)")
    }

    /// A policy whose rules do not match the eviction (its container ends with 143 after
    /// SIGTERM, not 42): the failure counts once the pod is gone, its phase Failed — after the
    /// 1 s shutdown — so the Job fails at about 21 s.
    @Test func aPolicyWithoutAMatchingRuleCountsTheEviction() throws {
        let j = try Self.drained(Self.job(backoffLimit: 0, rules: [Self.failOn42]))
        #expect(j.outcome == "Failed" && j.reason == "BackoffLimitExceeded")
        #expect(j.failed == 1 && j.podsCreated == 1)
        #expect(JobRunTests.near(j.finishedAt, 21.02, within: 0.05), "\(j)")
    }

    /// Ignore on DisruptionTarget: the evicted pod carries the condition, its failure is not
    /// counted, and — the back-off still counts it — its replacement is created 10 s after it
    /// was gone (about 21 s) on the other node: pull 4, start 1, run 30 → Complete at about
    /// 21 + 10 + 35 = 66 s, with two pods and no failure counted.
    @Test func ignoringDisruptionsKeepsTheRetries() throws {
        let j = try Self.drained(Self.job(backoffLimit: 0, rules: [Self.failOn42, Self.ignoreDisruptions]))
        #expect(j.outcome == "Complete" && j.reason == "CompletionsReached")
        #expect(j.failed == 0 && j.succeeded == 1 && j.podsCreated == 2)
        #expect(JobRunTests.near(j.finishedAt, 66.05, within: 0.2), "\(j)")
    }

    static func failingRuns(exitCode: Int32) -> [PodTimingRule] {
        var t = JobRunTests.timing(failureProbability: 1)
        t[0].exitCode = exitCode
        return t
    }

    /// Every run exits 42: the FailJob rule fails the Job at the first failure (about 35 s)
    /// with reason PodFailurePolicy, although backoffLimit 6 would allow six more.
    @Test func failJobEndsTheJobAtOnce() throws {
        let r = ClusterSimulation(
            spec: JobRunTests.spec(
                jobs: [Self.job(backoffLimit: 6, rules: [Self.failOn42])], timing: Self.failingRuns(exitCode: 42))
        ).run()
        let j = try #require(r.jobs?.first)
        #expect(j.outcome == "Failed" && j.reason == "PodFailurePolicy")
        #expect(j.failed == 1 && j.podsCreated == 1)
        #expect(JobRunTests.near(j.finishedAt, 35.05, within: 0.1), "\(j)")
    }

    /// Every run exits 3 and an Ignore rule takes exit code 3: nothing counts toward
    /// backoffLimit 0, but the back-off doubles as for counted failures — pods fail at 35,
    /// 76, 127 and 198 s and are created at 0, 45, 96 and 167 s (as in
    /// `JobRunTests.failedPodsAreReplacedAfterTheBackoff`); the fifth would start at 278 s,
    /// after the 240 s run.
    @Test func ignoredExitCodesStillBackOff() throws {
        let ignore3 = Rule(action: "Ignore", onExitCodes: .init(operator: "In", values: [3]))
        let r = ClusterSimulation(
            spec: JobRunTests.spec(
                jobs: [Self.job(backoffLimit: 0, rules: [ignore3])], duration: 240, timing: Self.failingRuns(exitCode: 3))
        ).run()
        let j = try #require(r.jobs?.first)
        #expect(j.outcome == "Running")
        #expect(j.failed == 0 && j.podsCreated == 4)
    }
}
