/// An object of a kind the simulation does not model, kept so that the run can name what it
/// leaves out. Decoded leniently: only the name, the namespace and, for a
/// HorizontalPodAutoscaler, what it scales.
public struct UnmodelledObject: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var name: String
    /// As written; empty for cluster-scoped objects and objects left in the default namespace.
    public var namespace: String
    /// A HorizontalPodAutoscaler's `scaleTargetRef` as `Kind/name`, and its bounds.
    public var scaleTarget: String?
    public var minReplicas: Int?
    public var maxReplicas: Int?
    /// A CronJob's `spec.schedule` (the API server validates it; see CronSchedule).
    public var schedule: String?
    /// A Job's (or a CronJob's job template's) counts the API server checks: parallelism,
    /// completions, activeDeadlineSeconds, backoffLimit, ttlSecondsAfterFinished, as written.
    public var jobCounts: [String: Int64] = [:]
    /// A Job's (or a CronJob's job template's) pod `restartPolicy` as defaulted: Always when
    /// none is written (SetDefaults_PodSpec).
    public var jobRestartPolicy: String?

    public init(apiVersion: String, kind: String, name: String, namespace: String = "") {
        self.apiVersion = apiVersion; self.kind = kind; self.name = name; self.namespace = namespace
    }

    /// `namespace/name`, or the name alone when no namespace was written.
    public var displayName: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }

    struct Head: Decodable {
        struct Meta: Decodable { var name: String?, namespace: String? }
        struct Spec: Decodable {
            struct Target: Decodable { var kind: String?, name: String? }
            var scaleTargetRef: Target?, minReplicas: Int?, maxReplicas: Int?, schedule: String?
            struct JobTemplate: Decodable { var spec: JobCounts? }
            var jobTemplate: JobTemplate?
        }
        var metadata: Meta?, spec: Spec?
    }

    /// The counts of a Job spec that validation checks.
    struct JobCounts: Decodable {
        var parallelism: Int64?, completions: Int64?, activeDeadlineSeconds: Int64?, backoffLimit: Int64?
        var ttlSecondsAfterFinished: Int64?
        struct Template: Decodable {
            struct PodSpec: Decodable { var restartPolicy: String? }
            var spec: PodSpec?
        }
        var template: Template?
        var restartPolicy: String { template?.spec?.restartPolicy ?? "Always" }
        var written: [String: Int64] {
            let all: [(String, Int64?)] = [("parallelism", parallelism), ("completions", completions),
                                           ("activeDeadlineSeconds", activeDeadlineSeconds), ("backoffLimit", backoffLimit),
                                           ("ttlSecondsAfterFinished", ttlSecondsAfterFinished)]
            return Dictionary(uniqueKeysWithValues: all.compactMap { k, v in v.map { (k, $0) } })
        }
    }

    struct JobHead: Decodable { var spec: JobCounts? }

    init(apiVersion: String, kind: String, from decoder: Decoder) {
        let head = try? Head(from: decoder)
        self.init(apiVersion: apiVersion, kind: kind, name: head?.metadata?.name ?? "", namespace: head?.metadata?.namespace ?? "")
        if kind == "CronJob" {
            schedule = head?.spec?.schedule
            jobCounts = head?.spec?.jobTemplate?.spec?.written ?? [:]
            jobRestartPolicy = head?.spec?.jobTemplate?.spec?.restartPolicy
        }
        if kind == "Job", let spec = (try? JobHead(from: decoder))?.spec {
            jobCounts = spec.written
            jobRestartPolicy = spec.restartPolicy
        }
        guard kind == "HorizontalPodAutoscaler", let spec = head?.spec else { return }
        if let t = spec.scaleTargetRef, let k = t.kind, let n = t.name { scaleTarget = "\(k)/\(n)" }
        minReplicas = spec.minReplicas
        maxReplicas = spec.maxReplicas
    }
}
