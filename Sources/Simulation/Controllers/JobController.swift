import KubeModel
import SimKernel

/// The Job controller's events.
enum JobEvent: Equatable {
    /// The queued sync of a Job (after a pod change, its backoff, or its deadline), with the
    /// time it was queued for: a sync delayed while no controller-manager leads still runs.
    case sync(job: Int, due: SimTime)
    /// `ttlSecondsAfterFinished` passed: the TTL-after-finished controller deletes the Job.
    case ttlExpired(job: Int)
}

/// What the Job controller uses of the cluster: the pods, the clock, the event queue, pod
/// creation (with admission) and deletion, the kubelet's restart counts, and the CronJob
/// controller that hears of its Jobs finishing.
protocol JobControllerContext: AnyObject {
    var now: SimTime { get }
    var pods: [PodID: SimPod] { get }
    func schedule(_ event: JobEvent, at time: SimTime)
    /// From a write to the informers that tell a controller (`apiLatency`).
    func informerLatency() -> SimTime
    func addJobWorkload(name: String) -> WorkloadID
    /// A pod of the Job; nil when admission refused it (FailedCreate, noted once).
    func createJobPod(_ job: SimJob, name: String, labels: [String: String], owner: PodOwner) -> PodID?
    func deletePod(_ id: PodID, reason: String)
    /// generateName's random suffix (five characters), from the Job's own stream.
    func generatedSuffix(for job: String) -> String
    func containerRestartCount(_ pod: PodID) -> Int
    func jobFinished(_ job: Int)
}

/// One Job as the controller tracks it: the object (spec, status counters and conditions)
/// and its pods.
struct SimJob {
    let name: String
    let namespace: String
    let spec: JobSpec
    /// The template's labels plus the ones the controller adds (`job-name`, …).
    let podLabels: [String: String]
    let workload: WorkloadID
    /// The CronJob that created it.
    let cronJob: Int?
    let created: SimTime
    var startTime: SimTime?
    /// Pods that are neither finished nor terminating (`status.active`), with their index.
    var active: [PodID: Int] = [:]
    var succeeded = 0
    var failed = 0
    var succeededIndexes = Set<Int>()
    /// With a podFailurePolicy, pods deleted before they finished and not gone yet, with their
    /// index and whether their containers had started: such a pod counts as failed only once
    /// its phase is Failed, and is not replaced before (`isPodFailed`, `onlyReplaceFailedPods`).
    var terminating: [PodID: (index: Int, started: Bool)] = [:]
    /// The message of the FailJob rule a failed pod matched; the next sync fails the Job.
    var failJobMessage: String?
    var failuresAfterLastSuccess = 0
    var lastFailure: SimTime?
    var podsCreated = 0
    /// Complete or Failed, with its reason and when.
    var condition: (type: String, reason: String, at: SimTime)?
    /// Deleted by the TTL-after-finished controller or by its CronJob.
    var deletedAt: SimTime?
    /// When its queued sync runs (a workqueue holds a key once; an earlier request wins).
    var syncQueued: SimTime?

    var key: String { "\(namespace)/\(name)" }
    var finished: Bool { condition != nil }
}

/// The Job controller (kubernetes pkg/controller/job/job_controller.go `syncJob`, `manageJob`):
/// keeps `parallelism` pods running until `completions` succeeded (or, without completions, one
/// succeeded and the rest finished); replaces failed pods after the pod failure back-off (10 s
/// doubling to 6 min since the last failure, counted since the last success); fails the Job with
/// BackoffLimitExceeded when more than backoffLimit pods failed (for restartPolicy OnFailure also
/// when the running pods' container restarts reach it) and with DeadlineExceeded once
/// activeDeadlineSeconds passed since it started, deleting the pods that still run.
///
/// A pod deleted before it finished — evicted by a drain, by the taint manager or by PodGC — counts
/// as failed (`isPodFailed`: without a pod failure policy "count deleted Pods as failures") and is
/// replaced at once: without a podFailurePolicy the podReplacementPolicy is TerminatingOrFailed.
/// With a podFailurePolicy a deleted pod fails only once it is gone (phase Failed) and is replaced
/// only then (`onlyReplaceFailedPods`), and each failed pod goes through `PodFailurePolicy.match`
/// (pod_failure_policy.go `matchPodFailurePolicy`): Ignore keeps it out of `failed`, FailJob fails
/// the Job with reason PodFailurePolicy at the next sync, before the backoffLimit is looked at.
final class JobController {
    private(set) var jobs: [SimJob] = []

