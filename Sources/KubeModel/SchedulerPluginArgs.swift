/// `PluginConfig`: `{name, args}` with the args of the named plugin.
public struct PluginArgs: Hashable, Sendable, Decodable, StrictFields {
    public enum Args: Hashable, Sendable {
        case nodeResourcesFit(NodeResourcesFitArgs)
        case balancedAllocation(resources: [ResourceWeight])
        case podTopologySpread(defaultConstraints: [TopologySpreadConstraint], defaultingType: String)
        case interPodAffinity(hardPodAffinityWeight: Int, ignorePreferredTermsOfExistingPods: Bool)
        case nodeAffinity(addedAffinity: NodeAffinity?)
        case defaultPreemption(minCandidateNodesPercentage: Int, minCandidateNodesAbsolute: Int)
        /// Args of a plugin whose args do not change k3sim's decisions (e.g. VolumeBinding).
        case other
    }

    public var name: String
    public var args: Args

    public static let typeName = "pluginConfig"
    public static let usedFields = ["name", "args"]

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.req("name")
        switch name {
        case "NodeResourcesFit": args = .nodeResourcesFit(try c.opt("args") ?? NodeResourcesFitArgs())
        case "NodeResourcesBalancedAllocation":
            args = .balancedAllocation(
                resources: (try c.opt("args", as: BalancedAllocationArgs.self))?.resources ?? ResourceWeight.defaults)
        case "PodTopologySpread":
            let a = try c.opt("args", as: PodTopologySpreadArgs.self)
            args = .podTopologySpread(
                defaultConstraints: a?.defaultConstraints ?? [], defaultingType: a?.defaultingType ?? "System")
        case "InterPodAffinity":
            let a = try c.opt("args", as: InterPodAffinityArgs.self)
            args = .interPodAffinity(
                hardPodAffinityWeight: a?.hardPodAffinityWeight ?? 1,
                ignorePreferredTermsOfExistingPods: a?.ignorePreferredTermsOfExistingPods ?? false)
        case "NodeAffinity": args = .nodeAffinity(addedAffinity: (try c.opt("args", as: NodeAffinityArgs.self))?.addedAffinity)
        case "DefaultPreemption":
            let a = try c.opt("args", as: DefaultPreemptionArgs.self)
            args = .defaultPreemption(
                minCandidateNodesPercentage: a?.minCandidateNodesPercentage ?? 10,
                minCandidateNodesAbsolute: a?.minCandidateNodesAbsolute ?? 100)
        default:
            _ = try c.opt("args", as: IgnoredValue.self)
            args = .other
        }
    }
}

/// `ResourceSpec`: a resource name and its weight (1..100).
public struct ResourceWeight: Hashable, Sendable, Decodable, StrictFields {
    public var name: String
    public var weight: Int64

    public init(name: String, weight: Int64) { self.name = name; self.weight = weight }
    public static let defaults = [ResourceWeight(name: "cpu", weight: 1), ResourceWeight(name: "memory", weight: 1)]

    public static let typeName = "resource"
    public static let usedFields = ["name", "weight"]
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.req("name")
        weight = try c.opt("weight") ?? 1
        guard (1...100).contains(weight) else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("weight"), in: c,
                debugDescription: "resource weight of \(name) not in valid range [1, 100]")
        }
    }
}

/// `NodeResourcesFitArgs`.
public struct NodeResourcesFitArgs: Hashable, Sendable, Decodable, StrictFields {
    public enum Strategy: String, Hashable, Sendable, Decodable { case LeastAllocated, MostAllocated, RequestedToCapacityRatio }
    public var strategy: Strategy
    public var resources: [ResourceWeight]
    /// (utilization 0..100, score 0..10) points, increasing utilization.
    public var shape: [(utilization: Int64, score: Int64)]
    public var ignoredResources: [String]

    public init(
        strategy: Strategy = .LeastAllocated, resources: [ResourceWeight] = ResourceWeight.defaults,
        shape: [(Int64, Int64)] = []
    ) {
        self.strategy = strategy; self.resources = resources; self.shape = shape.map { ($0.0, $0.1) }
        self.ignoredResources = []
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.strategy == b.strategy && a.resources == b.resources && a.ignoredResources == b.ignoredResources
            && a.shape.map(\.utilization) == b.shape.map(\.utilization) && a.shape.map(\.score) == b.shape.map(\.score)
    }
    public func hash(into h: inout Hasher) { h.combine(strategy); h.combine(resources) }

    public static let typeName = "NodeResourcesFitArgs"
    public static let usedFields = ["apiVersion", "kind", "scoringStrategy", "ignoredResources", "ignoredResourceGroups"]

