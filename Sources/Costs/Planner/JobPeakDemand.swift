import Foundation
import KubeModel
import SimKernel
import Simulation

/// What the workload's Jobs and CronJobs ask of the nodes at their peak.
///
/// That is the most pods each keeps running at once, and their requests. A plan must have room for
/// them even though a short fit simulation may see none of them running.
///
/// - A Job runs `wantActive` pods (kubernetes pkg/controller/job/job_controller.go
///   `manageJob`): min(parallelism, completions − succeeded), Indexed or not; a work-queue Job
///   (completions unset) runs parallelism pods. A scenario's Job has succeeded nothing yet.
/// - A CronJob adds one Job's peak per run that can be running at once: one for
///   concurrencyPolicy Forbid and Replace (cronjob_controllerv2.go `syncCronJob` skips or
///   deletes the running Job), and for Allow the most schedule times that fall within one run's
///   length (`CronOverlap`).
/// - A suspended Job, a suspended CronJob and a CronJob whose job template is suspended run
///   no pods.
public struct JobPeakDemand: Sendable, Equatable {
    public struct Entry: Sendable, Equatable, Codable {
        /// `job` or `cronjob`.
        public var kind: String
        /// `namespace/name`.
        public var name: String
        /// Pods one Job runs at once.
        public var podsPerRun: Int
        /// Runs that can be active together (1 for a Job).
        public var overlappingRuns: Int
        /// One pod's requests, as the scheduler counts them (`PodSpec.effectiveRequests`).
        public var milliCPUPerPod: Int64
        public var memoryBytesPerPod: Int64
        /// The run length the CronJob overlap was computed from (seconds); nil for a Job and
        /// for a CronJob that never runs two Jobs at once.
        public var runSeconds: Double?
        /// A CronJob's concurrencyPolicy; nil for a Job.
        public var concurrencyPolicy: String?

        public var pods: Int { podsPerRun * overlappingRuns }
    }

    public var entries: [Entry] = []
    /// The pod templates behind `entries`, in the same order (for the fit simulation).
    var templates: [PodTemplateSpec] = []

    public var pods: Int { entries.reduce(0) { $0 + $1.pods } }
    public var requests: Resources {
        entries.reduce(Resources.zero) {
            Resources(
                milliCPU: $0.milliCPU + $1.milliCPUPerPod * Int64($1.pods),
                memoryBytes: $0.memoryBytes + $1.memoryBytesPerPod * Int64($1.pods))
        }
    }

    public init(_ w: Workloads, timing: [PodTimingRule]) {
        for job in w.jobs where !job.spec.suspend {
            let n = Self.podsPerRun(job.spec)
            guard n > 0 else { continue }
            var template = job.spec.template
            // The labels the Job controller gives its pods (`job-name`), so that selectors
            // (anti-affinity, topology spread, timing rules) see the pods as they run.
            template.metadata.labels["batch.kubernetes.io/job-name"] = job.metadata.name
            template.metadata.labels["job-name"] = job.metadata.name
            add(kind: "job", name: job.metadata.key, template: template, podsPerRun: n, runs: 1, runSeconds: nil, policy: nil)
        }
        for cj in w.cronJobs where !cj.suspend && !cj.jobSpec.suspend {
            let n = Self.podsPerRun(cj.jobSpec)
            guard n > 0 else { continue }
            let template = cj.jobSpec.template
            var runs = 1
            var seconds: Double?
            if cj.concurrencyPolicy == .Allow {
                let run = PodTimingRule.jobRun(labels: template.metadata.labels, rules: timing).run
                let length = Self.runLength(cj.jobSpec, podRun: run)
                seconds = length
                runs = CronOverlap.maxOverlapping(
                    schedule: try? CronSchedule(cj.schedule), timeZone: cj.timeZone, runSeconds: length)
            }
            add(
                kind: "cronjob", name: cj.metadata.key, template: template, podsPerRun: n, runs: runs, runSeconds: seconds,
                policy: cj.concurrencyPolicy.rawValue)
        }
    }

