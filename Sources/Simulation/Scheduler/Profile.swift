import KubeModel

/// A scheduling profile: the plugins at the filter and score extension points, with
/// their weights and args, as `KubeSchedulerProfile` configures them over the default
/// plugin set (pkg/scheduler/apis/config/v1/default_plugins.go).
struct SchedulerProfile {
    var schedulerName = "default-scheduler"
    var filters: [any FilterPlugin] = []
    var scorers: [(plugin: any ScorePlugin, weight: Int64)] = []
    var preemption = true
    var minCandidateNodesPercentage = 10
    var minCandidateNodesAbsolute = 100
    var percentageOfNodesToScore: Int?

    /// Default multiPoint order and score weights.
    static let defaultPlugins: [(name: String, weight: Int64?)] = [
        ("NodeUnschedulable", nil), ("NodeName", nil), ("TaintToleration", 3), ("NodeAffinity", 2), ("NodePorts", nil),
        ("NodeResourcesFit", 1), ("VolumeRestrictions", nil), ("NodeVolumeLimits", nil), ("VolumeBinding", nil),
        ("VolumeZone", nil), ("PodTopologySpread", 2), ("InterPodAffinity", 2), ("DefaultPreemption", nil),
        ("NodeResourcesBalancedAllocation", 1), ("ImageLocality", 1),
    ]
    static let filterNames: Set<String> = [
        "NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
        "NodeResourcesFit", "NodeVolumeLimits", "VolumeBinding", "VolumeZone",
        "PodTopologySpread", "InterPodAffinity",
    ]
    static let scoreNames: Set<String> = [
        "TaintToleration", "NodeAffinity", "NodeResourcesFit", "PodTopologySpread",
        "InterPodAffinity", "NodeResourcesBalancedAllocation", "ImageLocality",
    ]

    static var `default`: SchedulerProfile { SchedulerProfile(config: SchedulerProfileConfig(), global: nil) }

    init(config: SchedulerProfileConfig, global: SchedulerConfiguration?) {
        schedulerName = config.schedulerName
        percentageOfNodesToScore = config.percentageOfNodesToScore ?? global?.percentageOfNodesToScore
        let factory = PluginFactory(config.pluginConfig)
        if let (percentage, absolute) = factory.preemptionArgs {
            minCandidateNodesPercentage = percentage
            minCandidateNodesAbsolute = absolute
        }
        let sets = config.plugins.sets
        func disabled(_ point: String) -> Set<String> { Set((sets[point]?.disabled ?? []).map(\.name)) }
        let chosen = Self.multiPointPlugins(sets, disabled: disabled("multiPoint"))
        preemption =
            chosen.contains { $0.0 == "DefaultPreemption" } && !disabled("postFilter").contains("DefaultPreemption")
            && !disabled("postFilter").contains("*")
        filters = Self.filterPlugins(chosen, sets, disabled: disabled("filter")).compactMap {
            factory.make($0) as? any FilterPlugin
        }
        scorers = Self.scorePlugins(chosen, sets, disabled: disabled("score")).compactMap { n, w in
            (factory.make(n) as? any ScorePlugin).map { ($0, w) }
        }
    }

    /// The multiPoint plugins in order with their weights: the defaults (unless multiPoint
    /// disables "*" or them), then multiPoint.enabled, which may also set a default's weight.
    private static func multiPointPlugins(_ sets: [String: PluginSet], disabled off: Set<String>) -> [(String, Int64?)] {
        var chosen: [(String, Int64?)] = off.contains("*") ? [] : defaultPlugins.filter { !off.contains($0.name) }
        for p in sets["multiPoint"]?.enabled ?? [] {
            let w = p.weight.flatMap { $0 > 0 ? Int64($0) : nil }
            if let i = chosen.firstIndex(where: { $0.0 == p.name }) {
                chosen[i].1 = w ?? chosen[i].1
            } else {
                chosen.append((p.name, w))
            }
        }
        return chosen
    }

