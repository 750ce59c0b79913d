/// `batch/v1 JobSpec` with the batch/v1 defaults.
///
/// The defaults are those of `pkg/apis/batch/v1/defaults.go` `SetDefaults_Job`: parallelism 1,
/// completionMode NonIndexed, backoffLimit 6, suspend false. `completions` nil is the work-queue
/// style: the Job is done when any pod succeeded and none is left running.
public struct JobSpec: Hashable, Sendable, Decodable, StrictFields {
    public enum CompletionMode: String, Hashable, Sendable, Decodable { case NonIndexed, Indexed }

    public var parallelism: Int
    public var completions: Int?
    public var completionMode: CompletionMode
    public var backoffLimit: Int
    public var activeDeadlineSeconds: Int?
    public var ttlSecondsAfterFinished: Int?
    public var suspend: Bool
    /// What a failed pod means (`PodFailurePolicy.match`); nil: every failure counts.
    public var podFailurePolicy: PodFailurePolicy?
    /// When an Indexed Job succeeds before all its indexes did (`SuccessPolicy.match`).
    public var successPolicy: SuccessPolicy?
    public var template: PodTemplateSpec

    public init(
        template: PodTemplateSpec, parallelism: Int = 1, completions: Int? = 1, backoffLimit: Int = 6,
        completionMode: CompletionMode = .NonIndexed, activeDeadlineSeconds: Int? = nil
    ) {
        self.template = template; self.parallelism = parallelism; self.completions = completions
        self.backoffLimit = backoffLimit; self.completionMode = completionMode
        self.activeDeadlineSeconds = activeDeadlineSeconds; self.ttlSecondsAfterFinished = nil
        self.suspend = false; self.podFailurePolicy = nil; self.successPolicy = nil
    }

    public static let typeName = "JobSpec"
    public static let usedFields = [
        "parallelism", "completions", "completionMode", "backoffLimit", "activeDeadlineSeconds",
        "ttlSecondsAfterFinished", "suspend", "podFailurePolicy", "successPolicy", "template",
    ]
    public static let ignoredFields = [
        "selector", "manualSelector", "backoffLimitPerIndex", "maxFailedIndexes", "podReplacementPolicy", "managedBy",
    ]
    enum CodingKeys: String, CodingKey {
        case parallelism, completions, completionMode, backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished
        case suspend, podFailurePolicy, successPolicy, template
    }

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        completions = try c.opt(Int.self, .completions)
        // SetDefaults_Job: with neither written, both are 1; parallelism alone leaves
        // completions nil (work queue).
        let p = try c.opt(Int.self, .parallelism)
        if p == nil && completions == nil { completions = 1 }
        parallelism = p ?? 1
        completionMode = try c.opt(CompletionMode.self, .completionMode) ?? .NonIndexed
        backoffLimit = try c.opt(Int.self, .backoffLimit) ?? 6
        activeDeadlineSeconds = try c.opt(Int.self, .activeDeadlineSeconds)
        ttlSecondsAfterFinished = try c.opt(Int.self, .ttlSecondsAfterFinished)
        suspend = try c.opt(Bool.self, .suspend) ?? false
        podFailurePolicy = try c.opt(PodFailurePolicy.self, .podFailurePolicy)
        successPolicy = try c.opt(SuccessPolicy.self, .successPolicy)
        template = try c.decode(PodTemplateSpec.self, forKey: .template)
    }
}

/// `batch/v1 Job`.
public struct Job: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var spec: JobSpec

    public init(metadata: ObjectMeta, spec: JobSpec) { self.metadata = metadata; self.spec = spec }

    public static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
    public static let ignoredFields = ["status"]
    enum CodingKeys: String, CodingKey { case metadata, spec }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        spec = try c.decode(JobSpec.self, forKey: .spec)
    }
}

/// `batch/v1 CronJob` with the batch/v1 defaults (`SetDefaults_CronJob`): concurrencyPolicy
/// Allow, suspend false, successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1.
public struct CronJob: Hashable, Sendable, Decodable, StrictFields {
    public enum ConcurrencyPolicy: String, Hashable, Sendable, Decodable { case Allow, Forbid, Replace }

