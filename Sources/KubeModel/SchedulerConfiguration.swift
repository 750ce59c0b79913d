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

/// `Plugins`: a PluginSet per extension point.
///
/// k3sim's scheduler runs the filter and score points (and postFilter for preemption); `multiPoint`
/// covers all.
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
