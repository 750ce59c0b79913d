/// What a Job did in the run: how it ended and how many pods it took.
public struct JobResult: Codable, Sendable, Equatable {
    /// `namespace/name`.
    public var name: String
    /// The CronJob that created it (`namespace/name`), nil for a Job of the manifests.
    public var cronJob: String?
    /// Simulated seconds at its creation and at its Complete or Failed condition.
    public var createdAt: Double
    public var finishedAt: Double?
    /// Complete, Failed, or Running (Suspended when it never started) at the end of the run.
    public var outcome: String
    /// The condition's reason: CompletionsReached, BackoffLimitExceeded, DeadlineExceeded, PodFailurePolicy.
    public var reason: String?
    public var succeeded: Int
    public var failed: Int
    public var podsCreated: Int
    /// Deleted during the run (ttlSecondsAfterFinished, its CronJob's history limits or Replace).
    public var deletedAt: Double?

    public init(
        name: String, cronJob: String?, createdAt: Double, finishedAt: Double?, outcome: String, reason: String?,
        succeeded: Int, failed: Int, podsCreated: Int, deletedAt: Double?
    ) {
        self.name = name; self.cronJob = cronJob; self.createdAt = createdAt; self.finishedAt = finishedAt
        self.outcome = outcome; self.reason = reason; self.succeeded = succeeded; self.failed = failed
        self.podsCreated = podsCreated; self.deletedAt = deletedAt
    }
}

/// What a CronJob did in the run.
public struct CronJobResult: Codable, Sendable, Equatable {
    public var name: String
    public var schedule: String
    public var jobsCreated: Int
    /// Schedule times passed over (too late for startingDeadlineSeconds, or superseded).
    public var missedStarts: Int
    /// Starts concurrencyPolicy Forbid skipped while a Job ran.
    public var forbiddenStarts: Int
    /// Running Jobs concurrencyPolicy Replace deleted.
    public var replacedJobs: Int

    public init(name: String, schedule: String, jobsCreated: Int, missedStarts: Int, forbiddenStarts: Int, replacedJobs: Int) {
        self.name = name; self.schedule = schedule; self.jobsCreated = jobsCreated; self.missedStarts = missedStarts
        self.forbiddenStarts = forbiddenStarts; self.replacedJobs = replacedJobs
    }
}

extension ClusterSimulation {
    /// The Jobs and CronJobs of the run, in creation order; nil when it had none (so that the
    /// records of runs without them stay as they were).
    func jobResults() -> (jobs: [JobResult]?, cronJobs: [CronJobResult]?) {
        let jobs = jobController.jobs.map { j in
            JobResult(
                name: j.key, cronJob: j.cronJob.map { cronJobController.cronJobs[$0].object.metadata.key },
                createdAt: j.created.seconds, finishedAt: j.condition?.at.seconds,
                outcome: j.condition?.type ?? (j.deletedAt != nil ? "Deleted" : j.startTime == nil ? "Suspended" : "Running"),
                reason: j.condition?.reason,
                succeeded: j.succeeded, failed: j.failed, podsCreated: j.podsCreated, deletedAt: j.deletedAt?.seconds)
        }
        let cronJobs = cronJobController.cronJobs.map { c in
            CronJobResult(
                name: c.object.metadata.key, schedule: c.object.schedule, jobsCreated: c.jobs.count,
                missedStarts: c.missedStarts, forbiddenStarts: c.forbiddenStarts, replacedJobs: c.replacedJobs)
        }
        return (jobs.isEmpty ? nil : jobs, cronJobs.isEmpty ? nil : cronJobs)
    }
}
