import KubeModel

/// The API server's validation of every object k3sim models, before it enters the simulation.
///
/// One function per API group (`CoreValidation`, `AppsValidation`, `PolicyValidation`), each
/// following upstream kubernetes pkg/apis/<group>/validation. Kinds that are read and ignored are
/// not validated; a CloudNativePG Cluster is checked for what the operator's webhook refuses among
/// the fields k3sim reads.
public enum KubeValidation {
    /// The first problem with `object` (paths relative to the object), or nil.
    static func firstIssue(_ object: KubeObject) -> FieldIssue? { issues(object).first }

    static func issues(_ object: KubeObject) -> [FieldIssue] {
        switch object {
        case .deployment(let d): return AppsValidation.deployment(d)
        case .replicaSet(let r), .replicationController(let r): return AppsValidation.replicaSet(r)
        case .daemonSet(let d): return AppsValidation.daemonSet(d)
        case .statefulSet(let s): return AppsValidation.statefulSet(s)
        case .pod(let p):
            // ValidatePodCreate → ValidatePodSpec; restartPolicy one of the three.
            var issues = CoreValidation.objectMeta(p.metadata, [.key("metadata")])
            issues += CoreValidation.podSpec(p.spec, [.key("spec")])
            let policies = ["Always", "Never", "OnFailure"]
            if !policies.contains(p.spec.restartPolicy) {
                issues.append(.unsupported([.key("spec"), .key("restartPolicy")], p.spec.restartPolicy, policies))
            }
            return issues
        case .podDisruptionBudget(let b): return PolicyValidation.podDisruptionBudget(b)
        case .service(let s):
            // ValidateService: spec.selector through ValidateLabels.
            return CoreValidation.objectMeta(s.metadata, [.key("metadata")])
                + CoreValidation.labels(s.selector, [.key("spec"), .key("selector")])
        case .persistentVolumeClaim(let c):
            // ValidatePersistentVolumeClaimSpec: the storage request is a non-negative quantity.
            return CoreValidation.objectMeta(c.metadata, [.key("metadata")])
                + CoreValidation.quantity(
                    CoreValidation.bytes(c.storageBytes), name: "storage",
                    [.key("spec"), .key("resources"), .key("requests"), .key("storage")])
        case .priorityClass(let p): return priorityClass(p)
        case .storageClass(let s):
            // storage ValidateStorageClass: cluster-scoped; volumeBindingMode one of the two.
            var issues = CoreValidation.objectMeta(s.metadata, [.key("metadata")]).filter { $0.path.last != .key("namespace") }
            let modes = ["Immediate", "WaitForFirstConsumer"]
            if !modes.contains(s.volumeBindingMode) {
                issues.append(.unsupported([.key("volumeBindingMode")], s.volumeBindingMode, modes))
            }
            return issues
        case .cnpgCluster(let c): return cnpgCluster(c)
        case .limitRange(let l): return CoreValidation.objectMeta(l.metadata, [.key("metadata")])
        case .resourceQuota(let q): return CoreValidation.objectMeta(q.metadata, [.key("metadata")])
        case .runtimeClass(let r):
            return CoreValidation.objectMeta(r.metadata, [.key("metadata")]).filter { $0.path.last != .key("namespace") }
        case .cronJob(let c):
            return CoreValidation.objectMeta(c.metadata, [.key("metadata")]) + cronJobSchedule(c.schedule)
                + jobSpec(c.jobSpec, [.key("spec"), .key("jobTemplate"), .key("spec")])
        case .job(let j): return CoreValidation.objectMeta(j.metadata, [.key("metadata")]) + jobSpec(j.spec, [.key("spec")])
        case .other(let u) where u.kind == "HorizontalPodAutoscaler" && u.apiVersion.hasPrefix("autoscaling/"):
            return autoscalerSpec(u)
        case .other: return []
        }
    }

    /// batch ValidateCronJobSpec: a schedule is required and must parse (`validateScheduleFormat`:
    /// robfig/cron `ParseStandard`, no TZ in it).
    static func cronJobSchedule(_ schedule: String) -> [FieldIssue] {
        let path: [PathKey] = [.key("spec"), .key("schedule")]
        guard !schedule.isEmpty else { return [.required(path)] }
        do {
            _ = try CronSchedule(schedule)
            return []
        } catch let e as CronSchedule.ParseError {
            return [.invalid(path, FieldIssue.quote(schedule), e.message)]
        } catch {
            return []
        }
    }