    struct ScoringStrategy: Decodable, StrictFields {
        static let typeName = "scoringStrategy"
        static let usedFields = ["type", "resources", "requestedToCapacityRatio"]
        var type: Strategy, resources: [ResourceWeight]?, shape: [ShapePoint]
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            type = try c.opt("type") ?? .LeastAllocated
            resources = try c.opt("resources")
            shape = (try c.opt("requestedToCapacityRatio", as: RatioArgs.self))?.shape ?? []
            if type == .RequestedToCapacityRatio {
                guard !shape.isEmpty else {
                    throw DecodingError.dataCorruptedError(
                        forKey: AnyCodingKey("requestedToCapacityRatio"), in: c,
                        debugDescription: "shape: at least one point is required")
                }
                for i in 1..<max(shape.count, 1) where shape[i].utilization <= shape[i - 1].utilization {
                    throw DecodingError.dataCorruptedError(
                        forKey: AnyCodingKey("requestedToCapacityRatio"), in: c,
                        debugDescription: "shape: utilization values must be sorted in increasing order")
                }
            }
        }
    }
    struct RatioArgs: Decodable, StrictFields {
        static let typeName = "requestedToCapacityRatio"
        static let usedFields = ["shape"]
        var shape: [ShapePoint]
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            shape = try decoder.container(keyedBy: AnyCodingKey.self).opt("shape") ?? []
        }
    }
    struct ShapePoint: Decodable, StrictFields {
        static let typeName = "shape point"
        static let usedFields = ["utilization", "score"]
        var utilization: Int64, score: Int64
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            utilization = try c.req("utilization"); score = try c.req("score")
            guard (0...100).contains(utilization) else {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("utilization"), in: c, debugDescription: "not in valid range [0, 100]")
            }
            guard (0...10).contains(score) else {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("score"), in: c, debugDescription: "not in valid range [0, 10]")
            }
        }
    }

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let s: ScoringStrategy? = try c.opt("scoringStrategy")
        strategy = s?.type ?? .LeastAllocated
        resources = s?.resources ?? ResourceWeight.defaults
        shape = (s?.shape ?? []).map { ($0.utilization, $0.score) }
        ignoredResources = try c.opt("ignoredResources") ?? []
    }
}

struct BalancedAllocationArgs: Decodable, StrictFields {
    static let typeName = "NodeResourcesBalancedAllocationArgs"
    static let usedFields = ["apiVersion", "kind", "resources"]
    var resources: [ResourceWeight]
    init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        resources = try decoder.container(keyedBy: AnyCodingKey.self).opt("resources") ?? ResourceWeight.defaults
    }
}

struct PodTopologySpreadArgs: Decodable, StrictFields {
    static let typeName = "PodTopologySpreadArgs"
    static let usedFields = ["apiVersion", "kind", "defaultConstraints", "defaultingType"]
    var defaultConstraints: [TopologySpreadConstraint], defaultingType: String
    init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        defaultConstraints = try c.opt("defaultConstraints") ?? []
        defaultingType = try c.opt("defaultingType") ?? "System"
        guard ["System", "List"].contains(defaultingType) else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("defaultingType"), in: c, debugDescription: "must be System or List")
        }
        if defaultingType == "System" && !defaultConstraints.isEmpty {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("defaultConstraints"), in: c,
                debugDescription: "when .defaultingType is \"System\", .defaultConstraints must be empty")
        }
        for tc in defaultConstraints where tc.labelSelector != nil {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("defaultConstraints"), in: c,
                debugDescription: "constraint must not define a selector, as they deduced for each pod")
        }
    }
}

struct InterPodAffinityArgs: Decodable, StrictFields {
    static let typeName = "InterPodAffinityArgs"
    static let usedFields = ["apiVersion", "kind", "hardPodAffinityWeight", "ignorePreferredTermsOfExistingPods"]
    var hardPodAffinityWeight: Int?, ignorePreferredTermsOfExistingPods: Bool?
    init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        hardPodAffinityWeight = try c.opt("hardPodAffinityWeight")
        ignorePreferredTermsOfExistingPods = try c.opt("ignorePreferredTermsOfExistingPods")
        if let w = hardPodAffinityWeight, !(0...100).contains(w) {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("hardPodAffinityWeight"), in: c, debugDescription: "not in valid range [0, 100]")
        }
    }
}

struct NodeAffinityArgs: Decodable, StrictFields {
    static let typeName = "NodeAffinityArgs"
    static let usedFields = ["apiVersion", "kind", "addedAffinity"]
    var addedAffinity: NodeAffinity?
    init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        addedAffinity = try decoder.container(keyedBy: AnyCodingKey.self).opt("addedAffinity")
    }
}

struct DefaultPreemptionArgs: Decodable, StrictFields {
    static let typeName = "DefaultPreemptionArgs"
    static let usedFields = ["apiVersion", "kind", "minCandidateNodesPercentage", "minCandidateNodesAbsolute"]
    var minCandidateNodesPercentage: Int?, minCandidateNodesAbsolute: Int?
    init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        minCandidateNodesPercentage = try c.opt("minCandidateNodesPercentage")
        minCandidateNodesAbsolute = try c.opt("minCandidateNodesAbsolute")
        if let p = minCandidateNodesPercentage, !(0...100).contains(p) {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("minCandidateNodesPercentage"), in: c, debugDescription: "not in valid range [0, 100]")
        }
        if let a = minCandidateNodesAbsolute, a < 0 {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("minCandidateNodesAbsolute"), in: c, debugDescription: "not in valid range [0, inf)")
        }
    }
}
