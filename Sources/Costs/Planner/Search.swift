import Catalog
import KubeModel
import Simulation

/// The planner's search state: candidate layouts, their cost, and the simulations that
/// accept or reject them.
struct Search {
    let request: PlanRequest
    let pc: ProviderCatalog
    let region: Region
    let controlPlane: ControlPlaneLayout?
    let demand: Demand
    let catalog: PriceCatalog
    let currency: String
    var fit: FitCheck
    var tested = 0
    var fx: [String: FXUsed] = [:]
    /// Why the last (most expensive) candidate tried was rejected, for the error when nothing passes.
    var lastRejection: String?

    struct Candidate {
        var platform: PlatformSpec
        var cost: CostOption
        var nodeCount: Int
        var key: String
    }

    /// GKE regional node pools have the same number of nodes in every zone.
    var countStep: Int {
        guard request.distribution == .gke else { return 1 }
        let mode = request.settings.gkeMode ?? (request.controlPlaneHA ? .regional : .zonal)
        return mode == .regional ? region.zones.count : 1
    }

    func zones(of t: InstanceType) -> [String] {
        region.zones.map(\.id).filter { pc.offers(t, zone: $0, region: region.id) }
    }

    /// Pools named `workers`, `workers-b`; each pool continues the round-robin over the
    /// zones where the previous one stopped, so that a mix is spread as evenly as one pool.
    func layout(_ pools: [(InstanceType, Int)]) -> PlatformSpec {
        var offset = 0
        var out: [PoolLayout] = []
        for (i, (t, n)) in pools.enumerated() {
            var z = zones(of: t)
            if !z.isEmpty { let k = offset % z.count; z = Array(z[k...] + z[..<k]) }
            out.append(
                PoolLayout(
                    name: i == 0 ? "workers" : "workers-\(Character(UnicodeScalar(UInt8(97 + i))))",
                    type: t.id, count: n, zones: z))
            offset += n
        }
        // A managed control plane as available as the scenario's own (EKS has only one kind).
        let managedHA = request.distribution.isManaged && request.distribution != .eks ? request.controlPlaneHA : nil
        return PlatformSpec(
            distribution: request.distribution, provider: request.provider, region: region.id,
            controlPlane: controlPlane, pools: out, costs: request.settings, managedHighAvailability: managedHA)
    }

    /// What the planner counts on per node (allocatable less footprint and headroom).
    func capacity(_ t: InstanceType, _ role: NodeRole) -> Resources {
        if case .server = role {
            return Allocatable.planned(
                t, distribution: request.distribution, server: true, headroomPercent: request.headroomPercent)
        }
        return Allocatable.planned(t, distribution: request.distribution, server: false, headroomPercent: request.headroomPercent)
    }

    func slots(_ p: PlatformSpec) -> [Demand.Slot] {
        var s: [Demand.Slot] = []
        if let cp = p.controlPlane, let t = pc.instanceType(cp.type) {
            for i in 0..<cp.count {
                s.append(
                    .init(
                        capacity: capacity(t, .server(datastore: cp.datastore, schedulable: true)),
                        pods: Allocatable.node(t, distribution: request.distribution).pods, zone: cp.zones[i % cp.zones.count]))
            }
        }
        for pool in p.pools {
            guard let t = pc.instanceType(pool.type) else { continue }
            for i in 0..<pool.count {
                s.append(
                    .init(
                        capacity: capacity(t, .agent), pods: Allocatable.node(t, distribution: request.distribution).pods,
                        zone: pool.zones[i % pool.zones.count]))
            }
        }
        return s
    }

    mutating func candidate(_ pools: [(InstanceType, Int)]) throws -> Candidate? {
        let p = layout(pools)
        guard demand.mightFit(slots(p), survive: request.survive) else { return nil }
        var input = CostInput(platform: p, workloads: request.workloads, defaultStorageClass: request.defaultStorageClass)
        input.existing = request.existing
        if request.survive == .zone {
            input.zonesToSurvive = Set(p.pools.flatMap { Array($0.zones.prefix($0.count)) }).count
        }
        let cost = try CostCalculator.estimate(input, catalog: catalog, currency: currency, fx: &fx)
        return Candidate(
            platform: p, cost: cost, nodeCount: pools.reduce(0) { $0 + $1.1 },
            key: pools.map { "\($0.0.id)×\($0.1)" }.joined(separator: "+"))
    }

    var minimumCount: Int { request.survive == .none ? 1 : 2 }

