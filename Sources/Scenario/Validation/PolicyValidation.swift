import KubeModel

/// policy/v1 validation, after upstream kubernetes pkg/apis/policy/validation/validation.go.
enum PolicyValidation {
    /// ValidatePodDisruptionBudget → ValidatePodDisruptionBudgetSpec.
    static func podDisruptionBudget(_ p: PodDisruptionBudget) -> [FieldIssue] {
        var issues = CoreValidation.objectMeta(p.metadata, [.key("metadata")])
        let spec: [PathKey] = [.key("spec")]
        if let s = p.selector { issues += CoreValidation.selector(s, spec + [.key("selector")]) }
        if let min = p.minAvailable, let max = p.maxUnavailable {
            issues.append(
                .invalid(
                    spec, "{\"minAvailable\":\(FieldIssue.render(min)),\"maxUnavailable\":\(FieldIssue.render(max))}",
                    "minAvailable and maxUnavailable cannot be both set"))
        }
        // ValidatePositiveIntOrPercent and IsNotMoreThan100Percent on both.
        if let v = p.minAvailable { issues += AppsValidation.intOrPercent(v, spec + [.key("minAvailable")], atMost100: true) }
        if let v = p.maxUnavailable { issues += AppsValidation.intOrPercent(v, spec + [.key("maxUnavailable")], atMost100: true) }
        let policies = ["AlwaysAllow", "IfHealthyBudget"]
        if !policies.contains(p.unhealthyPodEvictionPolicy) {
            issues.append(.unsupported(spec + [.key("unhealthyPodEvictionPolicy")], p.unhealthyPodEvictionPolicy, policies))
        }
        return issues
    }
}
