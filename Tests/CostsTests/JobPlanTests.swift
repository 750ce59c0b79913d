import Catalog
import Foundation
import KubeModel
import Scenario
import SimKernel
import Simulation
import Testing

@testable import Costs

/// `k3sim plan` makes room for Jobs and CronJobs at their peak. The cluster: K3S on Hetzner
/// with every bundled add-on disabled (no system pods), one SQLite server that takes no pods,
/// nothing to survive; every pod requests 500m and 64Mi. K3S reserves no CPU, so a CPX agent
/// takes 2 such pods per vCPU. Orderable CPX types in eu-central, new-order list prices:
/// cpx12 1 vCPU 11.49, cpx22 2 vCPU 19.49, cpx32 4 vCPU 35.49, cpx42 8 vCPU 69.49 EUR a month
/// (each below its hourly price × 730); the CCX types cost more per vCPU.
@Suite(.serialized) struct JobPlanTests {
    static func scenario(_ objects: String, timing: String = "") -> String {
        """
        apiVersion: k3sim/v1alpha1
        kind: Scenario
        metadata: {name: batch-plan}
        spec:
          duration: 10m
          platform:
            distribution: k3s
            provider: hetzner
            region: eu-central
            kubernetesVersion: "1.33"
            disable: [traefik, servicelb, coredns, metrics-server, local-storage]
          controlPlane: {count: 1, serverType: cpx22, locations: [fsn1], datastore: sqlite, schedulable: false}
          nodePools:
            - {name: agents, serverType: cpx12, count: 1, locations: [fsn1]}
          workloads:
            - object:
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: example/web:1, resources: {requests: {cpu: 500m, memory: 64Mi}}}]
        \(objects)
          timing:
            - selector: {matchLabels: {app: batch}}
              runDuration: 10m
            - selector: {matchLabels: {app: report}}
              runDuration: 150s
        \(timing)
        """
    }

    /// parallelism 4 of 8 completions: 4 pods at once.
    static let job = """
            - object:
                apiVersion: batch/v1
                kind: Job
                metadata: {name: batch, namespace: shop}
                spec:
                  parallelism: 4
                  completions: 8
                  template:
                    metadata: {labels: {app: batch}}
                    spec:
                      restartPolicy: Never
                      containers: [{name: batch, image: example/batch:1, resources: {requests: {cpu: 500m, memory: 64Mi}}}]
        """

    /// Every minute, one pod per run, runs of 150 s.
    static func cronJob(_ policy: String) -> String {
        """
            - object:
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: report, namespace: shop}
                spec:
                  schedule: "* * * * *"
                  concurrencyPolicy: \(policy)
                  jobTemplate:
                    spec:
                      template:
                        metadata: {labels: {app: report}}
                        spec:
                          restartPolicy: Never
                          containers: [{name: report, image: example/report:1, resources: {requests: {cpu: 500m, memory: 64Mi}}}]
        """
    }

    func plan(_ text: String) throws -> Plan {
        let s = try ScenarioLoader.load(text: text, path: "batch-plan.yaml")
        let request = ComparisonRequest(
            platform: s.platform, workloadsFor: { s.workloads(for: $0) }, parameters: s.spec.parameters,
            scheduler: s.spec.scheduler, timing: s.spec.timing, providers: [.hetzner], survive: .none,
            currency: "EUR", seed: s.spec.seed)
        let result = try Comparison.plans(request, catalog: Fixtures.catalog)
        return try #require(result.plans.first, "\(result.notes)")
    }

    func agents(_ p: Plan) -> String { p.platform.pools.map { "\($0.count)×\($0.type)" }.joined(separator: " + ") }

