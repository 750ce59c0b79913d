import Catalog
import KubeModel
import Simulation

/// What to plan: a workload (with the target platform's system pods) on a provider.
public struct PlanRequest: Sendable {
    public var provider: Provider
    public var distribution: Distribution
    public var region: String
    public var workloads: Workloads
    public var parameters: ClusterParameters
    public var scheduler: SchedulerConfiguration?
    public var timing: [PodTimingRule]
    /// HorizontalPodAutoscalers with a load profile: their targets are planned at the peak.
    public var autoscalers: [AutoscalerSpec] = []
    /// Self-managed control plane wanted (its type is replaced when it cannot be ordered);
    /// nil: three dedicated servers with embedded etcd.
    public var controlPlane: ControlPlaneLayout?
    public var survive: Survive
    /// Percent of every node's CPU and memory kept free.
    public var headroomPercent: Double
    public var settings: CostSettings
    public var controlPlaneHA: Bool
    /// Machines the scenario already runs on this provider: a plan that keeps them keeps
    /// their price basis; every other machine is a new order.
    public var existing: [NodeCount] = []
    /// The scenario's default storage class (for the claimed volumes' prices).
    public var defaultStorageClass: String?
    /// Largest node count tried per pool.
    public var maxNodes = 24
    /// Most candidate node sets simulated before giving up.
    public var maxCandidates = 60
    /// The scenario's seed, and how many seeds (from it) the crash checks use.
    public var seed: UInt64 = 1
    public var verificationSeeds = 3

    public init(
        provider: Provider, distribution: Distribution, region: String, workloads: Workloads,
        parameters: ClusterParameters = .init(), scheduler: SchedulerConfiguration? = nil,
        timing: [PodTimingRule] = [], controlPlane: ControlPlaneLayout? = nil, survive: Survive = .node,
        headroomPercent: Double = 0, settings: CostSettings = CostSettings(), controlPlaneHA: Bool = true
    ) {
        self.provider = provider; self.distribution = distribution; self.region = region; self.workloads = workloads
        self.parameters = parameters; self.scheduler = scheduler; self.timing = timing; self.controlPlane = controlPlane
        self.survive = survive; self.headroomPercent = headroomPercent; self.settings = settings
        self.controlPlaneHA = controlPlaneHA
    }
}

/// The cheapest node set found for a provider, verified by simulation.
public struct Plan: Sendable {
    /// The layout, ready to be written as a scenario.
    public var platform: PlatformSpec
    public var cost: CostOption
    public var survives: Survive
    /// Why the plan looks as it does (fallbacks, excluded types, checks made).
    public var notes: [String]
    /// Candidate node sets simulated, and simulations run in all.
    public var candidatesSimulated: Int
    public var simulations: Int
    /// The Jobs' and CronJobs' peak pods the plan made room for; nil when there are none.
    public var jobsAtPeak: JobPeakDemand?
    /// The HorizontalPodAutoscalers' targets at their load's peak; nil when there are none.
    public var autoscalersAtPeak: AutoscalerPeak?
}

