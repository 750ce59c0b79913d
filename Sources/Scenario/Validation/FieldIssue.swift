import KubeModel

/// One validation error as the API server reports it: the field path and a message.
///
/// As k8s.io/apimachinery pkg/util/validation/field `Error.ErrorBody` writes it: the field path and
/// `Invalid value: <value>: <detail>`, `Required value: <detail>`,
/// `Unsupported value: "x": supported values: "a", "b"`, `Duplicate value: "x"` or
/// `Forbidden: <detail>`. The path is relative to the object (or document) validated; the loader
/// prefixes it and positions it in the file.
struct FieldIssue: Error, Equatable {
    var path: [PathKey]
    var message: String

    /// `field.Invalid`, with `value` already rendered (see `FieldIssue.render`).
    static func invalid(_ path: [PathKey], _ value: String, _ detail: String) -> FieldIssue {
        FieldIssue(path: path, message: "Invalid value: \(value): \(detail)")
    }

    static func required(_ path: [PathKey], _ detail: String = "") -> FieldIssue {
        FieldIssue(path: path, message: detail.isEmpty ? "Required value" : "Required value: \(detail)")
    }

    static func unsupported(_ path: [PathKey], _ value: String, _ supported: [String]) -> FieldIssue {
        FieldIssue(
            path: path,
            message: "Unsupported value: \(quote(value)): supported values: "
                + supported.map(quote).joined(separator: ", "))
    }

    static func duplicate(_ path: [PathKey], _ value: String) -> FieldIssue {
        FieldIssue(path: path, message: "Duplicate value: \(quote(value))")
    }

    static func forbidden(_ path: [PathKey], _ detail: String) -> FieldIssue {
        FieldIssue(path: path, message: "Forbidden: \(detail)")
    }

    /// Go's `%q` for the strings a message quotes (control characters are escaped later, when
    /// the error is printed).
    static func quote(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// A map as the API server prints it since 1.31 (JSON, keys sorted): `{"app":"web"}`.
    static func render(_ labels: [String: String]) -> String {
        "{" + labels.sorted { $0.key < $1.key }.map { "\(quote($0.key)):\(quote($0.value))" }.joined(separator: ",") + "}"
    }

    static func render(_ v: IntOrString) -> String {
        switch v {
        case .int(let i): return String(i)
        case .string(let s): return quote(s)
        }
    }

    static func render(_ selector: LabelSelector) -> String {
        var parts: [String] = []
        if !selector.matchLabels.isEmpty { parts.append("\"matchLabels\":" + render(selector.matchLabels)) }
        if !selector.matchExpressions.isEmpty {
            parts.append(
                "\"matchExpressions\":["
                    + selector.matchExpressions.map {
                        "{\"key\":\(quote($0.key)),\"operator\":\(quote($0.operator.rawValue)),\"values\":["
                            + $0.values.map(quote).joined(separator: ",") + "]}"
                    }.joined(separator: ",") + "]")
        }
        return "{" + parts.joined(separator: ",") + "}"
    }
}

/// Upstream's shared messages (k8s.io/apimachinery pkg/api/validation and
/// pkg/util/validation).
enum Upstream {
    /// `IsNegativeErrorMsg` (ValidateNonnegativeField, ValidateNonnegativeQuantity).
    static let negative = "must be greater than or equal to 0"
    /// `isNotPositiveErrorMsg` (core validation, for fields such as maxSkew).
    static let notPositive = "must be greater than zero"

    /// apimachinery validation.ValidateNonnegativeField, with k3sim's upper bound.
    static func nonNegative(_ v: Int64, _ path: [PathKey], max: Int64, unit: String = "") -> FieldIssue? {
        if v < 0 { return .invalid(path, String(v), negative) }
        if v > max { return .invalid(path, String(v), "must be at most \(max)\(unit) (a limit of k3sim)") }
        return nil
    }
}
