import Simulation

/// How the `upgrade` fault replaces a node's software, per distribution: the managed
/// platforms surge (GKE surge upgrade, EKS node group update, LKE recycle), K3S, RKE2 and
/// MicroK8s restart their service in place, Talos reboots into a new image.
extension ScenarioBuilder {
    func upgradeStrategy(_ o: ScenarioFile.Options?, path: [PathKey]) throws -> UpgradePlan.Strategy {
        let distribution = spec.platform.distribution
        let fallback: UpgradePlan.Strategy =
            ["eks", "gke", "lke"].contains(distribution) ? .surge : distribution == "talos" ? .reboot : .inPlace
        let strategy = o?.strategy.flatMap(UpgradePlan.Strategy.init(rawValue:)) ?? fallback
        if strategy == .reboot && distribution != "talos" {
            throw fail(
                path + [.key("strategy")],
                "reboot is Talos's upgrade (talosctl upgrade installs an image and reboots); \(distribution) upgrades \(fallback == .surge ? "by surge" : "in place")"
            )
        }
        if strategy == .reboot && o?.drain == false {
            throw fail(
                path + [.key("drain")],
                "Talos always cordons and drains a node before it reboots it (the drain step of its upgrade sequence)")
        }
        if strategy != .reboot && o?.installAndRebootTime != nil {
            throw fail(path + [.key("installAndRebootTime")], "only the reboot strategy (Talos) installs an image and reboots")
        }
        return strategy
    }
}