    func handle(_ event: JobEvent, in ctx: JobControllerContext) {
        switch event {
        case .sync(let j, let due):
            // An earlier request replaced this one.
            guard jobs[j].syncQueued == due else { return }
            jobs[j].syncQueued = nil
            sync(j, in: ctx)
        case .ttlExpired(let j):
            guard jobs[j].deletedAt == nil else { return }
            jobs[j].deletedAt = ctx.now
        }
    }

    /// A Job object is created (from the manifests or by a CronJob); the first sync follows
    /// after the informer latency.
    @discardableResult
    func create(_ job: Job, cronJob: Int? = nil, in ctx: JobControllerContext) -> Int {
        var labels = job.spec.template.metadata.labels
        // The labels the Job controller's defaulting adds to the template (batch
        // `SetDefaults_Job` with the controller-uid selector; the uid is left out here).
        labels["batch.kubernetes.io/job-name"] = job.metadata.name
        labels["job-name"] = job.metadata.name
        jobs.append(
            SimJob(
                name: job.metadata.name, namespace: job.metadata.namespace, spec: job.spec, podLabels: labels,
                workload: ctx.addJobWorkload(name: job.metadata.key), cronJob: cronJob, created: ctx.now))
        let j = jobs.count - 1
        enqueue(j, in: ctx)
        return j
    }

    /// The Job is deleted with background propagation (its CronJob replaced it or dropped it
    /// from its history): its running pods are deleted.
    func delete(_ j: Int, in ctx: JobControllerContext) {
        guard jobs[j].deletedAt == nil else { return }
        jobs[j].deletedAt = ctx.now
        for id in jobs[j].active.keys.sorted() { ctx.deletePod(id, reason: "Job \(jobs[j].key) deleted") }
    }

    func enqueue(_ j: Int, in ctx: JobControllerContext, after delay: SimTime? = nil) {
        let at = ctx.now + (delay ?? ctx.informerLatency())
        if let queued = jobs[j].syncQueued, queued <= at { return }
        jobs[j].syncQueued = at
        ctx.schedule(.sync(job: j, due: at), at: at)
    }

    // MARK: pod events

    /// The pod's containers exited and its phase is terminal (the kubelet's status update); a
    /// failed pod's first container exited with `exitCode` (the others with 0), or — `lost` —
    /// its containers vanished with its node's restart.
    func podFinished(
        _ id: PodID, succeeded: Bool, exitCode: Int32 = 1, lost: Bool = false, in ctx: JobControllerContext
    ) {
        guard let pod = ctx.pods[id], case .job(let j) = pod.owner, let index = jobs[j].active.removeValue(forKey: id) else {
            return
        }
        if succeeded {
            jobs[j].succeeded += 1
            jobs[j].succeededIndexes.insert(index)
            jobs[j].failuresAfterLastSuccess = 0
            jobs[j].lastFailure = nil
        } else {
            podFailed(j, lost ? JobPodStatus.lost(pod) : JobPodStatus.exited(pod, exitCode: exitCode), at: ctx.now)
        }
        enqueue(j, in: ctx)
    }