    /// Without batch work the web pod (500m) fits the smallest agent, 1 × cpx12. With the Job
    /// (4 pods) and the CronJob (runs start every 60 s and last 150 s: the runs started at t,
    /// t + 60 and t + 120 overlap, 3 pods) the plan needs 1 + 4 + 3 = 8 pods × 500m = 4 vCPU:
    /// 4 × cpx12 cost 45.96, 2 × cpx22 38.98, 1 × cpx32 35.49; the only mix under 35.49,
    /// cpx12 + cpx22 (30.98), has 3 vCPU. So 1 × cpx32.
    @Test func aJobAndAnOverlappingCronJobNeedALargerAgent() throws {
        let without = try plan(Self.scenario(""))
        #expect(agents(without) == "1×cpx12")
        #expect(without.jobsAtPeak == nil)
        #expect(!without.notes.contains { $0.contains("Jobs/CronJobs") })

        let with = try plan(Self.scenario(Self.job + "\n" + Self.cronJob("Allow")))
        #expect(agents(with) == "1×cpx32")
        let peak = try #require(with.jobsAtPeak)
        #expect(peak.pods == 7)
        #expect(peak.requests.milliCPU == 3500)
        #expect(peak.requests.memoryBytes == 7 * 64 * 1024 * 1024)
        #expect(peak.entries.map(\.name) == ["shop/batch", "shop/report"])
        #expect(peak.entries.map(\.overlappingRuns) == [1, 3])
        #expect(
            with.notes.contains(
                "Jobs/CronJobs at peak: 7 pods, 3.5 CPU, 448 MiB (job shop/batch: 4 pods; "
                    + "cronjob shop/report: 3 overlapping runs × 1 pod, runs of 150 s at p95)."))
    }

    /// Forbid never runs two Jobs at once: web + 1 report pod = 1 vCPU, which 1 × cpx12 has
    /// exactly. Allow on the same schedule keeps 3 runs: 4 pods, 2 vCPU: 1 × cpx22 (19.49)
    /// is cheaper than 2 × cpx12 (22.98).
    @Test func aForbidCronJobIsCountedOnce() throws {
        let forbid = try plan(Self.scenario(Self.cronJob("Forbid")))
        #expect(agents(forbid) == "1×cpx12")
        #expect(forbid.jobsAtPeak?.pods == 1)
        #expect(forbid.notes.contains { $0.contains("cronjob shop/report: 1 pod, one run at a time (Forbid))") })
        let allow = try plan(Self.scenario(Self.cronJob("Allow")))
        #expect(agents(allow) == "1×cpx22")
        #expect(allow.jobsAtPeak?.pods == 3)
    }
}

/// The peak each Job and CronJob adds, worked out by hand from `wantActive` and the schedule.
@Suite struct JobPeakDemandTests {
    func template(_ app: String, cpu: Int64 = 250) -> PodTemplateSpec {
        var spec = PodSpec(
            containers: [
                Container(
                    name: app, image: "example/\(app):1",
                    resources: ResourceRequirements(requests: ["cpu": Quantity(milli: cpu)]))
            ])
        spec.restartPolicy = "Never"
        return PodTemplateSpec(metadata: ObjectMeta(name: "", labels: ["app": app]), spec: spec)
    }

    func job(_ name: String, parallelism: Int, completions: Int?, mode: JobSpec.CompletionMode = .NonIndexed) -> Job {
        Job(
            metadata: ObjectMeta(name: name),
            spec: JobSpec(template: template(name), parallelism: parallelism, completions: completions, completionMode: mode))
    }

    @Test func jobPodsAtOnce() {
        var w = Workloads()
        w.jobs = [
            job("wide", parallelism: 5, completions: 2),  // min(5, 2)
            job("indexed", parallelism: 3, completions: 10, mode: .Indexed),  // min(3, 10)
            job("queue", parallelism: 4, completions: nil),  // work queue: parallelism
        ]
        var suspended = job("held", parallelism: 6, completions: 6)
        suspended.spec.suspend = true
        w.jobs.append(suspended)
        let d = JobPeakDemand(w, timing: [])
        #expect(d.entries.map(\.name) == ["default/wide", "default/indexed", "default/queue"])
        #expect(d.entries.map(\.pods) == [2, 3, 4])
        #expect(d.requests.milliCPU == 9 * 250)
    }