    /// The filter plugins: multiPoint's filters that filter.disabled leaves, then filter.enabled.
    private static func filterPlugins(
        _ chosen: [(String, Int64?)], _ sets: [String: PluginSet], disabled off: Set<String>
    ) -> [String] {
        var names = off.contains("*") ? [] : chosen.map(\.0).filter { filterNames.contains($0) && !off.contains($0) }
        for p in sets["filter"]?.enabled ?? [] where filterNames.contains(p.name) && !names.contains(p.name) {
            names.append(p.name)
        }
        return names
    }

    /// The score plugins with their weights: multiPoint's scorers that score.disabled leaves,
    /// then score.enabled, whose weight replaces the one a plugin had.
    private static func scorePlugins(
        _ chosen: [(String, Int64?)], _ sets: [String: PluginSet], disabled off: Set<String>
    ) -> [(String, Int64)] {
        var list: [(String, Int64)] =
            off.contains("*")
            ? []
            : chosen.compactMap { n, w in scoreNames.contains(n) && !off.contains(n) ? (n, w ?? defaultWeight(n)) : nil }
        for p in sets["score"]?.enabled ?? [] where scoreNames.contains(p.name) {
            let w = p.weight.map(Int64.init).flatMap { $0 > 0 ? $0 : nil } ?? defaultWeight(p.name)
            if let i = list.firstIndex(where: { $0.0 == p.name }) {
                list[i].1 = w
            } else {
                list.append((p.name, w))
            }
        }
        return list
    }

    /// A score plugin enabled without a weight gets its default weight, or 1.
    static func defaultWeight(_ name: String) -> Int64 {
        defaultPlugins.first { $0.name == name }?.weight ?? 1
    }

    /// The profiles of a configuration; the default profile when it has none.
    static func profiles(_ config: SchedulerConfiguration?) -> [SchedulerProfile] {
        guard let config, !config.profiles.isEmpty else {
            var p = SchedulerProfile.default
            p.percentageOfNodesToScore = config?.percentageOfNodesToScore
            return [p]
        }
        return config.profiles.map { SchedulerProfile(config: $0, global: config) }
    }
}

/// Builds the profile's plugins by name with the args its `pluginConfig` gives (the last entry
/// for a plugin wins).
private struct PluginFactory {
    var fit = NodeResourcesFitArgs()
    var balanced = ResourceWeight.defaults
    var spreadDefaults: [TopologySpreadConstraint] = []
    var defaultingType = "System"
    var hardWeight: Int64 = 1
    var ignorePreferred = false
    var added: NodeAffinity?
    /// DefaultPreemption's minCandidateNodesPercentage and minCandidateNodesAbsolute.
    var preemptionArgs: (Int, Int)?

    init(_ pluginConfig: [PluginArgs]) {
        for pc in pluginConfig {
            switch pc.args {
            case .nodeResourcesFit(let a): fit = a
            case .balancedAllocation(let r): balanced = r
            case .podTopologySpread(let c, let t): spreadDefaults = c; defaultingType = t
            case .interPodAffinity(let w, let i): hardWeight = Int64(w); ignorePreferred = i
            case .nodeAffinity(let a): added = a
            case .defaultPreemption(let p, let a): preemptionArgs = (p, a)
            case .other: break
            }
        }
    }

    func make(_ name: String) -> Any? {
        switch name {
        case "NodeUnschedulable": return NodeUnschedulable()
        case "NodeName": return NodeName()
        case "TaintToleration": return TaintToleration()
        case "NodeAffinity": return NodeAffinityPlugin(addedAffinity: added)
        case "NodePorts": return NodePorts()
        case "NodeResourcesFit": return NodeResourcesFit(args: fit)
        case "PodTopologySpread": return PodTopologySpread(defaultConstraints: spreadDefaults, defaultingType: defaultingType)
        case "InterPodAffinity":
            return InterPodAffinity(hardPodAffinityWeight: hardWeight, ignorePreferredTermsOfExistingPods: ignorePreferred)
        case "NodeResourcesBalancedAllocation": return BalancedAllocation(resources: balanced)
        case "ImageLocality": return ImageLocality()
        case "VolumeBinding": return VolumeBinding()
        case "VolumeZone": return VolumeZone()
        case "NodeVolumeLimits": return NodeVolumeLimits()
        default: return nil  // VolumeRestrictions (ReadWriteOncePod conflicts) is not modelled
        }
    }
}