    /// A pod got a deletionTimestamp, or went without one: if it had not finished, it failed.
    ///
    /// With a podFailurePolicy it fails once it is gone (its phase is Failed then), and the policy
    /// decides what the failure means.
    func podGone(_ pod: SimPod, in ctx: JobControllerContext) {
        guard case .job(let j) = pod.owner else { return }
        // The pods a success policy's completion deletes are not failures
        // (`trackJobStatusAndRemoveFinalizers` counts them only after a failure condition).
        if jobs[j].condition?.reason == "SuccessPolicy" {
            jobs[j].active[pod.id] = nil
            jobs[j].terminating[pod.id] = nil
            return
        }
        if jobs[j].spec.podFailurePolicy != nil {
            terminatingPodGone(j, pod, in: ctx)
            return
        }
        guard jobs[j].active.removeValue(forKey: pod.id) != nil else { return }
        countFailure(j, at: pod.deletionTimestamp ?? ctx.now)
        enqueue(j, in: ctx)
    }

    private func terminatingPodGone(_ j: Int, _ pod: SimPod, in ctx: JobControllerContext) {
        let removed = ctx.pods[pod.id] == nil
        if let index = jobs[j].active.removeValue(forKey: pod.id) {
            jobs[j].terminating[pod.id] = (index, pod.statusRunning)
            enqueue(j, in: ctx)
        }
        guard removed, let t = jobs[j].terminating.removeValue(forKey: pod.id) else { return }
        podFailed(j, JobPodStatus.deleted(pod, containersStarted: t.started), at: ctx.now)
        enqueue(j, in: ctx)
    }

    /// `matchPodFailurePolicy` decides: Ignore leaves the failure out of `failed` (the
    /// back-off still counts it: `getNewFinishedPods` takes every failed pod), FailJob fails
    /// the Job at its next sync, Count and no match count it.
    private func podFailed(_ j: Int, _ status: FailedPodStatus, at t: SimTime) {
        let m = PodFailurePolicy.match(jobs[j].spec.podFailurePolicy, status)
        if m.countFailed {
            countFailure(j, at: t)
        } else {
            jobs[j].failuresAfterLastSuccess += 1
            jobs[j].lastFailure = max(jobs[j].lastFailure ?? t, t)
        }
        if let message = m.jobFailureMessage, jobs[j].failJobMessage == nil { jobs[j].failJobMessage = message }
    }

    /// A container of the pod started or stopped: its restart count may have changed.
    func podStatusChanged(_ pod: SimPod, in ctx: JobControllerContext) {
        guard case .job(let j) = pod.owner, jobs[j].active[pod.id] != nil else { return }
        enqueue(j, in: ctx)
    }

    private func countFailure(_ j: Int, at t: SimTime) {
        jobs[j].failed += 1
        jobs[j].failuresAfterLastSuccess += 1
        jobs[j].lastFailure = max(jobs[j].lastFailure ?? t, t)
    }

    // MARK: sync

    private func sync(_ j: Int, in ctx: JobControllerContext) {
        guard jobs[j].deletedAt == nil, !jobs[j].finished else { return }
        let spec = jobs[j].spec
        if jobs[j].startTime == nil, !spec.suspend { jobs[j].startTime = ctx.now }
        let restarts = jobs[j].active.keys.reduce(0) { $0 + ctx.containerRestartCount($1) }
        // A FailJob rule's match goes before the backoffLimit (`syncJob` sets the
        // FailureTarget condition first).
        if jobs[j].failJobMessage != nil {
            finish(j, "Failed", "PodFailurePolicy", in: ctx)
            return
        }
        if JobArithmetic.pastBackoffLimit(
            failed: jobs[j].failed, backoffLimit: spec.backoffLimit,
            restartPolicy: spec.template.spec.restartPolicy, activeRestarts: restarts)
        {
            finish(j, "Failed", "BackoffLimitExceeded", in: ctx)
            return
        }
        if let d = spec.activeDeadlineSeconds, let start = jobs[j].startTime, ctx.now - start >= .seconds(Int64(d)) {
            finish(j, "Failed", "DeadlineExceeded", in: ctx)
            return
        }
        let succeeded = spec.completionMode == .Indexed ? jobs[j].succeededIndexes.count : jobs[j].succeeded
        // After the failure checks, as `syncJob` looks at the success policy.
        if spec.completionMode == .Indexed, let completions = spec.completions,
            SuccessPolicy.match(spec.successPolicy, completions: completions, succeeded: jobs[j].succeededIndexes) != nil
        {
            finish(j, "Complete", "SuccessPolicy", in: ctx)
            return
        }
        if JobArithmetic.complete(completions: spec.completions, succeeded: succeeded, active: jobs[j].active.count) {
            finish(j, "Complete", "CompletionsReached", in: ctx)
            return
        }
        if spec.suspend {
            deleteActive(j, reason: "Job \(jobs[j].key) suspended", in: ctx)
            return
        }
        // Every sync that leaves the Job running looks at it again when its deadline passes.
        if let d = spec.activeDeadlineSeconds, let start = jobs[j].startTime {
            enqueue(j, in: ctx, after: start + .seconds(Int64(d)) - ctx.now)
        }
        manage(j, succeeded: succeeded, in: ctx)
    }

