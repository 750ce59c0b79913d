import SimKernel

/// How a managed provider replaces a node pool's nodes during an upgrade, with each provider's
/// documented defaults.
///
/// The provisioning time of a new node is not documented by any of them and stays the plan's
/// `provisionTime` assumption.
public struct NodePoolUpgradeSettings: Sendable, Equatable {
    public enum Provider: String, Sendable, Equatable {
        case gke = "GKE", eks = "EKS", lke = "LKE"
    }
    /// What the provider does when a drain is still blocked (by a PodDisruptionBudget) at
    /// `drainLimit`.
    public enum DrainLimitAction: Sendable, Equatable {
        /// The remaining pods are deleted and the node goes anyway.
        case forceDelete
        /// The whole update stops and is reported failed; the node stays cordoned.
        case failUpdate
    }

    public var provider: Provider
    /// Nodes created before old ones are drained (GKE maxSurge; EKS's scale-up count is
    /// worked out when the update starts, from the node group's zones).
    public var maxSurge: Int
    /// Nodes drained without a replacement first (GKE), or in parallel (EKS).
    public var maxUnavailable: Int
    /// EKS `maxUnavailablePercentage` of the node group, instead of `maxUnavailable`.
    public var maxUnavailablePercentage: Int?
    public var drainLimit: SimTime?
    public var drainLimitAction: DrainLimitAction
    /// Time between a node's last pod leaving and the machine being terminated.
    public var terminateDelay: SimTime

    /// GKE surge upgrade: maxSurge 1, maxUnavailable 0 by default; maxSurge + maxUnavailable nodes
    /// upgrade at once (NodePool.UpgradeSettings in the GKE API reference).
    ///
    /// GKE's node upgrade documentation says PodDisruptionBudgets and grace periods are respected
    /// for up to one hour, after which the node is drained regardless.
    public static func gke(maxSurge: Int = 1, maxUnavailable: Int = 0) -> Self {
        Self(
            provider: .gke, maxSurge: maxSurge, maxUnavailable: maxUnavailable, maxUnavailablePercentage: nil,
            drainLimit: .minutes(60), drainLimitAction: .forceDelete, terminateDelay: .zero)
    }

    /// EKS managed node group update ("Understand each phase of node updates", EKS user
    /// guide): updateConfig maxUnavailable defaults to 1; the scale-up phase grows the Auto
    /// Scaling group by the larger of twice its zones and maxUnavailable; the upgrade phase
    /// drains up to maxUnavailable nodes, fails the update with PodEvictionFailure when pods
    /// have not left after 15 minutes (unless the update is forced, then they are deleted),
    /// waits 60 s after the drain and terminates the instance; the scale-down phase returns
    /// the group to its size.
    public static func eks(maxUnavailable: Int = 1, percentage: Int? = nil, force: Bool = false) -> Self {
        Self(
            provider: .eks, maxSurge: 0, maxUnavailable: maxUnavailable, maxUnavailablePercentage: percentage,
            drainLimit: .minutes(15), drainLimitAction: force ? .forceDelete : .failUpdate, terminateDelay: .seconds(60))
    }

    /// LKE node pool recycle (Linode API "Recycle a node pool"): every node is deleted and replaced
    /// with a new Linode "on a rolling basis".
    ///
    /// LKE documents neither a surge nor a drain limit; assumption: one node at a time, drained
    /// through the PodDisruptionBudgets without a limit, deleted, and its replacement Ready before
    /// the next.
    public static var lke: Self {
        Self(
            provider: .lke, maxSurge: 0, maxUnavailable: 1, maxUnavailablePercentage: nil,
            drainLimit: nil, drainLimitAction: .forceDelete, terminateDelay: .zero)
    }

    /// EKS: nodes upgraded in parallel for a node group of `size` nodes.
    ///
    /// The percentage is rounded down with at least one node (assumption: EKS does not document the
    /// rounding).
    func parallelism(groupSize size: Int) -> Int {
        if let p = maxUnavailablePercentage { return max(1, size * p / 100) }
        return max(1, maxUnavailable)
    }
}