    /// batch validateJobSpec: parallelism, completions, activeDeadlineSeconds, backoffLimit and
    /// ttlSecondsAfterFinished must not be negative (ValidateNonnegativeField), and the pods'
    /// restartPolicy is OnFailure or Never (a template that names none is defaulted to Always
    /// and refused); the template's pod spec as for any pod.
    static func jobSpec(_ j: JobSpec, _ spec: [PathKey]) -> [FieldIssue] {
        let counts: [(String, Int?)] = [
            ("activeDeadlineSeconds", j.activeDeadlineSeconds), ("backoffLimit", j.backoffLimit),
            ("completions", j.completions), ("parallelism", j.parallelism),
            ("ttlSecondsAfterFinished", j.ttlSecondsAfterFinished),
        ]
        var issues: [FieldIssue] = counts.compactMap { key, value in
            guard let value, value < 0 else { return nil }
            return .invalid(spec + [.key(key)], String(value), "must be greater than or equal to 0")
        }
        // validateJobSpec: an Indexed Job needs completions (its indexes are 0 ..< completions).
        if j.completionMode == .Indexed && j.completions == nil {
            issues.append(.required(spec + [.key("completions")], "when completion mode is Indexed"))
        }
        let policy = j.template.spec.restartPolicy
        if policy != "OnFailure", policy != "Never" {
            issues.append(
                .unsupported(spec + [.key("template"), .key("spec"), .key("restartPolicy")], policy, ["OnFailure", "Never"]))
        }
        issues += PodFailurePolicyValidation.issues(j, spec)
        issues += SuccessPolicyValidation.issues(j, spec)
        issues += CoreValidation.podSpec(j.template.spec, spec + [.key("template"), .key("spec")])
        return issues
    }

    /// autoscaling validateHorizontalPodAutoscalerSpec: minReplicas at least 1 (0 only with
    /// the alpha HPAScaleToZero gate), maxReplicas required, above 0 and not below minReplicas,
    /// and a target to scale (ValidateCrossVersionObjectReference: kind and name required).
    static func autoscalerSpec(_ u: UnmodelledObject) -> [FieldIssue] {
        let spec: [PathKey] = [.key("spec")]
        var issues: [FieldIssue] = []
        if let min = u.minReplicas, min < 1 {
            issues.append(.invalid(spec + [.key("minReplicas")], String(min), "must be greater than or equal to 1"))
        }
        if let max = u.maxReplicas {
            if max < 1 { issues.append(.invalid(spec + [.key("maxReplicas")], String(max), "must be greater than 0")) }
            if let min = u.minReplicas, max < min {
                issues.append(
                    .invalid(spec + [.key("maxReplicas")], String(max), "must be greater than or equal to `minReplicas`"))
            }
        } else {
            issues.append(.required(spec + [.key("maxReplicas")]))
        }
        if u.scaleTarget == nil { issues.append(.required(spec + [.key("scaleTargetRef")], "kind and name")) }
        return issues
    }

    /// scheduling ValidatePriorityClass: a cluster-scoped name; "system-" names are reserved
    /// for the two system classes; a user class at most HighestUserDefinablePriority (10^9);
    /// preemptionPolicy PreemptLowerPriority or Never (ValidatePreemptionPolicy).
    static func priorityClass(_ p: PriorityClass) -> [FieldIssue] {
        var issues = CoreValidation.objectMeta(p.metadata, [.key("metadata")]).filter { $0.path.last != .key("namespace") }
        let system = ["system-node-critical": Int32(2_000_001_000), "system-cluster-critical": Int32(2_000_000_000)]
        if p.metadata.name.hasPrefix("system-") {
            if system[p.metadata.name] != p.value {
                issues.append(
                    .forbidden(
                        [.key("metadata"), .key("name")],
                        "priority class names with 'system-' prefix are reserved for system use only"))
            }
        } else if p.value > 1_000_000_000 {
            issues.append(.forbidden([.key("value")], "maximum allowed value of a user defined priority is 1000000000"))
        }
        issues += CoreValidation.preemptionPolicy(p.preemptionPolicy, [.key("preemptionPolicy")])
        return issues
    }

    /// CloudNativePG's webhook (api/v1 cluster_webhook.go): instances at least 1; k3sim also
    /// bounds the delays it simulates.
    static func cnpgCluster(_ c: CNPGCluster) -> [FieldIssue] {
        var issues = CoreValidation.objectMeta(c.metadata, [.key("metadata")])
        let spec: [PathKey] = [.key("spec")]
        if c.instances < 1 || c.instances > 100 {
            issues.append(.invalid(spec + [.key("instances")], String(c.instances), "must be between 1 and 100"))
        }
        for (key, v) in [
            ("failoverDelay", Int64(c.failoverDelaySeconds)), ("switchoverDelay", Int64(c.switchoverDelaySeconds)),
            ("stopDelay", c.stopDelaySeconds),
        ] {
            if let i = Upstream.nonNegative(v, spec + [.key(key)], max: Limits.maxSeconds) { issues.append(i) }
        }
        issues += CoreValidation.resources(c.resources, spec + [.key("resources")])
        issues += CoreValidation.quantity(
            CoreValidation.bytes(c.storageBytes), name: "storage", spec + [.key("storage"), .key("size")])
        return issues
    }
}
