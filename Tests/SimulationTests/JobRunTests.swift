import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// Jobs run end to end with constant timings (image pull 4 s, container start 1 s, run 30 s,
/// apiLatency 10 ms), so that each outcome and instant can be worked out by hand. The
/// scheduler's cycle adds a few milliseconds, hence the tolerances.
struct JobRunTests {
    static func job(
        _ name: String, completions: Int? = 1, parallelism: Int = 1, backoffLimit: Int = 6,
        restartPolicy: String = "Never", activeDeadlineSeconds: Int? = nil
    ) -> Job {
        var pod = PodSpec(containers: [
            Container(
                name: "main", image: "batch:1",
                resources: ResourceRequirements(requests: ["cpu": Quantity(milli: 500)]))
        ])
        pod.restartPolicy = restartPolicy
        let template = PodTemplateSpec(metadata: ObjectMeta(name: "", labels: ["app": name]), spec: pod)
        return Job(
            metadata: ObjectMeta(name: name),
            spec: JobSpec(
                template: template, parallelism: parallelism, completions: completions, backoffLimit: backoffLimit,
                activeDeadlineSeconds: activeDeadlineSeconds))
    }

    static func timing(run: Double = 30, failureProbability: Double = 0) -> [PodTimingRule] {
        var rule = Support.constantTiming
        rule.runDuration = .constant(run)
        rule.failureProbability = failureProbability
        return [rule]
    }

    static func spec(
        jobs: [Job] = [], cronJobs: [CronJob] = [], nodes: [String] = ["n1"], duration: Int64 = 600,
        timing: [PodTimingRule] = timing(), faults: [FaultSpec] = []
    ) -> ClusterSpec {
        var w = Workloads()
        w.jobs = jobs
        w.cronJobs = cronJobs
        return ClusterSpec(
            name: "t", duration: .seconds(duration), nodes: nodes.map { Support.node($0) }, workloads: w,
            timing: timing, faults: faults)
    }

    static func near(_ value: Double?, _ expected: Double, within tolerance: Double = 0.1) -> Bool {
        guard let value else { return false }
        return abs(value - expected) <= tolerance
    }

    /// Three completions one at a time: each pod starts 5 s after it is created the first
    /// time (pull 4 + start 1), 1 s later once the image is on the node, and runs 30 s: the
    /// Job completes at about 35 + 31 + 31 = 97 s with three pods, none failed. The
    /// finished pods no longer take room, and the Job is not an availability row.
    @Test func completionsRunOneAfterAnother() throws {
        let r = ClusterSimulation(spec: Self.spec(jobs: [Self.job("batch", completions: 3)])).run()
        let j = try #require(r.jobs?.first)
        #expect(j.outcome == "Complete" && j.reason == "CompletionsReached")
        #expect(j.succeeded == 3 && j.failed == 0 && j.podsCreated == 3)
        #expect(Self.near(j.finishedAt, 97), "\(j)")
        #expect(r.workloads.isEmpty)
        #expect(r.topology?.workloads.map(\.kind) == ["Job"])
    }

    /// Every run fails (restartPolicy Never, backoffLimit 2): pods fail at about 35 s, then
    /// one is created 10 s after each failure doubling — 45 s (fails at 76), 96 s (fails at
    /// 127) — and the third failure is past the limit: Failed BackoffLimitExceeded at 127 s.
    @Test func failedPodsAreReplacedAfterTheBackoff() throws {
        let r = ClusterSimulation(
            spec: Self.spec(
                jobs: [Self.job("migrate", backoffLimit: 2)],
                timing: Self.timing(failureProbability: 1))
        ).run()
        let j = try #require(r.jobs?.first)
        #expect(j.outcome == "Failed" && j.reason == "BackoffLimitExceeded")
        #expect(j.failed == 3 && j.succeeded == 0 && j.podsCreated == 3)
        #expect(Self.near(j.finishedAt, 127), "\(j)")
    }

    /// restartPolicy OnFailure: the kubelet restarts the failed container in place — at once
    /// after the first exit (35 s), 10 s after the second (66 s → 76 s) — and the second
    /// restart reaches backoffLimit 2 once it is reported (container start, 77 s): the Job
    /// fails with its one pod, deleted and counted failed.
    @Test func onFailureRestartsCountTowardTheBackoffLimit() throws {
        let r = ClusterSimulation(
            spec: Self.spec(
                jobs: [Self.job("report", backoffLimit: 2, restartPolicy: "OnFailure")],
                timing: Self.timing(failureProbability: 1))
        ).run()
        let j = try #require(r.jobs?.first)
        #expect(j.outcome == "Failed" && j.reason == "BackoffLimitExceeded")
        #expect(j.podsCreated == 1 && j.failed == 1)
        #expect(Self.near(j.finishedAt, 77), "\(j)")
    }

    /// activeDeadlineSeconds 20 from the first sync (10 ms): Failed DeadlineExceeded at
    /// 20.01 s, its running pod deleted and counted failed.
    @Test func activeDeadlineFailsTheJob() throws {
        let r = ClusterSimulation(spec: Self.spec(jobs: [Self.job("slow", activeDeadlineSeconds: 20)])).run()
        let j = try #require(r.jobs?.first)
        #expect(j.outcome == "Failed" && j.reason == "DeadlineExceeded")
        #expect(j.failed == 1 && j.podsCreated == 1)
        #expect(Self.near(j.finishedAt, 20.01, within: 0.001), "\(j)")
    }

    /// A drain at 20 s evicts the running Job pod: deleted before it finished, it counts as
    /// failed, and its replacement is created 10 s after the deletion on the other node
    /// (pull 4, start 1, run 30): Complete at about 20 + 10 + 35 = 65 s with two pods.
    @Test func drainedJobPodIsCountedFailedAndReplaced() throws {
        var first: Int?
        let probe = ClusterSimulation(spec: Self.spec(jobs: [Self.job("backup")], nodes: ["n1", "n2"], duration: 5))
        probe.afterEvent = { sim in if first == nil, let n = sim.pods.values.first?.node { first = n } }
        _ = probe.run()
        let node = try #require(first) == 0 ? "n1" : "n2"
        let drain = FaultSpec(at: .seconds(20), action: .drain, target: .node(node))
        let r = ClusterSimulation(spec: Self.spec(jobs: [Self.job("backup")], nodes: ["n1", "n2"], faults: [drain])).run()
        let j = try #require(r.jobs?.first)
        #expect(j.outcome == "Complete")
        #expect(j.failed == 1 && j.succeeded == 1 && j.podsCreated == 2)
        #expect(Self.near(j.finishedAt, 65, within: 0.2), "\(j)")
    }

    /// The node under a running Job pod (restartPolicy Never) crashes at 20 s and is back at
    /// 50 s: the pod's container is not started again, so the pod fails when the kubelet is
    /// back and a replacement runs after the 10 s back-off.
    @Test func nodeRebootFailsANeverPod() throws {
        let crash = FaultSpec(at: .seconds(20), action: .crash, target: .node("n1"), duration: .seconds(30))
        let r = ClusterSimulation(spec: Self.spec(jobs: [Self.job("backup")], faults: [crash])).run()
        let j = try #require(r.jobs?.first)
        #expect(j.outcome == "Complete")
        #expect(j.failed == 1 && j.succeeded == 1 && j.podsCreated == 2)
    }
}