    func cronJob(_ schedule: String, _ policy: CronJob.ConcurrencyPolicy, spec: JobSpec? = nil) -> CronJob {
        CronJob(
            metadata: ObjectMeta(name: "c"), schedule: schedule,
            jobSpec: spec ?? JobSpec(template: template("c")), concurrencyPolicy: policy)
    }

    func rule(_ seconds: Double) -> PodTimingRule {
        var r = PodTimingRule(selector: LabelSelector(matchLabels: ["app": "c"]))
        r.runDuration = .constant(seconds)
        return r
    }

    func runs(_ cj: CronJob, _ timing: [PodTimingRule]) -> [Int] {
        var w = Workloads()
        w.cronJobs = [cj]
        return JobPeakDemand(w, timing: timing).entries.map(\.overlappingRuns)
    }

    @Test func cronJobRunsThatOverlap() {
        // Every 5 minutes, runs of 12 min: started at 0, 5 and 10 still run at 11.
        #expect(runs(cronJob("*/5 * * * *", .Allow), [rule(720)]) == [3])
        // Exactly 10 min: the run started at 0 has ended when the one at 10 starts.
        #expect(runs(cronJob("*/5 * * * *", .Allow), [rule(600)]) == [2])
        #expect(runs(cronJob("*/5 * * * *", .Forbid), [rule(720)]) == [1])
        #expect(runs(cronJob("*/5 * * * *", .Replace), [rule(720)]) == [1])
        // Hourly runs of 30 min never overlap.
        #expect(runs(cronJob("0 * * * *", .Allow), [rule(1800)]) == [1])
        // Bunched times :00 and :05, runs of 10 min: two at once, not ceil(600 / 300) = 2 every
        // five minutes; runs of 70 min: :00, :05 and the next hour's :00 and :05 → 4.
        #expect(runs(cronJob("0,5 * * * *", .Allow), [rule(600)]) == [2])
        #expect(runs(cronJob("0,5 * * * *", .Allow), [rule(4200)]) == [4])
        // No timing rule: the default run's p95 is 2 min; every minute → 2.
        #expect(runs(cronJob("* * * * *", .Allow), []) == [2])
    }

    @Test func aRunLastsItsWavesAndNoLongerThanItsDeadline() {
        // 4 completions 2 at a time: two waves of 100 s.
        var spec = JobSpec(template: template("c"), parallelism: 2, completions: 4)
        #expect(JobPeakDemand.runLength(spec, podRun: .constant(100)) == 200)
        // Every minute: runs of 200 s overlap 4 times (0, 60, 120, 180).
        #expect(runs(cronJob("* * * * *", .Allow, spec: spec), [rule(100)]) == [4])
        spec.activeDeadlineSeconds = 90
        #expect(JobPeakDemand.runLength(spec, podRun: .constant(100)) == 90)
        #expect(runs(cronJob("* * * * *", .Allow, spec: spec), [rule(100)]) == [2])
    }

    @Test func suspendedCronJobsAddNothing() {
        var a = cronJob("* * * * *", .Allow)
        a.suspend = true
        var b = cronJob("* * * * *", .Allow)
        b.jobSpec.suspend = true
        var w = Workloads()
        w.cronJobs = [a, b]
        #expect(JobPeakDemand(w, timing: []).entries.isEmpty)
    }

    /// The 95th percentiles the overlap reads, by hand.
    @Test func percentiles() {
        #expect(Distribution.constant(7).p95 == 7)
        #expect(Distribution.uniform(min: 10, max: 30).p95 == 29)
        #expect(abs(Distribution.exponential(mean: 10).p95 - 10 * log(20.0)) < 1e-9)
        #expect(Distribution.lognormal(median: 30, p95: 120).p95 == 120)
        // 21 samples 0…20: the 0.95 × 20 = 19th sorted value.
        #expect(Distribution.empirical((0...20).map(Double.init).reversed()).p95 == 19)
    }
}
