import ArgumentParser
import Costs
import Foundation
import Scenario
import Simulation
import Store

/// The same drill on several platforms (or settings), side by side: each scenario runs with
/// the same seeds, the runs are stored, and one table puts their cost, availability, API
/// unavailability and every fault's milestones (matched by fault index) next to each other.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Run scenarios with the same seeds and show them side by side (cost, availability, recovery).",
        discussion: """
            Faults are matched by their index, so write the scenarios with the same faults in the same order (the \
            targets may differ: node names differ between platforms). With --runs N every figure is the median over N \
            seeds. The runs are stored; `k3sim report RUN...` renders the comparison report.
            """)

    @Argument(help: "Two or more scenario files (YAML).") var scenarios: [String]
    @Option(help: "Random seed of the first run (default: the first scenario's spec.seed).") var seed: UInt64?
    @Option(help: "Runs per scenario with consecutive seeds; figures are medians.") var runs: Int = 1
    @OptionGroup var database: DatabaseOption

    func validate() throws {
        guard scenarios.count >= 2 else { throw ValidationError("compare needs at least two scenarios") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        if let problem = Limits.runsProblem(runs: runs * scenarios.count, shards: nil) { throw ValidationError(problem) }
    }

    func run() async throws {
        var loaded: [LoadedScenario] = []
        for path in scenarios {
            do { loaded.append(try ScenarioLoader.load(path: path)) } catch let e as ScenarioError {
                throw CLIError.badInput(e.description)
            }
        }
        let first = seed ?? loaded[0].spec.seed
        let seeds = (0..<runs).map { first &+ UInt64($0) }
        let store: ResultStore
        do { store = try ResultStore(path: database.path) } catch let e as StoreError { throw CLIError.failure(e.description) }
        var columns: [ComparedScenario] = []
        for l in loaded {
            let records = await MonteCarlo.run(l.spec, seeds: seeds)
            let cost = RunCost.option(l)
            let ids: [Int64]
            do {
                ids = try store.save(
                    scenarioName: l.name, scenarioText: l.text, records: records, k3simVersion: K3sim.version,
                    costs: cost.map { [RunCost.stored($0)] } ?? [])
            } catch let e as StoreError { throw CLIError.failure(e.description) }
            columns.append(ComparedScenario(name: l.name, platform: l.platform, records: records, runIDs: ids, cost: cost))
        }
        print(CompareText.render(columns, seeds: seeds, db: database.path))
    }
}
