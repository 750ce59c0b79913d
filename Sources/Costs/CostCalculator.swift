import Catalog
import KubeModel
import Simulation

/// What to cost: a platform, its machines and the scenario's cost settings.
public struct CostInput: Sendable, Equatable {
    public var provider: Provider
    public var distribution: Distribution
    public var region: String
    public var nodes: [NodeCount]
    public var settings: CostSettings
    /// Whether the scenario's control plane is highly available (picks GKE regional and LKE
    /// HA unless the settings say otherwise).
    public var controlPlaneHA: Bool
    /// Sum of the workload's pod requests (GKE Autopilot bills these instead of nodes).
    public var podRequests: Resources
    public var origin: String
    /// Machines the scenario already runs, which keep its `priceBasis`; the rest are new orders at the list price.
    ///
    /// nil: every machine of `nodes` (the scenario as written).
    public var existing: [NodeCount]?
    /// The workload's PersistentVolumeClaims, priced as the provider's block storage.
    public var volumes: [ClaimedVolume] = []
    /// The cluster's default storage class, for claims that name none.
    public var defaultStorageClass: String?
    /// Zones the nodes are spread over, when the option must survive the loss of one (AWS
    /// then needs a NAT gateway in each); nil otherwise.
    public var zonesToSurvive: Int?

    public init(
        provider: Provider, distribution: Distribution, region: String, nodes: [NodeCount],
        settings: CostSettings = CostSettings(), controlPlaneHA: Bool = true, podRequests: Resources = .zero,
        origin: String = "scenario"
    ) {
        self.provider = provider; self.distribution = distribution; self.region = region; self.nodes = nodes
        self.settings = settings; self.controlPlaneHA = controlPlaneHA; self.podRequests = podRequests; self.origin = origin
    }

    /// The machines of a scenario's platform: its servers and pools.
    public init(platform: PlatformSpec, podRequests: Resources = .zero) {
        var nodes: [NodeCount] = []
        if let cp = platform.controlPlane { nodes.append(NodeCount(type: cp.type.lowercased(), count: cp.count, role: "server")) }
        for p in platform.pools where p.count > 0 { nodes.append(NodeCount(type: p.type.lowercased(), count: p.count)) }
        self.init(
            provider: platform.provider, distribution: platform.distribution, region: platform.region,
            nodes: CostInput.merged(nodes), settings: platform.costs,
            controlPlaneHA: platform.highlyAvailableControlPlane, podRequests: podRequests)
    }

    /// The machines of a scenario's platform and what its workload claims: pod requests
    /// (GKE Autopilot bills them) and persistent volumes.
    public init(platform: PlatformSpec, workloads: Workloads, defaultStorageClass: String?) {
        self.init(platform: platform, podRequests: Demand(workloads, system: false).pods)
        volumes = ClaimedVolume.of(workloads)
        self.defaultStorageClass = defaultStorageClass
    }

    /// Same type and role counted once.
    static func merged(_ nodes: [NodeCount]) -> [NodeCount] {
        var out: [NodeCount] = []
        for n in nodes {
            if let i = out.firstIndex(where: { $0.type == n.type && $0.role == n.role }) {
                out[i].count += n.count
            } else {
                out.append(n)
            }
        }
        return out
    }
}

/// Computes the monthly cost of an option from the catalogs and each provider's billing rules.
public enum CostCalculator {
    public static func estimate(
        _ input: CostInput, catalog: PriceCatalog, currency: String,
        fx: inout [String: FXUsed]
    ) throws -> CostOption {
        guard let pc = catalog.provider(input.provider) else {
            throw CostError("the catalog has no \(input.provider.rawValue) prices")
        }
        guard pc.region(input.region) != nil else {
            throw CostError(
                "\(input.region) is not a \(input.provider.rawValue) region in the catalog (known: "
                    + pc.regions.map(\.id).joined(separator: ", ") + ")")
        }
        var ledger = Ledger(currency: pc.currency)
        switch input.provider {
        case .hetzner: HetznerBilling.bill(input, pc, &ledger)
        case .aws: AWSBilling.bill(input, pc, &ledger)
        case .gcp: GCPBilling.bill(input, pc, &ledger)
        case .linode: LinodeBilling.bill(input, pc, &ledger)
        }
        VolumeBilling.bill(input, pc, &ledger)
        SecondaryServices.bill(input, catalog, &ledger)
        let (lines, monthly) = try ledger.converted(to: currency, catalog: catalog, fx: &fx)
        var option = CostOption(
            provider: input.provider.rawValue, distribution: input.distribution.rawValue,
            region: input.region, origin: input.origin, monthly: monthly, complete: ledger.unpriced.isEmpty, currency: currency,
            items: lines, nodes: input.nodes, unpriced: ledger.unpriced, notes: ledger.notes,
            ops: nil, monthlyWithOps: nil, survives: nil)
        if let ops = try OpsEffort.cost(
            input.settings.ops, distribution: input.distribution, currency: currency,
            catalog: catalog, fx: &fx)
        {
            option.ops = ops
            option.monthlyWithOps = Ledger.round2(monthly + ops.converted)
        }
        return option
    }

    /// Tiered usage (egress): the amount for `gb` units over the tiers, and how it splits.
    static func tiered(_ gb: Double, _ tiers: [PriceTier]) -> (amount: Double, basis: String) {
        var left = gb, from = 0.0, amount = 0.0
        var parts: [String] = []
        for t in tiers where left > 0 {
            let size = t.upToGB.map { max(0, $0 - from) } ?? left
            let used = min(size, left)
            amount += used * t.price
            parts.append("\(num(used)) GB × \(num(t.price))")
            left -= used
            from = t.upToGB ?? from
        }
        return (amount, parts.joined(separator: " + "))
    }

    /// All machines counted in an input.
    static func machineCount(_ input: CostInput) -> Int { input.nodes.reduce(0) { $0 + $1.count } }
}
