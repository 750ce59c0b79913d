import Catalog
import KubeModel
import Simulation

/// `k3sim cost` and `k3sim plan` as library calls: the scenario's own platform costed as
/// written, and the same workload planned on other providers with the same failure tolerance.
public struct ComparisonRequest: Sendable {
    public var platform: PlatformSpec
    /// The workload as it would run on a distribution (the user's objects + its system pods).
    public var workloadsFor: @Sendable (Distribution) -> Workloads
    public var parameters: ClusterParameters
    public var scheduler: SchedulerConfiguration?
    public var timing: [PodTimingRule]
    /// HorizontalPodAutoscalers with a load profile (plans size their targets for the peak).
    public var autoscalers: [AutoscalerSpec] = []
    public var providers: [Provider]
    public var survive: Survive
    public var headroomPercent: Double
    public var currency: String
    /// Region per provider; default: the catalog's first region on the scenario's continent.
    public var regions: [Provider: String]
    /// The scenario's seed (the emitted scenarios keep it).
    public var seed: UInt64
    /// The scenario's default storage class (claims that name none use it).
    public var defaultStorageClass: String?
    /// The day of the run (`YYYY-MM-DD`), against which catalogs' ages are checked; nil: not checked.
    public var today: String?

    public init(
        platform: PlatformSpec, workloadsFor: @escaping @Sendable (Distribution) -> Workloads,
        parameters: ClusterParameters = .init(), scheduler: SchedulerConfiguration? = nil,
        timing: [PodTimingRule] = [], providers: [Provider] = Provider.allCases, survive: Survive = .node,
        headroomPercent: Double = 0, currency: String = "EUR", regions: [Provider: String] = [:],
        seed: UInt64 = 1, defaultStorageClass: String? = nil
    ) {
        self.platform = platform; self.workloadsFor = workloadsFor; self.parameters = parameters; self.scheduler = scheduler
        self.timing = timing; self.providers = providers; self.survive = survive; self.headroomPercent = headroomPercent
        self.currency = currency; self.regions = regions; self.seed = seed; self.defaultStorageClass = defaultStorageClass
    }
}

public enum Comparison {
    /// Where the workload would run on `provider`: the scenario's own region on its own
    /// provider, else the region asked for, else the first region of the catalog on the
    /// same continent (`geo`).
    public static func region(for provider: Provider, _ r: ComparisonRequest, catalog: PriceCatalog) throws -> String {
        if let given = r.regions[provider] { return given }
        if provider == r.platform.provider { return r.platform.region }
        guard let pc = catalog.provider(provider) else { throw CostError("the catalog has no \(provider.rawValue) prices") }
        let geo = catalog.provider(r.platform.provider)?.region(r.platform.region)?.geo
        guard let region = pc.regions.first(where: { $0.geo == geo }) ?? pc.regions.first else {
            throw CostError("the \(provider.rawValue) catalog has no regions")
        }
        return region.id
    }

    public static func planRequest(_ r: ComparisonRequest, provider: Provider, catalog: PriceCatalog) throws -> PlanRequest {
        let d = Distribution.compared(on: provider, from: r.platform.distribution)
        var settings = r.platform.costs
        if settings.gkeMode == .autopilot { settings.gkeMode = nil }
        var request = PlanRequest(
            provider: provider, distribution: d, region: try region(for: provider, r, catalog: catalog),
            workloads: r.workloadsFor(d), parameters: r.parameters, scheduler: r.scheduler, timing: r.timing,
            controlPlane: r.platform.distribution.isManaged ? nil : r.platform.controlPlane,
            survive: r.survive, headroomPercent: r.headroomPercent, settings: settings,
            controlPlaneHA: r.platform.highlyAvailableControlPlane)
        request.seed = r.seed
        request.defaultStorageClass = r.defaultStorageClass
        request.autoscalers = r.autoscalers
        if provider == r.platform.provider { request.existing = CostInput(platform: r.platform).nodes }
        return request
    }

    /// The plans, one per provider; a provider that cannot be planned gives a note instead.
    public static func plans(_ r: ComparisonRequest, catalog: PriceCatalog) throws -> (
        plans: [Plan], fx: [String: FXUsed], notes: [String]
    ) {
        var fx: [String: FXUsed] = [:], plans: [Plan] = [], notes: [String] = []
        for p in r.providers {
            do {
                plans.append(
                    try Planner.plan(
                        planRequest(r, provider: p, catalog: catalog), catalog: catalog,
                        currency: r.currency, fx: &fx))
            } catch let e as CostError {
                notes.append("\(p.rawValue): no plan: \(e.message)")
            }
        }
        if let n = CatalogAge.note(catalog, providers: plans.map(\.cost.provider), today: r.today) { notes.append(n) }
        return (plans, fx, notes)
    }