    private mutating func add(
        kind: String, name: String, template: PodTemplateSpec, podsPerRun: Int, runs: Int, runSeconds: Double?,
        policy: String?
    ) {
        let r = template.spec.effectiveRequests
        entries.append(
            Entry(
                kind: kind, name: name, podsPerRun: podsPerRun, overlappingRuns: runs, milliCPUPerPod: r.milliCPU,
                memoryBytesPerPod: r.memoryBytes, runSeconds: runSeconds, concurrencyPolicy: policy))
        templates.append(template)
    }

    /// Pods a Job runs at once at its start (`JobArithmetic.wantActive` with nothing succeeded).
    static func podsPerRun(_ spec: JobSpec) -> Int {
        guard let completions = spec.completions else { return max(0, spec.parallelism) }
        return max(0, min(spec.parallelism, completions))
    }

    /// How long one Job of a CronJob runs, in seconds.
    ///
    /// It is the 95th percentile of its pods' run (`runDuration`, the simulation's own assumption)
    /// times the waves of pods its completions need at its parallelism, and no longer than
    /// activeDeadlineSeconds, which ends it. Pod start-up (pull, container start) is left out.
    static func runLength(_ spec: JobSpec, podRun: Distribution) -> Double {
        let parallel = max(1, min(spec.parallelism, spec.completions ?? spec.parallelism))
        let waves = spec.completions.map { ($0 + parallel - 1) / parallel } ?? 1
        var length = podRun.p95 * Double(max(1, waves))
        if let d = spec.activeDeadlineSeconds { length = min(length, Double(d)) }
        return length
    }

    /// The workload as the fit simulation places it: each Job and CronJob replaced by a
    /// ReplicaSet of its peak pods (same template, restartPolicy Always so that they stay), so
    /// that the scheduler must find room for all of them at once, and a crashed node's share
    /// is placed again elsewhere as the Job controller would replace it.
    func fitWorkloads(_ w: Workloads) -> Workloads {
        var out = w
        out.jobs = []
        out.cronJobs = []
        for (e, template) in zip(entries, templates) {
            let parts = e.name.split(separator: "/", maxSplits: 1).map(String.init)
            let marker = ["k3sim.io/peak-of": "\(e.kind).\(parts.last ?? e.name)"]
            var t = template
            t.metadata.labels.merge(marker) { _, new in new }
            t.spec.restartPolicy = "Always"
            out.replicaSets.append(
                ReplicaSetManifest(
                    metadata: ObjectMeta(name: "peak-\(e.kind)-\(parts.last ?? e.name)", namespace: parts.first ?? "default"),
                    replicas: e.pods, selector: LabelSelector(matchLabels: marker), template: t))
        }
        return out
    }

    /// "Jobs/CronJobs at peak: 7 pods, 3.5 CPU, 448 MiB (job shop/batch: 4 pods; cronjob
    /// shop/report: 3 overlapping runs × 1 pod, runs of 150 s at p95)"; nil without any.
    public var summary: String? {
        guard !entries.isEmpty else { return nil }
        func podCount(_ n: Int) -> String { "\(n) pod\(n == 1 ? "" : "s")" }
        let parts = entries.map { e -> String in
            let s = "\(e.kind) \(e.name): "
            guard let policy = e.concurrencyPolicy else { return s + podCount(e.pods) }
            guard policy == CronJob.ConcurrencyPolicy.Allow.rawValue, let r = e.runSeconds else {
                return s + "\(podCount(e.pods)), one run at a time (\(policy))"
            }
            return s + "\(e.overlappingRuns) overlapping run\(e.overlappingRuns == 1 ? "" : "s") × \(podCount(e.podsPerRun)), "
                + "runs of \(Self.seconds(r)) at p95"
        }
        let r = requests
        return "Jobs/CronJobs at peak: \(podCount(pods)), \(Self.cpu(r.milliCPU)) CPU, "
            + "\(Self.memory(r.memoryBytes)) (\(parts.joined(separator: "; ")))"
    }

    static func cpu(_ milli: Int64) -> String {
        milli % 1000 == 0 ? "\(milli / 1000)" : String(format: "%.3g", Double(milli) / 1000)
    }

    static func memory(_ bytes: Int64) -> String {
        let gib = Double(bytes) / Double(1 << 30)
        if gib >= 1 { return bytes % (1 << 30) == 0 ? "\(bytes >> 30) GiB" : String(format: "%.2f GiB", gib) }
        return "\(bytes >> 20) MiB"
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }
}
