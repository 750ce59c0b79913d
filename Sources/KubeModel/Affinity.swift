/// `v1.Affinity`: node affinity is used by the first scheduler slice; pod (anti-)affinity
/// is decoded for the full scheduler.
public struct Affinity: Hashable, Sendable, Decodable, StrictFields {
    public var nodeAffinity: NodeAffinity?
    public var podAffinity: PodAffinity?
    public var podAntiAffinity: PodAffinity?

    public init(nodeAffinity: NodeAffinity? = nil) { self.nodeAffinity = nodeAffinity }

    public static let usedFields = ["nodeAffinity", "podAffinity", "podAntiAffinity"]
    enum CodingKeys: String, CodingKey { case nodeAffinity, podAffinity, podAntiAffinity }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        nodeAffinity = try c.opt(NodeAffinity.self, .nodeAffinity)
        podAffinity = try c.opt(PodAffinity.self, .podAffinity)
        podAntiAffinity = try c.opt(PodAffinity.self, .podAntiAffinity)
    }
}

public struct NodeAffinity: Hashable, Sendable, Decodable, StrictFields {
    public var required: NodeSelector?
    public var preferred: [PreferredSchedulingTerm]

    public init(required: NodeSelector? = nil, preferred: [PreferredSchedulingTerm] = []) {
        self.required = required; self.preferred = preferred
    }

    public static let usedFields = [
        "requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution",
    ]
    enum CodingKeys: String, CodingKey {
        case required = "requiredDuringSchedulingIgnoredDuringExecution"
        case preferred = "preferredDuringSchedulingIgnoredDuringExecution"
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        required = try c.opt(NodeSelector.self, .required)
        preferred = try c.opt([PreferredSchedulingTerm].self, .preferred) ?? []
    }
}

/// `v1.NodeSelector`: the terms are ORed.
public struct NodeSelector: Hashable, Sendable, Decodable, StrictFields {
    public var nodeSelectorTerms: [NodeSelectorTerm]
    public init(nodeSelectorTerms: [NodeSelectorTerm]) { self.nodeSelectorTerms = nodeSelectorTerms }
    public static let usedFields = ["nodeSelectorTerms"]
    enum CodingKeys: String, CodingKey { case nodeSelectorTerms }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        nodeSelectorTerms = try c.opt([NodeSelectorTerm].self, .nodeSelectorTerms) ?? []
    }

    /// A node matches when any term matches (`nodeaffinity.NodeSelector.Match`).
    public func matches(labels: [String: String], fields: [String: String]) -> Bool {
        nodeSelectorTerms.contains { $0.matches(labels: labels, fields: fields) }
    }
}

/// `v1.NodeSelectorTerm`: its requirements are ANDed; an empty term matches nothing.
public struct NodeSelectorTerm: Hashable, Sendable, Decodable, StrictFields {
    public var matchExpressions: [NodeSelectorRequirement]
    public var matchFields: [NodeSelectorRequirement]

    public init(matchExpressions: [NodeSelectorRequirement] = [], matchFields: [NodeSelectorRequirement] = []) {
        self.matchExpressions = matchExpressions; self.matchFields = matchFields
    }

    public static let usedFields = ["matchExpressions", "matchFields"]
    enum CodingKeys: String, CodingKey { case matchExpressions, matchFields }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        matchExpressions = try c.opt([NodeSelectorRequirement].self, .matchExpressions) ?? []
        matchFields = try c.opt([NodeSelectorRequirement].self, .matchFields) ?? []
    }

    public func matches(labels: [String: String], fields: [String: String]) -> Bool {
        if matchExpressions.isEmpty && matchFields.isEmpty { return false }
        return matchExpressions.allSatisfy { $0.matches(labels) } && matchFields.allSatisfy { $0.matches(fields) }
    }
}

public struct PreferredSchedulingTerm: Hashable, Sendable, Decodable, StrictFields {
    public var weight: Int
    public var preference: NodeSelectorTerm
    public init(weight: Int, preference: NodeSelectorTerm) { self.weight = weight; self.preference = preference }
    public static let usedFields = ["weight", "preference"]
    enum CodingKeys: String, CodingKey { case weight, preference }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        weight = try c.decode(Int.self, forKey: .weight)
        preference = try c.decode(NodeSelectorTerm.self, forKey: .preference)
    }
}

