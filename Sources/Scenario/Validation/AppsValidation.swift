import KubeModel

/// apps/v1 validation, after upstream kubernetes pkg/apis/apps/validation/validation.go.
///
/// Paths are relative to the object.
enum AppsValidation {
    typealias Path = [PathKey]
    static let spec: Path = [.key("spec")]

    /// ValidateDeployment → ValidateDeploymentSpec.
    static func deployment(_ d: Deployment) -> [FieldIssue] {
        var issues = CoreValidation.objectMeta(d.metadata, [.key("metadata")])
        issues += replicas(d.replicas)
        issues += selectorAndTemplate(d.selector, d.template, kind: "deployment")
        let rollingUpdatePath = spec + [.key("strategy"), .key("rollingUpdate")]
        switch d.strategy.type {
        case .RollingUpdate: issues += rollingUpdate(d.strategy, rollingUpdatePath)
        // ValidateDeploymentStrategy: Recreate takes no rollingUpdate parameters.
        case .Recreate where d.strategy.rollingUpdateGiven:
            issues.append(.forbidden(rollingUpdatePath, "may not be specified when strategy `type` is 'Recreate'"))
        case .Recreate: break
        }
        issues += nonNegative(Int64(d.minReadySeconds), spec + [.key("minReadySeconds")])
        issues += nonNegative(Int64(d.revisionHistoryLimit), spec + [.key("revisionHistoryLimit")])
        if let p = d.progressDeadlineSeconds {
            let path = spec + [.key("progressDeadlineSeconds")]
            issues += nonNegative(Int64(p), path)
            // "must be greater than minReadySeconds"
            if p <= d.minReadySeconds { issues.append(.invalid(path, String(p), "must be greater than minReadySeconds")) }
        }
        return issues
    }

    /// ValidateReplicaSet → ValidateReplicaSetSpec (its empty-selector message says
    /// "deployment" upstream too).
    static func replicaSet(_ r: ReplicaSetManifest) -> [FieldIssue] {
        var issues = CoreValidation.objectMeta(r.metadata, [.key("metadata")])
        issues += replicas(r.replicas)
        issues += selectorAndTemplate(r.selector, r.template, kind: "deployment")
        issues += nonNegative(Int64(r.minReadySeconds), spec + [.key("minReadySeconds")])
        return issues
    }

    /// ValidateStatefulSet → ValidateStatefulSetSpec.
    static func statefulSet(_ s: StatefulSet) -> [FieldIssue] {
        var issues = CoreValidation.objectMeta(s.metadata, [.key("metadata")])
        let policies = ["OrderedReady", "Parallel"]
        if !policies.contains(s.podManagementPolicy) {
            issues.append(.unsupported(spec + [.key("podManagementPolicy")], s.podManagementPolicy, policies))
        }
        let types = ["OnDelete", "RollingUpdate"]
        if !types.contains(s.updateStrategyType) {
            issues.append(.unsupported(spec + [.key("updateStrategy"), .key("type")], s.updateStrategyType, types))
        }
        issues += nonNegative(Int64(s.partition), spec + [.key("updateStrategy"), .key("rollingUpdate"), .key("partition")])
        issues += replicas(s.replicas)
        issues += nonNegative(Int64(s.minReadySeconds), spec + [.key("minReadySeconds")])
        issues += selectorAndTemplate(s.selector, s.template, kind: "statefulset")
        for (i, c) in s.volumeClaimTemplates.enumerated() {
            issues += CoreValidation.quantity(
                CoreValidation.bytes(c.storageBytes), name: "storage",
                spec + [
                    .key("volumeClaimTemplates"), .index(i), .key("spec"), .key("resources"), .key("requests"), .key("storage"),
                ])
        }
        return issues
    }

