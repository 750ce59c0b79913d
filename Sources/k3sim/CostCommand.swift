import ArgumentParser
import Catalog
import Costs
import Foundation
import Scenario
import Simulation

/// Options `cost` and `plan` share: which providers, regions, currency and catalog.
struct PlatformOptions: ParsableArguments {
    @Option(help: "Providers to compare, comma-separated: hetzner, aws (eks), gcp (gke), linode (lke). Default: all.")
    var providers: String?
    @Option(help: "Report currency: EUR or USD (default: spec.costs.currency, else the scenario provider's).")
    var currency: String?
    @Option(help: "A price catalog (YAML or JSON) that overrides or adds prices, types and exchange rates.")
    var catalog: String?
    @Option(name: .customLong("region"), help: "Region for a provider, e.g. --region aws=us-east-1 (repeatable).")
    var regions: [String] = []
    @Option(help: "Failure the planned node sets must survive: node, zone or none.")
    var survive: String = "node"

    func providerList() throws -> [Provider] {
        guard let providers else { return Provider.allCases }
        var out: [Provider] = []
        for s in providers.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !s.isEmpty {
            guard let p = Provider(named: s) else {
                throw CLIError.badInput("--providers: \"\(s)\" is not a provider (hetzner, aws/eks, gcp/gke, linode/lke)")
            }
            if !out.contains(p) { out.append(p) }
        }
        return out
    }

    func regionMap() throws -> [Provider: String] {
        var m: [Provider: String] = [:]
        for r in regions {
            let parts = r.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let p = Provider(named: parts[0]) else {
                throw CLIError.badInput("--region: \"\(r)\" is not PROVIDER=REGION (e.g. aws=us-east-1)")
            }
            m[p] = parts[1]
        }
        return m
    }

    func surviveValue() throws -> Survive {
        guard let s = Survive(rawValue: survive) else { throw CLIError.badInput("--survive: must be node, zone or none") }
        return s
    }

    /// The scenario, the catalog (with the user's overrides) and the comparison request.
    func load(_ path: String, headroom: Double = 0) throws -> (LoadedScenario, PriceCatalog, ComparisonRequest) {
        let loaded: LoadedScenario
        var catalog: PriceCatalog
        do {
            loaded = try ScenarioLoader.load(path: path)
            catalog = try PriceCatalog.shipped()
            if let file = self.catalog { catalog = try ScenarioLoader.loadCatalog(path: file, base: catalog) }
        } catch let e as ScenarioError {
            throw CLIError.badInput(e.description)
        } catch let e as CatalogError {
            throw CLIError.failure(e.description)
        }
        let cur = currency ?? loaded.platform.costs.currency ?? catalog.provider(loaded.platform.provider)?.currency ?? "EUR"
        guard ["EUR", "USD"].contains(cur) else { throw CLIError.badInput("--currency: must be EUR or USD") }
        guard headroom >= 0 && headroom < 100 else {
            throw CLIError.badInput("--headroom: must be at least 0 and below 100 (percent)")
        }
        let l = loaded
        var request = ComparisonRequest(
            platform: loaded.platform, workloadsFor: { l.workloads(for: $0) }, parameters: loaded.spec.parameters,
            scheduler: loaded.spec.scheduler, timing: loaded.spec.timing, providers: try providerList(),
            survive: try surviveValue(), headroomPercent: headroom, currency: cur, regions: try regionMap(),
            seed: loaded.spec.seed, defaultStorageClass: loaded.spec.storage.defaultClass)
        request.autoscalers = loaded.spec.autoscalers
        // K3SIM_TODAY pins the day catalogs' ages are measured against (tests, reproducible output).
        request.today = ProcessInfo.processInfo.environment["K3SIM_TODAY"] ?? CatalogAge.today()
        return (loaded, catalog, request)
    }
}

struct CostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Monthly cost of the scenario's platform, itemized, and of the same workload on other providers.",
        discussion: """
            The scenario's machines are priced as written (spec.costs.priceBasis: new or existing; \
            by default existing for types that can no longer be ordered), planned machines as new orders; \
            every other provider is sized by the planner (see `k3sim plan`) with the same failure \
            tolerance. Every price shows its as-of date and source; ops effort (spec.costs.ops) is \
            shown apart from the infrastructure total. A total with unpriced lines is a lower bound (≥). \
            --max-monthly exits with code 3 when the scenario's own platform costs more. \
            `k3sim cost diff A B` shows what changes between two scenarios, per item. \
            --simulate N runs the scenario's faults on every option's nodes with N seeds and \
            shows each option's availability beside its price; with --db (or $K3SIM_DB) each \
            option's runs are stored as a batch with the option's cost, for `k3sim report`.
            """)

    @Argument(help: "Scenario file (YAML).") var scenario: String
    @OptionGroup var options: PlatformOptions
    @Option(help: "Budget for the scenario's own platform, in the report currency: exit code 3 when it costs more.")
    var maxMonthly: Double?
    @Option(help: "Run the scenario's faults on every option's nodes with N seeds and show how the workloads fared.")
    var simulate: Int?
    @Option(
        help:
            "Split the scenario's machines over each namespace or workload by what its pods request (namespace or workload); the rest is idle."
    )
    var by: CostAllocation.Key?
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() async throws {
        let runs = try OptionSimulation.checked(simulate)
        try SimulatedRunsStore.check(database, simulate: simulate)
        let (loaded, catalog, request) = try options.load(scenario)
        var report: CostReport
        let platforms: [PlatformSpec]
        do { (report, platforms) = try Comparison.costWithPlatforms(request, catalog: catalog) } catch let e as CostError {
            throw CLIError.failure(e.message)
        }
        if let runs {
            var simulated: [(runs: OptionSimulation.Runs, cost: CostOption)] = []
            for i in report.options.indices {
                let r = try await OptionSimulation.simulate(
                    loaded, platform: platforms[i], own: report.options[i].origin == "scenario", runs: runs)
                report.options[i].behaviour = r.behaviour
                simulated.append((r, report.options[i]))
            }
            report.notes.append(OptionSimulation.note(runs, seed: loaded.spec.seed))
            if let path = SimulatedRunsStore.path(database) {
                let ids = try SimulatedRunsStore.save(simulated, to: path)
                for i in report.options.indices { report.options[i].behaviour?.runIDs = ids[i] }
                report.notes.append(SimulatedRunsStore.note(report.options, ids: ids, path: path))
            }
        }
        if let by, let own = report.options.first(where: { $0.origin == "scenario" }),
            let provider = catalog.provider(loaded.platform.provider)
        {
            report.allocation = CostAllocation.allocate(
                own, nodes: loaded.spec.nodes, placements: ClusterSimulation.placements(of: loaded.spec),
                catalog: provider, by: by)
        }
        print(
            json
                ? try JSONSummary.encode(report)
                : CostText.render(report, scenario: loaded.name)
                    + (report.allocation.map { "\n\n" + CostText.allocation($0) } ?? ""))
        let own = report.options.filter { $0.origin == "scenario" }
        try Budget.check(own.isEmpty ? report.options : own, max: maxMonthly)
    }
}

extension CostAllocation.Key: ExpressibleByArgument {}
