import ArgumentParser
import Foundation
import Scenario
import Simulation
import Store

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a scenario, store the run(s) and print a summary.",
        discussion: """
            With --runs N the scenario runs with N consecutive seeds (on every core) and every figure is reported as \
            p50/p95/min/max/mean. With --shard I/K only the I-th of K disjoint seed ranges of those N runs is run \
            (I from 0, as a Kubernetes Indexed Job's JOB_COMPLETION_INDEX); `k3sim merge` joins the shards' databases.
            """)

    @Argument(help: "Scenario file (YAML).") var scenario: String
    @Option(help: "Random seed (default: the scenario's spec.seed).") var seed: UInt64?
    @Option(help: "Number of runs with consecutive seeds.") var runs: Int = 1
    @Option(help: ArgumentHelp("Run only shard I (0-based) of K disjoint seed ranges of the --runs N seeds.", valueName: "I/K"))
    var shard: String?
    @Option(name: .customLong("scheduler-config"), help: "KubeSchedulerConfiguration file (overrides spec.scheduler).")
    var schedulerConfig: String?
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print the JSON summary on stdout.") var json = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        // Before the shard's offsets are computed: index × runs must not overflow.
        let shardCount = shard.flatMap { $0.split(separator: "/").last.flatMap { Int($0) } }
        if let problem = Limits.runsProblem(runs: runs, shards: shardCount) { throw ValidationError(problem) }
        if shard != nil { _ = try parsedShard(firstSeed: 0) }
    }

    /// `--shard I/K` as a shard of the sweep of `--runs` seeds from `firstSeed`.
    func parsedShard(firstSeed: UInt64) throws -> SweepShard? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let k = Int(parts[1]) else {
            throw ValidationError("--shard must be I/K with integers, e.g. 0/4 (got \"\(shard)\")")
        }
        if let problem = SweepShard.problem(runs: runs, index: i, count: k) {
            throw ValidationError("--shard \(shard): \(problem)")
        }
        return SweepShard(firstSeed: firstSeed, runs: runs, index: i, count: k)
    }

    func run() async throws {
        let loaded: LoadedScenario
        var spec: ClusterSpec
        do {
            loaded = try ScenarioLoader.load(path: scenario)
            spec = loaded.spec
            if let path = schedulerConfig {
                spec.scheduler = try ScenarioLoader.loadSchedulerConfiguration(path: path)
                // The stored scenario text does not contain it: say so in the run.
                spec.notes.append("KubeSchedulerConfiguration from \(path) (overrides spec.scheduler).")
            }
        } catch let e as ScenarioError {
            throw CLIError.badInput(e.description)
        }
        let first = seed ?? spec.seed
        let sweepShard = try parsedShard(firstSeed: first)
        let seeds = sweepShard?.seeds ?? (0..<runs).map { first &+ UInt64($0) }
        // Open (and migrate) the database before simulating: an unusable path fails at once
        // instead of after the run.
        let store: ResultStore
        do { store = try ResultStore(path: database.path) } catch let e as StoreError { throw CLIError.failure(e.description) }
        let records: [RunRecord]
        if seeds.count == 1 {
            records = [ClusterSimulation(spec: withSeed(spec, seeds[0])).run()]
        } else {
            let bar = ProgressBar(total: seeds.count)
            var progress: (@Sendable (Int) -> Void)?
            if let bar { progress = { finished in bar.update(finished: finished) } }
            records = await MonteCarlo.run(spec, seeds: seeds, progress: progress)
            bar?.finish()
        }
        let ids: [Int64]
        let cost = RunCost.option(loaded)
        do {
            ids = try store.save(
                scenarioName: loaded.name, scenarioText: loaded.text, records: records,
                k3simVersion: K3sim.version, shard: sweepShard, costs: cost.map { [RunCost.stored($0)] } ?? [])
        } catch let e as StoreError {
            throw CLIError.failure(e.description)
        }
        if json {
            let doc: Encodable =
                records.count == 1
                ? JSONSummary.single(records[0], runID: ids[0])
                : JSONSummary.batch(records, runIDs: ids)
            print(try JSONSummary.encode(doc))
        } else if records.count == 1 {
            print(TextSummary.single(records[0], runID: ids[0], description: loaded.description, db: database.path))
        } else {
            print(TextSummary.batch(records, runIDs: ids, db: database.path))
        }
        if !json, let cost { print(RunCost.line(cost)) }
        if !json, let sweepShard {
            print(
                "Shard \(sweepShard.label) of a sweep of \(runs) runs from seed \(first): seeds \(seeds[0])–\(seeds[seeds.count - 1]). "
                    + "Merge the shards' databases with `k3sim merge --db OUT SHARD.sqlite...`.")
        }
    }

    func withSeed(_ spec: ClusterSpec, _ seed: UInt64) -> ClusterSpec {
        var s = spec
        s.seed = seed
        return s
    }
}

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the stored runs, newest first.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Show at most this many runs.") var limit: Int = 50

    func run() throws {
        let rows: [StoredRunSummary]
        do { rows = try ResultStore(path: database.path).runs(limit: limit) } catch let e as StoreError {
            throw CLIError.failure(e.description)
        }
        print(TextSummary.runList(rows))
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one stored run (its timeline and availability).")
    @Argument(help: "Run id (see `k3sim runs`).") var runID: Int64
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Print the JSON summary on stdout.") var json = false

    func run() throws {
        let stored: StoredRun?
        do { stored = try ResultStore(path: database.path).run(id: runID) } catch let e as StoreError {
            throw CLIError.failure(e.description)
        }
        guard let stored else { throw CLIError.badInput("no run \(runID) in \(database.path) (see `k3sim runs`)") }
        if json {
            print(try JSONSummary.encode(JSONSummary.single(stored.record, runID: stored.id)))
        } else {
            print(TextSummary.single(stored.record, runID: stored.id, description: nil, db: database.path))
        }
    }
}