    /// `manageJob`: deletes pods above the wanted count, newest first; creates the missing
    /// ones once the failure back-off has passed.
    private func manage(_ j: Int, succeeded: Int, in ctx: JobControllerContext) {
        let spec = jobs[j].spec
        let active = jobs[j].active.count
        // Terminating pods are replaced only once they failed when a podFailurePolicy is set.
        let terminating = jobs[j].terminating.count
        let want = JobArithmetic.wantActive(
            parallelism: spec.parallelism, completions: spec.completions,
            succeeded: succeeded, active: active)
        if active > want {
            for id in jobs[j].active.keys.sorted().suffix(active - want) {
                jobs[j].active[id] = nil
                ctx.deletePod(id, reason: "Job \(jobs[j].key): too many active pods")
            }
            return
        }
        guard want > active + terminating else { return }
        let wait = JobArithmetic.backoffRemaining(
            failuresAfterLastSuccess: jobs[j].failuresAfterLastSuccess,
            lastFailure: jobs[j].lastFailure, now: ctx.now)
        if wait > .zero {
            enqueue(j, in: ctx, after: wait)
            return
        }
        let indexes: [Int]
        if spec.completionMode == .Indexed, let completions = spec.completions {
            indexes = JobArithmetic.indexesToStart(
                completions: completions, succeeded: jobs[j].succeededIndexes,
                running: Set(jobs[j].active.values).union(jobs[j].terminating.values.map(\.index)),
                count: want - active - terminating)
        } else {
            indexes = Array(repeating: -1, count: want - active - terminating)
        }
        for index in indexes { createPod(j, index: index, in: ctx) }
    }

    private func createPod(_ j: Int, index: Int, in ctx: JobControllerContext) {
        let job = jobs[j]
        var labels = job.podLabels
        // generateName `<job>-` (Indexed: `<job>-<index>-`) with the completion index label.
        var prefix = job.name + "-"
        if index >= 0 {
            labels["batch.kubernetes.io/job-completion-index"] = String(index)
            prefix += "\(index)-"
        }
        let name = prefix + ctx.generatedSuffix(for: job.key)
        guard let id = ctx.createJobPod(job, name: name, labels: labels, owner: .job(j)) else { return }
        jobs[j].active[id] = index
        jobs[j].podsCreated += 1
    }

    private func finish(_ j: Int, _ type: String, _ reason: String, in ctx: JobControllerContext) {
        jobs[j].condition = (type, reason, ctx.now)
        deleteActive(j, reason: "Job \(jobs[j].key) \(reason)", in: ctx)
        if let ttl = jobs[j].spec.ttlSecondsAfterFinished {
            ctx.schedule(.ttlExpired(job: j), at: ctx.now + .seconds(Int64(ttl)))
        }
        ctx.jobFinished(j)
    }

    /// The running pods are deleted; as deleted pods they count as failed when they go.
    private func deleteActive(_ j: Int, reason: String, in ctx: JobControllerContext) {
        for id in jobs[j].active.keys.sorted() { ctx.deletePod(id, reason: reason) }
    }
}