    public var metadata: ObjectMeta
    /// As written; the API server's validation parses it (`CronSchedule`).
    public var schedule: String
    public var timeZone: String?
    public var concurrencyPolicy: ConcurrencyPolicy
    public var startingDeadlineSeconds: Int?
    public var suspend: Bool
    public var successfulJobsHistoryLimit: Int
    public var failedJobsHistoryLimit: Int
    /// The job template's labels and annotations, given to each Job it creates.
    public var jobMetadata: ObjectMeta
    public var jobSpec: JobSpec

    public init(
        metadata: ObjectMeta, schedule: String, jobSpec: JobSpec, concurrencyPolicy: ConcurrencyPolicy = .Allow,
        startingDeadlineSeconds: Int? = nil
    ) {
        self.metadata = metadata; self.schedule = schedule; self.jobSpec = jobSpec
        self.concurrencyPolicy = concurrencyPolicy; self.startingDeadlineSeconds = startingDeadlineSeconds
        self.timeZone = nil; self.suspend = false; self.successfulJobsHistoryLimit = 3; self.failedJobsHistoryLimit = 1
        self.jobMetadata = ObjectMeta(name: "")
    }

    public static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
    public static let ignoredFields = ["status"]
    enum CodingKeys: String, CodingKey { case metadata, spec }

    struct Spec: Decodable, StrictFields {
        static let typeName = "CronJobSpec"
        static let usedFields = [
            "schedule", "timeZone", "concurrencyPolicy", "startingDeadlineSeconds", "suspend",
            "successfulJobsHistoryLimit", "failedJobsHistoryLimit", "jobTemplate",
        ]
        enum CodingKeys: String, CodingKey {
            case schedule, timeZone, concurrencyPolicy, startingDeadlineSeconds, suspend
            case successfulJobsHistoryLimit, failedJobsHistoryLimit, jobTemplate
        }
        var schedule: String?, timeZone: String?, concurrencyPolicy: ConcurrencyPolicy?, startingDeadlineSeconds: Int?
        var suspend: Bool?, successfulJobsHistoryLimit: Int?, failedJobsHistoryLimit: Int?, jobTemplate: JobTemplate
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            schedule = try c.opt(String.self, .schedule)
            timeZone = try c.opt(String.self, .timeZone)
            concurrencyPolicy = try c.opt(ConcurrencyPolicy.self, .concurrencyPolicy)
            startingDeadlineSeconds = try c.opt(Int.self, .startingDeadlineSeconds)
            suspend = try c.opt(Bool.self, .suspend)
            successfulJobsHistoryLimit = try c.opt(Int.self, .successfulJobsHistoryLimit)
            failedJobsHistoryLimit = try c.opt(Int.self, .failedJobsHistoryLimit)
            jobTemplate = try c.decode(JobTemplate.self, forKey: .jobTemplate)
        }
    }

    /// `JobTemplateSpec`.
    struct JobTemplate: Decodable, StrictFields {
        static let typeName = "JobTemplateSpec"
        static let usedFields = ["metadata", "spec"]
        enum CodingKeys: String, CodingKey { case metadata, spec }
        var metadata: ObjectMeta, spec: JobSpec
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            metadata = try c.opt(ObjectMeta.self, .metadata) ?? ObjectMeta(name: "")
            spec = try c.decode(JobSpec.self, forKey: .spec)
        }
    }

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        let s = try c.decode(Spec.self, forKey: .spec)
        schedule = s.schedule ?? ""
        timeZone = s.timeZone
        concurrencyPolicy = s.concurrencyPolicy ?? .Allow
        startingDeadlineSeconds = s.startingDeadlineSeconds
        suspend = s.suspend ?? false
        successfulJobsHistoryLimit = s.successfulJobsHistoryLimit ?? 3
        failedJobsHistoryLimit = s.failedJobsHistoryLimit ?? 1
        jobMetadata = s.jobTemplate.metadata
        jobSpec = s.jobTemplate.spec
    }
}
