import KubeModel

/// Pod failure policy validation, for the fields k3sim reads.
///
/// It follows batch `validatePodFailurePolicy` and `validatePodFailurePolicyRule` (kubernetes
/// pkg/apis/batch/validation/validation.go): the pods' restartPolicy must be Never, each rule's
/// action one of the four, its onExitCodes operator In or NotIn with no repeated value (and no 0
/// for In), and exactly one of onExitCodes and onPodConditions. Empty and unordered value lists are
/// not checked. A FailIndex rule's need for backoffLimitPerIndex is not checked (that field is not
/// read).
enum PodFailurePolicyValidation {
    static func issues(_ j: JobSpec, _ spec: [PathKey]) -> [FieldIssue] {
        guard let policy = j.podFailurePolicy else { return [] }
        var issues: [FieldIssue] = []
        let restart = j.template.spec.restartPolicy
        // An unsupported restartPolicy (Always) is already reported by `jobSpec`.
        if restart == "OnFailure" {
            issues.append(
                .invalid(
                    spec + [.key("template"), .key("spec"), .key("restartPolicy")], FieldIssue.quote(restart),
                    "only \"Never\" is supported when podFailurePolicy is specified"))
        }
        let actions = PodFailurePolicy.Action.allCases.map(\.rawValue)
        for (i, rule) in policy.rules.enumerated() {
            let path = spec + [.key("podFailurePolicy"), .key("rules"), .index(i)]
            if rule.action.isEmpty {
                issues.append(.required(path + [.key("action")], "valid values: " + goQuotedList(actions)))
            } else if !actions.contains(rule.action) {
                issues.append(.unsupported(path + [.key("action")], rule.action, actions))
            }
            if let codes = rule.onExitCodes {
                issues += exitCodes(codes, path + [.key("onExitCodes")])
            }
            let conditions = rule.onPodConditions ?? []
            if rule.onExitCodes != nil && !conditions.isEmpty {
                issues.append(
                    FieldIssue(
                        path: path, message: "Invalid value: specifying both OnExitCodes and OnPodConditions is not supported"))
            }
            if rule.onExitCodes == nil && conditions.isEmpty {
                issues.append(
                    FieldIssue(
                        path: path, message: "Invalid value: specifying one of OnExitCodes and OnPodConditions is required"))
            }
        }
        return issues
    }

    /// `validatePodFailurePolicyRuleOnExitCodes`: the operator, and values without repeats.
    static func exitCodes(_ r: PodFailurePolicy.OnExitCodes, _ path: [PathKey]) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        let operators = ["In", "NotIn"]
        if r.operator.isEmpty {
            issues.append(.required(path + [.key("operator")], "valid values: " + goQuotedList(operators)))
        } else if !operators.contains(r.operator) {
            issues.append(.unsupported(path + [.key("operator")], r.operator, operators))
        }
        var seen = Set<Int32>()
        for (i, v) in r.values.enumerated() {
            let valuePath = path + [.key("values"), .index(i)]
            if r.operator == "In" && v == 0 { issues.append(.invalid(valuePath, "0", "must not be 0 for the In operator")) }
            if !seen.insert(v).inserted { issues.append(FieldIssue(path: valuePath, message: "Duplicate value: \(v)")) }
        }
        return issues
    }

    /// Go's `%q` of a string slice: `["Count" "FailIndex"]`.
    static func goQuotedList(_ values: [String]) -> String {
        "[" + values.map(FieldIssue.quote).joined(separator: " ") + "]"
    }
}
