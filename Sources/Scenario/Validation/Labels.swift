import KubeModel

/// Labels and label selectors, after k8s.io/apimachinery pkg/apis/meta/v1/validation
/// (ValidateLabels, ValidateLabelName, ValidateLabelSelector) and pkg/util/validation
/// (IsQualifiedName, IsValidLabelValue), with their messages.
extension CoreValidation {
    static let qualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    static let labelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

    /// ValidateLabels: every key a qualified name, every value a label value; errors at the
    /// map's path with the key or value as the invalid value.
    static func labels(_ l: [String: String], _ path: Path) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        for (k, v) in l.sorted(by: { $0.key < $1.key }) {
            for m in qualifiedName(k) { issues.append(.invalid(path, FieldIssue.quote(k), m)) }
            for m in labelValue(v) { issues.append(.invalid(path, FieldIssue.quote(v), m)) }
        }
        return issues
    }

    /// ValidateLabelSelector: matchLabels as labels; each requirement's key a qualified name,
    /// values required for In/NotIn and forbidden for Exists/DoesNotExist.
    static func selector(_ s: LabelSelector, _ path: Path) -> [FieldIssue] {
        var issues = labels(s.matchLabels, path + [.key("matchLabels")])
        for (i, r) in s.matchExpressions.enumerated() {
            let rp = path + [.key("matchExpressions"), .index(i)]
            switch r.operator {
            case .Gt, .Lt:
                issues.append(
                    .unsupported(rp + [.key("operator")], r.operator.rawValue, ["DoesNotExist", "Exists", "In", "NotIn"]))
            default:
                issues += setOperatorValues(r.operator, r.values, rp)
            }
            for m in qualifiedName(r.key) { issues.append(.invalid(rp + [.key("key")], FieldIssue.quote(r.key), m)) }
            for (j, v) in r.values.enumerated() {
                for m in labelValue(v) { issues.append(.invalid(rp + [.key("values"), .index(j)], FieldIssue.quote(v), m)) }
            }
        }
        return issues
    }

    /// The values rule shared by label selectors and node selectors: required for In and
    /// NotIn, forbidden for Exists and DoesNotExist.
    static func setOperatorValues(_ op: SelectorOperator, _ values: [String], _ rp: Path) -> [FieldIssue] {
        switch op {
        case .In, .NotIn:
            return values.isEmpty
                ? [.required(rp + [.key("values")], "must be specified when `operator` is 'In' or 'NotIn'")] : []
        case .Exists, .DoesNotExist:
            return values.isEmpty
                ? [] : [.forbidden(rp + [.key("values")], "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")]
        case .Gt, .Lt:
            return []
        }
    }

    /// ValidateNodeSelectorRequirement (core): values for In/NotIn, none for Exists and
    /// DoesNotExist, a single integer for Gt and Lt.
    static func nodeSelectorTerm(_ t: NodeSelectorTerm, _ path: Path) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        for (key, list) in [("matchExpressions", t.matchExpressions), ("matchFields", t.matchFields)] {
            for (i, r) in list.enumerated() {
                let rp = path + [.key(key), .index(i)]
                switch r.operator {
                case .In, .NotIn, .Exists, .DoesNotExist:
                    issues += setOperatorValues(r.operator, r.values, rp)
                case .Gt, .Lt:
                    if r.values.count != 1 || Int64(r.values[0]) == nil {
                        issues.append(
                            .required(rp + [.key("values")], "must be specified single value when `operator` is 'Lt' or 'Gt'"))
                    }
                }
                if key == "matchExpressions" {
                    for m in qualifiedName(r.key) { issues.append(.invalid(rp + [.key("key")], FieldIssue.quote(r.key), m)) }
                }
            }
        }
        return issues
    }

    /// IsQualifiedName: an optional DNS-1123 subdomain prefix and '/', then a name of at most
    /// 63 characters.
    static func qualifiedName(_ s: String) -> [String] {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else {
            return [
                "a qualified name " + qualifiedNameMessage
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
            ]
        }
        var errors: [String] = []
        let name = parts[parts.count - 1]  // split without omitting empties: never empty
        if parts.count == 2 {
            if parts[0].isEmpty {
                errors.append("prefix part must be non-empty")
            } else if let m = dns1123Subdomain(parts[0]) {
                errors.append("prefix part " + m)
            }
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.count > 63 {
            errors.append("name part must be no more than 63 characters")
        }
        if !isQualifiedNamePart(name) { errors.append("name part " + qualifiedNameMessage) }
        return errors
    }

    /// IsValidLabelValue: empty, or a qualified name part of at most 63 characters.
    static func labelValue(_ s: String) -> [String] {
        var errors: [String] = []
        if s.count > 63 { errors.append("must be no more than 63 characters") }
        if !s.isEmpty && !isQualifiedNamePart(s) { errors.append(labelValueMessage) }
        return errors
    }

    private static func isQualifiedNamePart(_ s: String) -> Bool {
        func alnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        guard let first = s.first, let last = s.last, alnum(first), alnum(last) else { return false }
        return s.allSatisfy { alnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }
}
