import Simulation

/// The `upgrade` fault's node-pool settings: each managed provider's own options with its
/// documented defaults (`NodePoolUpgradeSettings`), refused where the platform has no such
/// setting.
extension ScenarioBuilder {
    func nodePoolUpgrade(
        _ o: ScenarioFile.Options?, strategy: UpgradePlan.Strategy,
        path: [PathKey]
    ) throws -> NodePoolUpgradeSettings? {
        let platform = "\(spec.platform.distribution) on \(spec.platform.provider)"
        func refuse(_ key: String, _ why: String) -> PositionedFieldError {
            fail(path + [.key(key)], "\(platform) has no \(key): \(why)")
        }
        func atLeast(_ key: String, _ value: Int?, _ least: Int, most: Int = Int.max) throws {
            guard let value, value < least || value > most else { return }
            throw fail(path + [.key(key)], "must be \(most == Int.max ? "at least \(least)" : "between \(least) and \(most)")")
        }
        let distribution = spec.platform.distribution
        guard strategy == .surge, ["gke", "eks", "lke"].contains(distribution) else {
            let why =
                strategy == .inPlace && ["gke", "eks", "lke"].contains(distribution)
                ? "the in-place strategy upgrades nodes where they stand"
                : "only GKE (maxSurge, maxUnavailable) and EKS (maxUnavailable, maxUnavailablePercentage) node pools take it"
            if o?.maxSurge != nil { throw refuse("maxSurge", why) }
            if o?.maxUnavailable != nil { throw refuse("maxUnavailable", why) }
            if o?.maxUnavailablePercentage != nil { throw refuse("maxUnavailablePercentage", why) }
            return nil
        }
        if o?.concurrency != nil {
            throw refuse(
                "concurrency",
                distribution == "lke"
                    ? "LKE recycles one node at a time"
                    : distribution == "gke"
                        ? "GKE upgrades maxSurge + maxUnavailable nodes at once" : "EKS upgrades maxUnavailable nodes at once")
        }
        switch distribution {
        case "gke":
            if o?.maxUnavailablePercentage != nil {
                throw refuse("maxUnavailablePercentage", "GKE takes maxSurge and maxUnavailable as node counts")
            }
            try atLeast("maxSurge", o?.maxSurge, 0)
            try atLeast("maxUnavailable", o?.maxUnavailable, 0)
            let settings = NodePoolUpgradeSettings.gke(maxSurge: o?.maxSurge ?? 1, maxUnavailable: o?.maxUnavailable ?? 0)
            if settings.maxSurge + settings.maxUnavailable < 1 {
                throw fail(path, "maxSurge and maxUnavailable are both 0: GKE needs at least one of them above 0")
            }
            return settings
        case "eks":
            if o?.maxSurge != nil {
                throw refuse("maxSurge", "EKS's scale-up phase sizes the surge itself (twice the zones, or maxUnavailable)")
            }
            if o?.maxUnavailable != nil && o?.maxUnavailablePercentage != nil {
                throw fail(
                    path + [.key("maxUnavailablePercentage")], "EKS takes maxUnavailable or maxUnavailablePercentage, not both")
            }
            try atLeast("maxUnavailable", o?.maxUnavailable, 1, most: 100)
            try atLeast("maxUnavailablePercentage", o?.maxUnavailablePercentage, 1, most: 100)
            return .eks(maxUnavailable: o?.maxUnavailable ?? 1, percentage: o?.maxUnavailablePercentage, force: o?.force ?? false)
        default:
            let why = "LKE recycles one node at a time"
            if o?.maxSurge != nil { throw refuse("maxSurge", why) }
            if o?.maxUnavailable != nil { throw refuse("maxUnavailable", why) }
            if o?.maxUnavailablePercentage != nil { throw refuse("maxUnavailablePercentage", why) }
            return .lke
        }
    }

    func refuseNodePoolOptions(_ o: ScenarioFile.Options?, action: FaultSpec.Action, path: [PathKey]) throws {
        for (key, value) in [
            ("maxSurge", o?.maxSurge), ("maxUnavailable", o?.maxUnavailable),
            ("maxUnavailablePercentage", o?.maxUnavailablePercentage),
        ] where value != nil {
            throw fail(path + [.key(key)], "only the upgrade action takes \(key), not \(action.rawValue)")
        }
    }
}