/// Searches node sets cheapest first.
///
/// It tries every orderable, priced type of the region in one pool, then mixes of two types that
/// undercut the best single-type set. A candidate is accepted when the simulated scheduler places
/// every pod (every Job and CronJob at its peak, `JobPeakDemand`, and every target of a
/// HorizontalPodAutoscaler with a load at the load's peak, `AutoscalerPeak`), still places every
/// pod with each node (or zone) removed, and finally when a simulated crash of each node (or zone)
/// ends with no pending pods.
public enum Planner {
    public static func plan(
        _ r: PlanRequest, catalog: PriceCatalog, currency: String,
        fx: inout [String: FXUsed]
    ) throws -> Plan {
        guard let pc = catalog.provider(r.provider) else { throw CostError("the catalog has no \(r.provider.rawValue) prices") }
        guard let region = pc.region(r.region) else {
            throw CostError(
                "\(r.region) is not a \(r.provider.rawValue) region (known: \(pc.regions.map(\.id).joined(separator: ", ")))")
        }
        if r.survive == .zone && region.zones.count < 2 {
            throw CostError("\(r.provider.rawValue) \(r.region) has a single zone: no node set survives the loss of a zone there")
        }
        var notes: [String] = []
        if r.distribution == .eks && !r.controlPlaneHA {
            notes.append(
                "The scenario's control plane is not highly available; EKS's always is, so this option buys "
                    + "availability the scenario does not have.")
        }
        let cp = try ControlPlaneChoice.choose(r, pc, region, &notes)
        let (types, excluded) = candidateTypes(r, pc, region)
        notes += excluded
        guard !types.isEmpty else { throw CostError("no orderable, priced \(r.provider.rawValue) type in \(r.region)") }

        let scaled = AutoscalerPeak(r.workloads, autoscalers: r.autoscalers)
        let workloads = scaled.apply(r.workloads)
        let jobs = JobPeakDemand(workloads, timing: r.timing)
        var demand = Demand(workloads)
        demand.add(jobs)
        var search = Search(
            request: r, pc: pc, region: region, controlPlane: cp, demand: demand, catalog: catalog,
            currency: currency,
            fit: FitCheck(
                workloads: jobs.fitWorkloads(workloads), parameters: r.parameters,
                scheduler: r.scheduler, timing: r.timing))
        let singles = try search.singleTypeCandidates(types)
        var best = try search.firstPassing(singles)
        if let b = best {
            let mixes = try search.mixedCandidates(types, below: b.cost.monthly)
            if let m = try search.firstPassing(mixes) { best = m }
        }
        guard let chosen = best else {
            throw CostError(
                "no set of up to \(r.maxNodes) \(r.provider.rawValue) nodes fits the workload and survives the loss of a \(r.survive.rawValue) "
                    + "(\(search.tested) candidates simulated; the last tried, \(search.lastRejection ?? "none passed the capacity bound"))."
                    + " Pods bound to a node by a local volume, or constraints no node set can meet, cannot survive its loss")
        }
        fx.merge(search.fx) { a, _ in a }
        var cost = chosen.cost
        cost.origin = "plan"
        cost.survives = r.survive.rawValue
        notes.append(
            "Checked by simulation: every pod placed by the scheduler; "
                + (r.survive == .none
                    ? "no failure tolerance asked."
                    : "each \(r.survive.rawValue) removed in turn and crashed in turn (no recovery) leaves no pending pod.")
                + (r.headroomPercent > 0 ? " \(num(r.headroomPercent)) % of each node's CPU and memory kept free." : ""))
        if let counted = scaled.summary { notes.append(counted + ".") }
        if let counted = jobs.summary { notes.append(counted + ".") }
        return Plan(
            platform: chosen.platform, cost: cost, survives: r.survive, notes: notes + cost.notes,
            candidatesSimulated: search.tested, simulations: search.fit.simulations,
            jobsAtPeak: jobs.entries.isEmpty ? nil : jobs, autoscalersAtPeak: scaled.entries.isEmpty ? nil : scaled)
    }

    /// Types that can be ordered and are priced in the region, and sentences for the rest.
    static func candidateTypes(_ r: PlanRequest, _ pc: ProviderCatalog, _ region: Region) -> ([InstanceType], [String]) {
        var ok: [InstanceType] = []
        var unorderable: [String] = [], unpriced: [String] = []
        var evidence: String?
        for t in pc.instanceTypes {
            let zones = region.zones.filter { pc.offers(t, zone: $0.id, region: region.id) }
            guard !zones.isEmpty else { continue }
            if !t.orderable {
                unorderable.append(t.id)
                evidence = evidence ?? t.availability.map { "\($0.asOf ?? "")\($0.source.map { ", \($0)" } ?? "")" }
                continue
            }
            guard t.price(region: region.id, basis: .new) != nil else { unpriced.append(t.id); continue }
            if r.survive == .zone && zones.count < 2 { continue }
            ok.append(t)
        }
        var notes: [String] = []
        if !unorderable.isEmpty {
            notes.append(
                "Not available for new orders (\(evidence ?? "see catalog")): \(unorderable.joined(separator: ", ")); "
                    + "the plan uses orderable types only.")
        }
        if !unpriced.isEmpty {
            notes.append(
                "No price in \(region.id) in the catalog, so not planned: \(unpriced.joined(separator: ", ")) (add prices with --catalog)."
            )
        }
        return (ok, notes)
    }
}
