import KubeModel

/// kubescheduler.config.k8s.io/v1 validation beyond what decoding checks.
///
/// It follows upstream pkg/scheduler/apis/config/validation/validation.go
/// (ValidateKubeSchedulerConfiguration, validateKubeSchedulerProfile) and the framework's start-up
/// checks (pkg/scheduler/framework/runtime/framework.go, NewFramework). Paths relative to the
/// configuration.
enum SchedulerValidation {
    static func issues(_ config: SchedulerConfiguration) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        for (key, v) in [
            ("podInitialBackoffSeconds", config.podInitialBackoffSeconds), ("podMaxBackoffSeconds", config.podMaxBackoffSeconds),
        ] {
            if let v, v > Limits.maxSeconds {
                issues.append(.invalid([.key(key)], String(v), "must be at most \(Limits.maxSeconds) (a limit of k3sim)"))
            }
        }
        for (i, profile) in config.profiles.enumerated() {
            let path: [PathKey] = [.key("profiles"), .index(i)]
            if profile.schedulerName.isEmpty { issues.append(.required(path + [.key("schedulerName")])) }
            // validateKubeSchedulerProfile: each plugin configured once.
            var seen = Set<String>()
            for (j, args) in profile.pluginConfig.enumerated() where !seen.insert(args.name).inserted {
                issues.append(.duplicate(path + [.key("pluginConfig"), .index(j)], args.name))
            }
            issues += weights(profile.plugins, path + [.key("plugins")])
            // NewFramework: "only one queue sort plugin required for profile with scheduler
            // name %q, but got %d"; "at least one bind plugin is needed ...".
            let queueSort = enabled(profile.plugins, point: "queueSort", defaults: ["PrioritySort"])
            if queueSort.count != 1 {
                issues.append(
                    FieldIssue(
                        path: path + [.key("plugins"), .key("queueSort")],
                        message:
                            "only one queue sort plugin required for profile with scheduler name \(FieldIssue.quote(profile.schedulerName)), but got \(queueSort.count)"
                    ))
            }
            if enabled(profile.plugins, point: "bind", defaults: ["DefaultBinder"]).isEmpty {
                issues.append(
                    FieldIssue(
                        path: path + [.key("plugins"), .key("bind")],
                        message:
                            "at least one bind plugin is needed for profile with scheduler name \(FieldIssue.quote(profile.schedulerName))"
                    ))
            }
        }
        return issues
    }

    /// Plugin weights are int32 (v1 Plugin.Weight), and getScoreWeights refuses a sum that
    /// could overflow: "total score of Score plugins could overflow" (MaxNodeScore 100,
    /// MaxTotalScore math.MaxInt64).
    static func weights(_ plugins: PluginsConfig, _ path: [PathKey]) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        var total = 0.0
        for point in plugins.sets.keys.sorted() {
            for (j, p) in (plugins.sets[point]?.enabled ?? []).enumerated() {
                guard let w = p.weight else { continue }
                if w > Int(Int32.max) {
                    issues.append(
                        .invalid(
                            path + [.key(point), .key("enabled"), .index(j), .key("weight")], String(w),
                            "must be at most 2147483647 (an int32)"))
                }
                total += Double(w) * 100
            }
        }
        if issues.isEmpty && total > Double(Int64.max) {
            issues.append(FieldIssue(path: path + [.key("score")], message: "total score of Score plugins could overflow"))
        }
        return issues
    }

    /// The plugins a profile ends up with at `point` (which only the in-tree `defaults` can
    /// serve among the multiPoint plugins): upstream's default multiPoint set minus what is
    /// disabled there or at the point ("*" disables all), plus what is enabled.
    static func enabled(_ plugins: PluginsConfig, point: String, defaults: [String]) -> Set<String> {
        let multi = plugins.sets["multiPoint"], own = plugins.sets[point]
        func disables(_ s: PluginSet?, _ name: String) -> Bool {
            s?.disabled.contains { $0.name == "*" || $0.name == name } ?? false
        }
        var result = Set<String>()
        for name in defaults where !disables(multi, name) && !disables(own, name) { result.insert(name) }
        for p in multi?.enabled ?? [] where defaults.contains(p.name) && !disables(own, p.name) { result.insert(p.name) }
        for p in own?.enabled ?? [] { result.insert(p.name) }
        return result
    }
}