    mutating func singleTypeCandidates(_ types: [InstanceType]) throws -> [Candidate] {
        var out: [Candidate] = []
        let step = countStep
        for t in types {
            let first = ((minimumCount + step - 1) / step) * step
            for n in stride(from: first, through: request.maxNodes, by: step) {
                if let c = try candidate([(t, n)]) { out.append(c) }
            }
        }
        return out
    }

    /// Two-type mixes whose machines alone cost less than `below`.
    mutating func mixedCandidates(_ types: [InstanceType], below: Double) throws -> [Candidate] {
        var out: [Candidate] = []
        let step = countStep
        let factor = catalog.conversion(from: pc.currency, to: currency)?.factor ?? 1
        let priced = types.compactMap { t in ControlPlaneChoice.listMonthly(t, region.id).map { (t, $0) } }
        for (i, (a, pa)) in priced.enumerated() {
            for (b, pb) in priced[(i + 1)...] {
                for n1 in stride(from: step, through: request.maxNodes, by: step) {
                    for n2 in stride(from: step, through: request.maxNodes - n1, by: step) {
                        // Machines alone (in the provider's currency) must undercut the best total.
                        guard (pa * Double(n1) + pb * Double(n2)) * factor < below else { break }
                        if let c = try candidate([(a, n1), (b, n2)]), c.cost.monthly < below { out.append(c) }
                    }
                }
            }
        }
        return out
    }

    /// The cheapest candidate that the simulations accept (ties: fewer nodes, then name).
    mutating func firstPassing(_ candidates: [Candidate]) throws -> Candidate? {
        let sorted = candidates.sorted {
            ($0.cost.monthly, $0.nodeCount, $0.key) < ($1.cost.monthly, $1.nodeCount, $1.key)
        }
        for c in sorted {
            guard tested < request.maxCandidates else { return nil }
            tested += 1
            if try accepts(c.platform) { return c }
        }
        return nil
    }

    /// Whether the planner accepts `p`, which must pass three checks.
    ///
    /// It fits; fits with each representative node (or each zone) removed; and survives a crash of
    /// every node (or zone) in turn. Placement depends on the scheduler's random tie-breaks, and a
    /// tight plan can pass with one placement and fail with another, so the crashes are simulated
    /// with several seeds on the planned capacity, and once on the nodes exactly as the emitted
    /// scenario builds them (with the scenario's seed).
    mutating func accepts(_ p: PlatformSpec) throws -> Bool {
        let me = self
        let built = try PlatformNodes.build(p, catalog: pc, capacity: { me.capacity($0, $1) })
        let nodes = built.nodes
        let seed = request.seed
        let what = p.pools.map { "\($0.count)×\($0.type)" }.joined(separator: " + ")
        func reject(_ why: String) -> Bool {
            lastRejection = "\(what): \(why)"
            return false
        }
        let initial = fit.pending(nodes, seed: seed)
        guard initial == 0 else { return reject("\(initial) pods pending with every node up") }
        for lost in lossSets(nodes, built) {
            let n = fit.pending(nodes.filter { !lost.contains($0.name) }, seed: seed)
            guard n == 0 else { return reject("\(n) pods pending without \(lost.sorted().joined(separator: ", "))") }
        }
        var targets: [FaultSpec.Target] = []
        switch request.survive {
        case .none: return true
        case .node: targets = nodes.map { .node($0.name) }
        case .zone: targets = Set(built.zoneOf.values).sorted().map { .zone($0) }
        }
        let nominal = try PlatformNodes.build(p, catalog: pc).nodes
        var variants: [([NodeSpec], UInt64)] = [(nominal, seed)]
        for k in 0..<UInt64(max(1, request.verificationSeeds)) { variants.append((nodes, seed &+ k)) }
        for (set, s) in variants {
            for t in targets {
                let n = fit.pendingAfterCrash(set, target: t, seed: s)
                guard n == 0 else { return reject("\(n) pods pending after a crash of \(t) (seed \(s))") }
            }
        }
        return true
    }

    /// Removal checks: one node per (pool, zone), since nodes of a pool in a zone are alike
    /// (the crash checks then cover every node); or every zone.
    func lossSets(_ nodes: [NodeSpec], _ built: PlatformNodes.Built) -> [Set<String>] {
        switch request.survive {
        case .none: return []
        case .node:
            var seen = Set<String>(), out: [Set<String>] = []
            for n in nodes where seen.insert("\(n.pool)/\(built.zoneOf[n.name] ?? "")").inserted { out.append([n.name]) }
            return out
        case .zone:
            let byZone = Dictionary(grouping: nodes.map(\.name)) { built.zoneOf[$0] ?? "" }
            return byZone.sorted { $0.key < $1.key }.map { Set($0.value) }
        }
    }
}