    /// The scenario's own platform with what its workload claims.
    public static func ownInput(_ r: ComparisonRequest) -> CostInput {
        CostInput(
            platform: r.platform, workloads: r.workloadsFor(r.platform.distribution), defaultStorageClass: r.defaultStorageClass)
    }

    /// What a new cluster would pay instead of the scenario's unorderable servers: the list
    /// price of the same types (which no one can order while they are marked not available)
    /// and the planned option of the same provider, with the dates they depend on.
    static func newClusterNote(
        _ r: ComparisonRequest, _ options: [CostOption], catalog: PriceCatalog,
        fx: inout [String: FXUsed]
    ) throws -> String {
        var input = ownInput(r)
        input.settings.priceBasis = .new
        let list = try CostCalculator.estimate(input, catalog: catalog, currency: r.currency, fx: &fx)
        let pc = catalog.provider(r.platform.provider)
        let dates = Set(list.items.filter { $0.category == "compute" }.compactMap(\.asOf)).sorted().joined(separator: ", ")
        var types: [InstanceType] = []
        for n in input.nodes { if let t = pc?.instanceType(n.type), !t.orderable, !types.contains(t) { types.append(t) } }
        let since = Set(types.compactMap { $0.availability?.asOf }).sorted().joined(separator: ", ")
        var note =
            "A new cluster cannot order \(types.map(\.id).joined(separator: ", ")) (not available since \(since); "
            + "availability may return): at the list price of \(dates) they would cost \(num2(list.monthly)) \(r.currency)"
        if let plan = options.first(where: { $0.origin == "plan" && $0.provider == r.platform.provider.rawValue }) {
            note += "; with orderable types, the planned option costs \(num2(plan.monthly)) \(r.currency)"
        }
        return note + "."
    }

    /// The scenario's platform as written, then a plan for every other provider (and for the
    /// scenario's own provider too when some of its types can no longer be ordered).
    public static func cost(_ r: ComparisonRequest, catalog: PriceCatalog) throws -> CostReport {
        try costWithPlatforms(r, catalog: catalog).report
    }

    /// `cost`, with each option's platform beside it (the scenario's own, or the plan's), for
    /// simulating the options.
    public static func costWithPlatforms(_ r: ComparisonRequest, catalog: PriceCatalog) throws
        -> (report: CostReport, platforms: [PlatformSpec])
    {
        var fx: [String: FXUsed] = [:]
        var platforms: [PlatformSpec] = []
        var notes: [String] = []
        let own = r.platform
        var options: [CostOption] = []
        if own.controlPlane == nil && own.pools.isEmpty {
            notes.append("The scenario has only explicit nodes, which have no instance type: its own platform cannot be priced.")
        } else {
            var option = try CostCalculator.estimate(ownInput(r), catalog: catalog, currency: r.currency, fx: &fx)
            if !own.explicitNodes.isEmpty {
                option.notes.append(
                    "Explicit nodes (\(own.explicitNodes.joined(separator: ", "))) have no instance type and are not priced.")
            }
            options.append(option)
            platforms.append(own)
        }
        let ownTypes = ([own.controlPlane?.type].compactMap { $0 } + own.pools.map(\.type))
        let ownUnorderable = ownTypes.contains { catalog.provider(own.provider)?.instanceType($0)?.orderable == false }
        for p in r.providers where p != own.provider || ownUnorderable || options.isEmpty {
            do {
                let plan = try Planner.plan(
                    planRequest(r, provider: p, catalog: catalog), catalog: catalog,
                    currency: r.currency, fx: &fx)
                var o = plan.cost
                o.notes = plan.notes
                options.append(o)
                platforms.append(plan.platform)
            } catch let e as CostError {
                notes.append("\(p.rawValue): not sized: \(e.message)")
            }
        }
        if ownUnorderable, let i = options.firstIndex(where: { $0.origin == "scenario" }) {
            options[i].notes.append(try newClusterNote(r, options, catalog: catalog, fx: &fx))
        }
        var catalogs: [String: String] = [:]
        for o in options { catalogs[o.provider] = catalog.providers[o.provider]?.asOf }
        if !catalog.overrides.isEmpty { notes.append("Prices overridden by: \(catalog.overrides.joined(separator: ", ")).") }
        if let n = CatalogAge.note(catalog, providers: Array(catalogs.keys), today: r.today) { notes.append(n) }
        return (CostReport(currency: r.currency, fx: fx, options: options, catalogs: catalogs, notes: notes), platforms)
    }
}