/// `v1.PodAffinity` / `v1.PodAntiAffinity` (same shape).
public struct PodAffinity: Hashable, Sendable, Decodable, StrictFields {
    public var required: [PodAffinityTerm]
    public var preferred: [WeightedPodAffinityTerm]
    public static let usedFields = [
        "requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution",
    ]
    enum CodingKeys: String, CodingKey {
        case required = "requiredDuringSchedulingIgnoredDuringExecution"
        case preferred = "preferredDuringSchedulingIgnoredDuringExecution"
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        required = try c.opt([PodAffinityTerm].self, .required) ?? []
        preferred = try c.opt([WeightedPodAffinityTerm].self, .preferred) ?? []
    }
}

public struct PodAffinityTerm: Hashable, Sendable, Decodable, StrictFields {
    public var labelSelector: LabelSelector?
    public var namespaces: [String]
    public var topologyKey: String
    public var namespaceSelector: LabelSelector?
    public var matchLabelKeys: [String]
    public var mismatchLabelKeys: [String]
    public static let usedFields = [
        "labelSelector", "namespaces", "topologyKey", "namespaceSelector", "matchLabelKeys", "mismatchLabelKeys",
    ]
    enum CodingKeys: String, CodingKey {
        case labelSelector, namespaces, topologyKey, namespaceSelector, matchLabelKeys, mismatchLabelKeys
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        labelSelector = try c.opt(LabelSelector.self, .labelSelector)
        namespaces = try c.opt([String].self, .namespaces) ?? []
        topologyKey = try c.decode(String.self, forKey: .topologyKey)
        namespaceSelector = try c.opt(LabelSelector.self, .namespaceSelector)
        matchLabelKeys = try c.opt([String].self, .matchLabelKeys) ?? []
        mismatchLabelKeys = try c.opt([String].self, .mismatchLabelKeys) ?? []
    }
}

public struct WeightedPodAffinityTerm: Hashable, Sendable, Decodable, StrictFields {
    public var weight: Int
    public var podAffinityTerm: PodAffinityTerm
    public static let usedFields = ["weight", "podAffinityTerm"]
    enum CodingKeys: String, CodingKey { case weight, podAffinityTerm }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        weight = try c.decode(Int.self, forKey: .weight)
        podAffinityTerm = try c.decode(PodAffinityTerm.self, forKey: .podAffinityTerm)
    }
}

/// `v1.TopologySpreadConstraint` (decoded now; enforced by the full scheduler).
public struct TopologySpreadConstraint: Hashable, Sendable, Decodable, StrictFields {
    public var maxSkew: Int
    public var topologyKey: String
    public var whenUnsatisfiable: String
    public var labelSelector: LabelSelector?
    public var minDomains: Int?
    public var nodeAffinityPolicy: String?
    public var nodeTaintsPolicy: String?
    public var matchLabelKeys: [String]
    public static let usedFields = [
        "maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector", "minDomains", "nodeAffinityPolicy",
        "nodeTaintsPolicy", "matchLabelKeys",
    ]
    enum CodingKeys: String, CodingKey {
        case maxSkew, topologyKey, whenUnsatisfiable, labelSelector, minDomains, nodeAffinityPolicy
        case nodeTaintsPolicy, matchLabelKeys
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxSkew = try c.decode(Int.self, forKey: .maxSkew)
        topologyKey = try c.decode(String.self, forKey: .topologyKey)
        whenUnsatisfiable = try c.decode(String.self, forKey: .whenUnsatisfiable)
        labelSelector = try c.opt(LabelSelector.self, .labelSelector)
        minDomains = try c.opt(Int.self, .minDomains)
        nodeAffinityPolicy = try c.opt(String.self, .nodeAffinityPolicy)
        nodeTaintsPolicy = try c.opt(String.self, .nodeTaintsPolicy)
        matchLabelKeys = try c.opt([String].self, .matchLabelKeys) ?? []
    }
}
