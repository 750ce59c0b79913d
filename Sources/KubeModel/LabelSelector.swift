/// `metav1.LabelSelector`: matchLabels ANDed with matchExpressions.
/// An empty selector matches everything; a nil selector (absent) matches nothing where
/// upstream says so (the caller decides).
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

public struct LabelSelectorRequirement: Hashable, Sendable, Decodable, StrictFields {
    public enum Operator: String, Hashable, Sendable, Decodable { case In, NotIn, Exists, DoesNotExist }
    public var key: String
    public var `operator`: Operator
    public var values: [String]

    public init(key: String, operator op: Operator, values: [String] = []) {
        self.key = key; self.operator = op; self.values = values
    }

    public static let usedFields = ["key", "operator", "values"]
    enum CodingKeys: String, CodingKey { case key, `operator`, values }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        `operator` = try c.decode(Operator.self, forKey: .operator)
        values = try c.opt([String].self, .values) ?? []
    }

    public func matches(_ labels: [String: String]) -> Bool {
        switch `operator` {
        case .In: return labels[key].map { values.contains($0) } ?? false
        case .NotIn: return labels[key].map { !values.contains($0) } ?? true
        case .Exists: return labels[key] != nil
        case .DoesNotExist: return labels[key] == nil
        }
    }
}

/// `v1.NodeSelectorRequirement`: like a label requirement, plus `Gt` and `Lt`
/// (integer comparison; a value that is not an integer does not match).
public struct NodeSelectorRequirement: Hashable, Sendable, Decodable, StrictFields {
    public enum Operator: String, Hashable, Sendable, Decodable { case In, NotIn, Exists, DoesNotExist, Gt, Lt }
    public var key: String
    public var `operator`: Operator
    public var values: [String]

    public init(key: String, operator op: Operator, values: [String] = []) {
        self.key = key; self.operator = op; self.values = values
    }

    public static let usedFields = ["key", "operator", "values"]
    enum CodingKeys: String, CodingKey { case key, `operator`, values }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        `operator` = try c.decode(Operator.self, forKey: .operator)
        values = try c.opt([String].self, .values) ?? []
    }

    /// Matches against a label map (matchExpressions) or a field map (matchFields).
    public func matches(_ labels: [String: String]) -> Bool {
        switch `operator` {
        case .In: return labels[key].map { values.contains($0) } ?? false
        case .NotIn: return labels[key].map { !values.contains($0) } ?? true
        case .Exists: return labels[key] != nil
        case .DoesNotExist: return labels[key] == nil
        case .Gt, .Lt:
            guard values.count == 1, let want = Int64(values[0]),
                  let have = labels[key].flatMap({ Int64($0) }) else { return false }
            return `operator` == .Gt ? have > want : have < want
        }
    }
}
