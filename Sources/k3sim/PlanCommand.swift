import ArgumentParser
import Catalog
import Costs
import Foundation
import Scenario

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Cheapest node set per provider that fits the workload and survives the loss of a node (or zone).",
        discussion: """
            Candidate node sets (one type, or a mix of two) are tried cheapest first, only from \
            types that can be ordered in the region. The simulated kube-scheduler must place every \
            pod (requests, DaemonSets, taints, affinity, spread, max pods), again with each node \
            (or zone) removed, and a simulated crash of each node (or zone) must end with no \
            pending pod. --emit DIR writes each plan as a scenario for `k3sim run`. --simulate N \
            runs the scenario's own faults on each plan's nodes with N seeds; with --db (or \
            $K3SIM_DB) each plan's runs are stored as a batch with the plan's cost.
            """)

    @Argument(help: "Scenario file (YAML).") var scenario: String
    @OptionGroup var options: PlatformOptions
    @Option(help: "Percent of every node's CPU and memory to keep free.") var headroom: Double = 0
    @Option(help: "Write each plan as a scenario file into this directory.") var emit: String?
    @Option(help: "Budget per plan, in the report currency: exit code 3 when a plan costs more.") var maxMonthly: Double?
    @Option(help: "Run the scenario's faults on every plan's nodes with N seeds and show how the workloads fared.")
    var simulate: Int?
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print JSON on stdout.") var json = false

    struct Document: Encodable {
        struct Entry: Encodable {
            let provider: String, distribution: String, region: String, nodes: [NodeCount], monthly: Double, complete: Bool
            let currency: String, survives: String, scenario: String?, items: [CostLine], notes: [String]
            let candidatesSimulated: Int, simulations: Int
            let behaviour: Behaviour?
            let jobsAtPeak: JobsAtPeak?
            let autoscalersAtPeak: [AutoscalerPeak.Entry]?
        }
        /// The Jobs' and CronJobs' peak the plan made room for.
        struct JobsAtPeak: Encodable {
            let pods: Int, milliCPU: Int64, memoryBytes: Int64
            let counted: [JobPeakDemand.Entry]
            init(_ d: JobPeakDemand) {
                pods = d.pods; milliCPU = d.requests.milliCPU; memoryBytes = d.requests.memoryBytes; counted = d.entries
            }
        }
        let plans: [Entry]
        let fx: [String: FXUsed]
        let notes: [String]
    }

    func run() async throws {
        let runs = try OptionSimulation.checked(simulate)
        try SimulatedRunsStore.check(database, simulate: simulate)
        let (loaded, catalog, request) = try options.load(scenario, headroom: headroom)
        var result: (plans: [Costs.Plan], fx: [String: FXUsed], notes: [String])
        do { result = try Comparison.plans(request, catalog: catalog) } catch let e as CostError {
            throw CLIError.failure(e.message)
        }
        if let runs {
            var simulated: [(runs: OptionSimulation.Runs, cost: CostOption)] = []
            for i in result.plans.indices {
                let r = try await OptionSimulation.simulate(loaded, platform: result.plans[i].platform, own: false, runs: runs)
                result.plans[i].cost.behaviour = r.behaviour
                simulated.append((r, result.plans[i].cost))
            }
            result.notes.append(OptionSimulation.note(runs, seed: loaded.spec.seed))
            if let path = SimulatedRunsStore.path(database) {
                let ids = try SimulatedRunsStore.save(simulated, to: path)
                for i in result.plans.indices { result.plans[i].cost.behaviour?.runIDs = ids[i] }
                result.notes.append(SimulatedRunsStore.note(result.plans.map(\.cost), ids: ids, path: path))
            }
        }
        var files: [String?] = []
        for p in result.plans {
            guard let dir = emit else { files.append(nil); continue }
            let path = URL(fileURLWithPath: dir).appendingPathComponent("\(p.platform.distribution.rawValue).yaml").path
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                let text = try ScenarioEmitter.emit(
                    loaded, platform: p.platform, survive: p.survives.rawValue,
                    outputPath: path, notes: p.notes)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch let e as ScenarioError {
                throw CLIError.failure(e.description)
            } catch {
                throw CLIError.failure("cannot write \(path): \(error.localizedDescription)")
            }
            files.append(path)
        }
        if json {
            let entries = zip(result.plans, files).map { p, f in
                Document.Entry(
                    provider: p.cost.provider, distribution: p.cost.distribution, region: p.cost.region,
                    nodes: p.cost.nodes, monthly: p.cost.monthly, complete: p.cost.complete, currency: p.cost.currency,
                    survives: p.survives.rawValue, scenario: f, items: p.cost.items, notes: p.notes,
                    candidatesSimulated: p.candidatesSimulated, simulations: p.simulations,
                    behaviour: p.cost.behaviour, jobsAtPeak: p.jobsAtPeak.map(Document.JobsAtPeak.init),
                    autoscalersAtPeak: p.autoscalersAtPeak?.entries)
            }
            print(try JSONSummary.encode(Document(plans: entries, fx: result.fx, notes: result.notes)))
        } else {
            print(CostText.renderPlans(result.plans, files: files, notes: result.notes, fx: result.fx, scenario: loaded.name))
        }
        if result.plans.isEmpty { throw CLIError.failure("no provider could be planned") }
        try Budget.check(result.plans.map(\.cost), max: maxMonthly)
    }
}
