import KubeModel

/// batch `validateSuccessPolicy` and `validateSuccessPolicyRule` (kubernetes
/// pkg/apis/batch/validation/validation.go): only an Indexed Job may have one; at least one
/// rule; each rule names succeededIndexes or succeededCount; the indexes parse; the count is
/// not negative, at most completions and at most the indexes named.
enum SuccessPolicyValidation {
    static func issues(_ j: JobSpec, _ spec: [PathKey]) -> [FieldIssue] {
        guard let policy = j.successPolicy else { return [] }
        guard j.completionMode == .Indexed, let completions = j.completions else {
            return [
                .invalid(
                    spec + [.key("completionMode")], FieldIssue.quote(j.completionMode.rawValue),
                    "requires indexed completion mode")
            ]
        }
        let rulesPath = spec + [.key("successPolicy"), .key("rules")]
        if policy.rules.isEmpty {
            return [.required(rulesPath, "at least one rules must be specified when the successPolicy is specified")]
        }
        var issues: [FieldIssue] = []
        for (i, rule) in policy.rules.enumerated() {
            let path = rulesPath + [.index(i)]
            if rule.succeededIndexes == nil && rule.succeededCount == nil {
                issues.append(.required(path, "at least one of succeededCount or succeededIndexes must be specified"))
            }
            var named: Int?
            if let text = rule.succeededIndexes {
                if let set = SuccessPolicy.indexes(text, completions: Int.max), set.allSatisfy({ $0 < completions }) {
                    named = set.count
                } else {
                    issues.append(
                        .invalid(
                            path + [.key("succeededIndexes")], FieldIssue.quote(text),
                            "error parsing succeededIndexes: not a list of indexes below \(completions) such as \"0,2-4\""))
                }
            }
            if let count = rule.succeededCount {
                let countPath = path + [.key("succeededCount")]
                if count < 0 {
                    issues.append(.invalid(countPath, String(count), "must be greater than or equal to 0"))
                }
                if count > completions {
                    issues.append(
                        .invalid(
                            countPath, String(count),
                            "must be less than or equal to \(completions) (the number of specified completions)"))
                }
                if let named, count > named {
                    issues.append(
                        .invalid(
                            countPath, String(count),
                            "must be less than or equal to \(named) (the number of indexes in the specified succeededIndexes field)"
                        ))
                }
            }
        }
        return issues
    }
}