    /// ValidateDaemonSet → ValidateDaemonSetSpec and ValidateRollingUpdateDaemonSet.
    static func daemonSet(_ d: DaemonSet) -> [FieldIssue] {
        var issues = CoreValidation.objectMeta(d.metadata, [.key("metadata")])
        issues += selectorAndTemplate(d.selector, d.template, kind: "daemonset")
        issues += nonNegative(Int64(d.minReadySeconds), spec + [.key("minReadySeconds")])
        let ru = spec + [.key("updateStrategy"), .key("rollingUpdate")]
        issues += intOrPercent(d.maxUnavailable, ru + [.key("maxUnavailable")], atMost100: true)
        issues += intOrPercent(d.maxSurge, ru + [.key("maxSurge")], atMost100: true)
        let unavailable = percentOrInt(d.maxUnavailable), surge = percentOrInt(d.maxSurge)
        if unavailable == 0 && surge == 0 {
            issues.append(.required(ru + [.key("maxUnavailable")], "cannot be 0 when maxSurge is 0"))
        } else if unavailable != 0 && surge != 0 {
            issues.append(
                .invalid(ru + [.key("maxSurge")], FieldIssue.render(d.maxSurge), "may not be set when maxUnavailable is non-zero")
            )
        }
        return issues
    }

    /// ValidateRollingUpdateDeployment: both non-negative ints or percents, not both 0,
    /// maxUnavailable at most 100%.
    static func rollingUpdate(_ s: DeploymentStrategy, _ path: Path) -> [FieldIssue] {
        var issues = intOrPercent(s.maxUnavailable, path + [.key("maxUnavailable")], atMost100: true)
        issues += intOrPercent(s.maxSurge, path + [.key("maxSurge")], atMost100: false)
        if percentOrInt(s.maxUnavailable) == 0 && percentOrInt(s.maxSurge) == 0 {
            // "Both MaxSurge and MaxUnavailable cannot be zero."
            issues.append(
                .invalid(
                    path + [.key("maxUnavailable")], FieldIssue.render(s.maxUnavailable), "may not be 0 when `maxSurge` is 0"))
        }
        return issues
    }

    /// The selector is required and not empty, and matches the template's labels
    /// (ValidatePodTemplateSpecForReplicaSet: "`selector` does not match template `labels`");
    /// the template is a valid pod template with restartPolicy Always.
    static func selectorAndTemplate(_ selector: LabelSelector, _ template: PodTemplateSpec, kind: String) -> [FieldIssue] {
        var issues = CoreValidation.selector(selector, spec + [.key("selector")])
        issues += CoreValidation.labels(template.metadata.labels, spec + [.key("template"), .key("metadata"), .key("labels")])
        if selector.isEmpty {
            issues.append(
                .invalid(spec + [.key("selector")], FieldIssue.render(selector), "empty selector is invalid for \(kind)"))
        } else if !selector.matches(template.metadata.labels) {
            issues.append(
                .invalid(
                    spec + [.key("template"), .key("metadata"), .key("labels")],
                    FieldIssue.render(template.metadata.labels), "`selector` does not match template `labels`"))
        }
        let tp = spec + [.key("template"), .key("spec")]
        issues += CoreValidation.podSpec(template.spec, tp)
        if template.spec.restartPolicy != "Always" {
            issues.append(.unsupported(tp + [.key("restartPolicy")], template.spec.restartPolicy, ["Always"]))
        }
        return issues
    }

    static func replicas(_ n: Int) -> [FieldIssue] {
        nonNegative(Int64(n), spec + [.key("replicas")], max: Int64(Limits.maxPods))
    }

    static func nonNegative(_ v: Int64, _ path: Path, max: Int64 = Limits.maxSeconds) -> [FieldIssue] {
        Upstream.nonNegative(v, path, max: max).map { [$0] } ?? []
    }

    /// ValidatePositiveIntOrPercent (and IsNotMoreThan100Percent when asked), with k3sim's
    /// upper bound on plain integers.
    static func intOrPercent(_ v: IntOrString, _ path: Path, atMost100: Bool) -> [FieldIssue] {
        switch v {
        case .int(let i):
            return nonNegative(Int64(i), path, max: Int64(Limits.maxPods))
        case .string(let s):
            guard let p = Int(s.dropLast()), p >= 0, s.dropLast().allSatisfy(\.isASCII) else {
                return [
                    .invalid(
                        path, FieldIssue.quote(s),
                        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
                    )
                ]
            }
            if atMost100 && p > 100 { return [.invalid(path, FieldIssue.quote(s), "must not be greater than 100%")] }
            if p > 10_000 { return [.invalid(path, FieldIssue.quote(s), "must be at most 10000% (a limit of k3sim)")] }
            return []
        }
    }

    /// getIntOrPercentValue: the integer or the percentage's number.
    static func percentOrInt(_ v: IntOrString) -> Int? {
        switch v {
        case .int(let i): return i
        case .string(let s): return Int(s.dropLast())
        }
    }
}
