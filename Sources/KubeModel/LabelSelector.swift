/// `metav1.LabelSelector`: matchLabels ANDed with matchExpressions.
///
/// An empty selector matches everything; a nil selector (absent) matches nothing where upstream
/// says so (the caller decides).
public struct LabelSelector: Hashable, Sendable, Decodable, StrictFields {
    public var matchLabels: [String: String]
    public var matchExpressions: [LabelSelectorRequirement]

    public init(matchLabels: [String: String] = [:], matchExpressions: [LabelSelectorRequirement] = []) {
        self.matchLabels = matchLabels
        self.matchExpressions = matchExpressions
    }

    public static let usedFields = ["matchLabels", "matchExpressions"]
    enum CodingKeys: String, CodingKey { case matchLabels, matchExpressions }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        matchLabels = try c.opt([String: String].self, .matchLabels) ?? [:]
        matchExpressions = try c.opt([LabelSelectorRequirement].self, .matchExpressions) ?? []
    }

    public var isEmpty: Bool { matchLabels.isEmpty && matchExpressions.isEmpty }

    public func matches(_ labels: [String: String]) -> Bool {
        for (k, v) in matchLabels where labels[k] != v { return false }
        for e in matchExpressions where !e.matches(labels) { return false }
        return true
    }
}

/// `In`, `NotIn`, `Exists`, `DoesNotExist`, and for node selectors `Gt` and `Lt`.
public enum SelectorOperator: String, Hashable, Sendable, Decodable {
    case In, NotIn, Exists, DoesNotExist, Gt, Lt
}

/// The shared shape of label and node selector requirements.
public protocol SelectorRequirement: StrictFields {
    var key: String { get }
    var `operator`: SelectorOperator { get }
    var values: [String] { get }
    /// Whether `Gt` and `Lt` are allowed (node selectors only).
    static var allowsComparison: Bool { get }
}

extension SelectorRequirement {
    public static var usedFields: [String] { ["key", "operator", "values"] }

    static func decodeFields(_ decoder: Decoder) throws -> (String, SelectorOperator, [String]) {
        try checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let op: SelectorOperator = try c.req("operator")
        if !allowsComparison && (op == .Gt || op == .Lt) {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("operator"), in: c,
                debugDescription:
                    "operator \(op.rawValue) is only valid in node selectors (use In, NotIn, Exists or DoesNotExist)")
        }
        return (try c.req("key"), op, try c.opt("values") ?? [])
    }

    /// Matches against a label map (matchExpressions) or a field map (matchFields).
    ///
    /// NotIn matches when the key is absent; Gt/Lt compare integers and a value that is not one
    /// does not match (k8s.io/apimachinery/pkg/labels).
    public func matches(_ labels: [String: String]) -> Bool {
        switch `operator` {
        case .In: return labels[key].map { values.contains($0) } ?? false
        case .NotIn: return labels[key].map { !values.contains($0) } ?? true
        case .Exists: return labels[key] != nil
        case .DoesNotExist: return labels[key] == nil
        case .Gt, .Lt:
            guard values.count == 1, let want = Int64(values[0]),
                let have = labels[key].flatMap({ Int64($0) })
            else { return false }
            return `operator` == .Gt ? have > want : have < want
        }
    }
}

/// `metav1.LabelSelectorRequirement`.
public struct LabelSelectorRequirement: Hashable, Sendable, Decodable, SelectorRequirement {
    public typealias Operator = SelectorOperator
    public var key: String
    public var `operator`: SelectorOperator
    public var values: [String]
    public static let allowsComparison = false

    public init(key: String, operator op: SelectorOperator, values: [String] = []) {
        self.key = key; self.operator = op; self.values = values
    }

    public init(from decoder: Decoder) throws {
        (key, `operator`, values) = try Self.decodeFields(decoder)
    }
}

/// `v1.NodeSelectorRequirement`: a label requirement that may also use `Gt` and `Lt`.
public struct NodeSelectorRequirement: Hashable, Sendable, Decodable, SelectorRequirement {
    public typealias Operator = SelectorOperator
    public var key: String
    public var `operator`: SelectorOperator
    public var values: [String]
    public static let allowsComparison = true

    public init(key: String, operator op: SelectorOperator, values: [String] = []) {
        self.key = key; self.operator = op; self.values = values
    }

    public init(from decoder: Decoder) throws {
        (key, `operator`, values) = try Self.decodeFields(decoder)
    }
}
