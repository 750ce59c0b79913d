/// `kubescheduler.config.k8s.io/v1 KubeSchedulerConfiguration`: the parts that change
/// scheduling decisions (profiles, plugins, plugin args, percentageOfNodesToScore), decoded
/// strictly and validated as kube-scheduler validates them
/// (pkg/scheduler/apis/config/validation), errors at the offending field.
public struct SchedulerConfiguration: Hashable, Sendable, Decodable, StrictFields {
    public var percentageOfNodesToScore: Int?
    public var podInitialBackoffSeconds: Int?
    public var podMaxBackoffSeconds: Int?
    public var profiles: [SchedulerProfileConfig]

    public init(profiles: [SchedulerProfileConfig] = [], percentageOfNodesToScore: Int? = nil) {
        self.profiles = profiles; self.percentageOfNodesToScore = percentageOfNodesToScore
    }

    public static let typeName = "KubeSchedulerConfiguration"
    public static let usedFields = [
        "apiVersion", "kind", "percentageOfNodesToScore", "podInitialBackoffSeconds",
        "podMaxBackoffSeconds", "profiles",
    ]
    public static let ignoredFields = [
        "parallelism", "leaderElection", "clientConnection", "healthzBindAddress",
        "metricsBindAddress", "enableProfiling", "enableContentionProfiling",
        "extenders", "delayCacheUntilActive",
    ]

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        if let v: String = try c.opt("apiVersion"), v != "kubescheduler.config.k8s.io/v1" {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("apiVersion"), in: c,
                debugDescription: "must be kubescheduler.config.k8s.io/v1 (v1beta3 was removed in 1.29)")
        }
        if let k: String = try c.opt("kind"), k != "KubeSchedulerConfiguration" {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("kind"), in: c, debugDescription: "must be KubeSchedulerConfiguration")
        }
        percentageOfNodesToScore = try c.opt("percentageOfNodesToScore")
        try SchedulerConfiguration.checkPercentage(percentageOfNodesToScore, c)
        podInitialBackoffSeconds = try c.opt("podInitialBackoffSeconds")
        podMaxBackoffSeconds = try c.opt("podMaxBackoffSeconds")
        if let b = podInitialBackoffSeconds, b <= 0 {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("podInitialBackoffSeconds"), in: c, debugDescription: "must be greater than 0")
        }
        if let m = podMaxBackoffSeconds, m < (podInitialBackoffSeconds ?? 1) {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("podMaxBackoffSeconds"), in: c,
                debugDescription: "must be greater than or equal to podInitialBackoffSeconds")
        }
        profiles = try c.opt("profiles") ?? []
        var names = Set<String>()
        for p in profiles where !names.insert(p.schedulerName).inserted {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("profiles"), in: c,
                debugDescription: "duplicate profile with scheduler name \"\(p.schedulerName)\"")
        }
    }

    static func checkPercentage(_ p: Int?, _ c: KeyedDecodingContainer<AnyCodingKey>) throws {
        if let p, p < 0 || p > 100 {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("percentageOfNodesToScore"), in: c,
                debugDescription: "not in valid range [0, 100]")
        }
    }
}

/// One `KubeSchedulerProfile`.
public struct SchedulerProfileConfig: Hashable, Sendable, Decodable, StrictFields {
    public var schedulerName: String
    public var percentageOfNodesToScore: Int?
    public var plugins: PluginsConfig
    public var pluginConfig: [PluginArgs]

    public init(schedulerName: String = "default-scheduler", plugins: PluginsConfig = .init(), pluginConfig: [PluginArgs] = []) {
        self.schedulerName = schedulerName; self.plugins = plugins; self.pluginConfig = pluginConfig
    }

    public static let typeName = "profile"
    public static let usedFields = ["schedulerName", "percentageOfNodesToScore", "plugins", "pluginConfig"]

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        schedulerName = try c.opt("schedulerName") ?? "default-scheduler"
        percentageOfNodesToScore = try c.opt("percentageOfNodesToScore")
        try SchedulerConfiguration.checkPercentage(percentageOfNodesToScore, c)
        plugins = try c.opt("plugins") ?? .init()
        pluginConfig = try c.opt("pluginConfig") ?? []
    }
}

/// `Plugins`: a PluginSet per extension point. k3sim's scheduler runs the
/// filter and score points (and postFilter for preemption); `multiPoint` covers all.
public struct PluginsConfig: Hashable, Sendable, Decodable, StrictFields {
    public var sets: [String: PluginSet]

    public init(sets: [String: PluginSet] = [:]) { self.sets = sets }

    public static let typeName = "plugins"
    public static let usedFields = [
        "preEnqueue", "queueSort", "preFilter", "filter", "postFilter", "preScore", "score",
        "reserve", "permit", "preBind", "bind", "postBind", "multiPoint",
    ]

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        var sets: [String: PluginSet] = [:]
        for key in Self.usedFields { if let s: PluginSet = try c.opt(key) { sets[key] = s } }
        self.sets = sets
    }
}

public struct PluginSet: Hashable, Sendable, Decodable, StrictFields {
    public var enabled: [PluginRef]
    public var disabled: [PluginRef]

    public init(enabled: [PluginRef] = [], disabled: [PluginRef] = []) { self.enabled = enabled; self.disabled = disabled }

    public static let typeName = "pluginSet"
    public static let usedFields = ["enabled", "disabled"]
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        enabled = try c.opt("enabled") ?? []
        disabled = try c.opt("disabled") ?? []
    }
}

public struct PluginRef: Hashable, Sendable, Decodable, StrictFields {
    public var name: String
    public var weight: Int?

    public init(name: String, weight: Int? = nil) { self.name = name; self.weight = weight }

    public static let typeName = "plugin"
    public static let usedFields = ["name", "weight"]

    /// The in-tree plugins (pkg/scheduler/framework/plugins/names).
    public static let knownPlugins: Set<String> = [
        "*", "SchedulingGates", "PrioritySort", "NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity",
        "NodePorts", "NodeResourcesFit", "VolumeRestrictions", "NodeVolumeLimits", "VolumeBinding", "VolumeZone",
        "PodTopologySpread", "InterPodAffinity", "DefaultPreemption", "NodeResourcesBalancedAllocation",
        "ImageLocality", "DefaultBinder", "DynamicResources",
    ]

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.req("name")
        guard Self.knownPlugins.contains(name) else {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("name"), in: c,
                debugDescription: "plugin \"\(name)\" does not exist"
                    + (closestField(to: name, in: Array(Self.knownPlugins)).map { " (did you mean \"\($0)\"?)" } ?? ""))
        }
        weight = try c.opt("weight")
        if let w = weight, w < 0 {
            throw DecodingError.dataCorruptedError(
                forKey: AnyCodingKey("weight"), in: c, debugDescription: "must not be negative")
        }
    }
}

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
