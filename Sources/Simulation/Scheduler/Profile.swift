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
        // Plugin args.
        var fit = NodeResourcesFitArgs()
        var balanced = ResourceWeight.defaults
        var spreadDefaults: [TopologySpreadConstraint] = [], defaultingType = "System"
        var hardWeight: Int64 = 1, ignorePreferred = false
        var added: NodeAffinity? = nil
        for pc in config.pluginConfig {
            switch pc.args {
            case .nodeResourcesFit(let a): fit = a
            case .balancedAllocation(let r): balanced = r
            case .podTopologySpread(let c, let t): spreadDefaults = c; defaultingType = t
            case .interPodAffinity(let w, let i): hardWeight = Int64(w); ignorePreferred = i
            case .nodeAffinity(let a): added = a
            case .defaultPreemption(let p, let a): minCandidateNodesPercentage = p; minCandidateNodesAbsolute = a
            case .other: break
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
        let sets = config.plugins.sets
        func disabled(_ point: String) -> Set<String> { Set((sets[point]?.disabled ?? []).map(\.name)) }
        let multiOff = disabled("multiPoint")
        let allOff = multiOff.contains("*")
        // Start from the defaults (unless multiPoint disables "*"), then multiPoint.enabled.
        var chosen: [(String, Int64?)] = allOff ? [] : SchedulerProfile.defaultPlugins.filter { !multiOff.contains($0.name) }
        for p in sets["multiPoint"]?.enabled ?? [] {
            let w = p.weight.flatMap { $0 > 0 ? Int64($0) : nil }
            if let i = chosen.firstIndex(where: { $0.0 == p.name }) {
                chosen[i].1 = w ?? chosen[i].1
            } else {
                chosen.append((p.name, w))
            }
        }
        preemption =
            chosen.contains { $0.0 == "DefaultPreemption" } && !disabled("postFilter").contains("DefaultPreemption")
            && !disabled("postFilter").contains("*")
        // Filters.
        let filterOff = disabled("filter")
        var filterNames =
            filterOff.contains("*")
            ? [] : chosen.map(\.0).filter { SchedulerProfile.filterNames.contains($0) && !filterOff.contains($0) }
        for p in sets["filter"]?.enabled ?? []
        where SchedulerProfile.filterNames.contains(p.name) && !filterNames.contains(p.name) {
            filterNames.append(p.name)
        }
        filters = filterNames.compactMap { make($0) as? any FilterPlugin }
        // Scores.
        let scoreOff = disabled("score")
        var scoreList: [(String, Int64)] =
            scoreOff.contains("*")
            ? []
            : chosen.compactMap { n, w in
                SchedulerProfile.scoreNames.contains(n) && !scoreOff.contains(n)
                    ? (n, w ?? SchedulerProfile.defaultWeight(n)) : nil
            }
        for p in sets["score"]?.enabled ?? [] where SchedulerProfile.scoreNames.contains(p.name) {
            let w = p.weight.map(Int64.init).flatMap { $0 > 0 ? $0 : nil } ?? SchedulerProfile.defaultWeight(p.name)
            if let i = scoreList.firstIndex(where: { $0.0 == p.name }) {
                scoreList[i].1 = w
            } else {
                scoreList.append((p.name, w))
            }
        }
        scorers = scoreList.compactMap { n, w in (make(n) as? any ScorePlugin).map { ($0, w) } }
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
