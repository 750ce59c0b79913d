import ArgumentParser
import Foundation
import Reports
import Scenario
import Simulation
import Store

struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Render stored runs as self-contained HTML and Markdown reports.",
        discussion: """
            Without RUN, reports the latest run. A run that is part of a --runs batch also gets the batch's \
            Monte Carlo report, a live run a validation report against the newest simulation of its scenario, \
            and two or more runs a comparison report.

            --all regenerates the committed examples: it runs every scenario in --scenarios once (with its own \
            seed) and the reference scenario --monte-carlo-runs times, into a temporary database, and renders \
            them all into --out, with a comparison of the runs that share the reference's application workloads \
            and an index (README.md).
            """)

    @Argument(help: ArgumentHelp("Run ids (see `k3sim runs`); default: the latest run.", valueName: "run"))
    var runIDs: [Int64] = []
    @Option(help: "Directory to write the reports into (default: k3sim-reports/ beside the database).")
    var out: String?
    @Option(help: "html, md or both.") var format: String = "both"
    @OptionGroup var database: DatabaseOption
    @Flag(help: "Simulate every scenario in --scenarios and render all of them (the committed examples).") var all = false
    @Option(help: "Scenario directory for --all.") var scenarios: String = "scenarios"
    @Option(help: "Runs of the reference scenario (hetzner-k3s-ha) for the Monte Carlo example of --all.")
    var monteCarloRuns: Int = 20

    func validate() throws {
        guard ReportFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be html, md or both, not \"\(format)\"")
        }
        guard !(all && !runIDs.isEmpty) else { throw ValidationError("--all renders every scenario; give no run ids with it") }
        guard monteCarloRuns >= 2 else { throw ValidationError("--monte-carlo-runs must be at least 2") }
    }

    func run() async throws {
        let format = ReportFormat(rawValue: format) ?? .both
        let reports: [NamedReport]
        do {
            reports = all ? try await examples() : try ReportBuilder(store: ResultStore(path: database.path)).reports(for: runIDs)
        } catch let e as ReportError {
            throw e.isBadInput ? CLIError.badInput(e.message) : CLIError.failure(e.message)
        } catch let e as StoreError {
            throw CLIError.failure(e.message)
        }
        var files = reports.flatMap { $0.files(format, generator: "k3sim \(K3sim.version)") }
        if all { files.append(ReportIndex.file(reports, format: format)) }
        let directory = URL(fileURLWithPath: out ?? Self.defaultDirectory(database: database.path))
        do {
            if all { try ReportIndex.removeStaleReports(in: directory, keeping: files.map(\.name)) }
            try ReportBuilder.write(files, to: directory)
        } catch let e as ReportError {
            throw CLIError.failure(e.message)
        }
        for f in files { print(directory.appendingPathComponent(f.name).path) }
    }

    /// `k3sim-reports/` in the database's folder: a user's reports stay with their runs and never
    /// overwrite the committed examples in `reports/`, which only `--out reports/` regenerates.
    static func defaultDirectory(database: String) -> String {
        URL(fileURLWithPath: database).deletingLastPathComponent().appendingPathComponent("k3sim-reports").path
    }

    /// Simulates every shipped scenario into a temporary database and builds their reports.
    func examples() async throws -> [NamedReport] {
        let dir = URL(fileURLWithPath: scenarios)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        guard !names.isEmpty else { throw CLIError.badInput("no scenario files (*.yaml) in \(dir.path)") }
        let temp = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-report-all-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: temp) }
        let store = try ResultStore(path: temp.appendingPathComponent("examples.sqlite").path)

        var loaded: [LoadedScenario] = []
        for name in names {
            do { loaded.append(try ScenarioLoader.load(path: dir.appendingPathComponent(name).path)) } catch let e
                as ScenarioError
            {
                throw CLIError.badInput(e.description)
            }
        }
        // Each run with its platform's cost, stored as `k3sim run` stores it.
        func save(_ s: LoadedScenario, _ records: [RunRecord]) throws -> [Int64] {
            let ids = try store.save(scenarioName: s.name, scenarioText: s.text, records: records, k3simVersion: K3sim.version)
            if let cost = RunCost.option(s) { try store.saveCosts([RunCost.stored(cost)], runIDs: ids) }
            return ids
        }
        var single: [Int64] = []
        for s in loaded { single += try save(s, [ClusterSimulation(spec: s.spec).run()]) }
        var batch: Int64?
        if let reference = loaded.first(where: { $0.name == "hetzner-k3s-ha" }) {
            let seeds = (0..<UInt64(monteCarloRuns)).map { reference.spec.seed &+ $0 }
            batch = try save(reference, await MonteCarlo.run(reference.spec, seeds: seeds)).first
        }
        // Named after the scenarios rather than the run ids, so that adding a scenario does not
        // rename every committed example.
        let builder = ReportBuilder(store: store)
        var reports: [NamedReport] = []
        for (id, s) in zip(single, loaded) {
            var r = try builder.runReport(builder.runs([id])[0])
            r.name = ReportBuilder.slug(s.name)
            reports.append(r)
        }
        if let batch, var mc = try builder.monteCarloReport(batchID: batch) {
            mc.name = "hetzner-k3s-ha-montecarlo"
            reports.append(mc)
        }
        // The comparison example: the runs that share an application workload (outside
        // kube-system) with the reference, i.e. the same shop through different drills.
        let runs = try builder.runs(single)
        if let reference = runs.first(where: { $0.record.scenarioName == "hetzner-k3s-ha" }) {
            let apps = Set(reference.record.workloads.map(\.name).filter { !$0.hasPrefix("kube-system/") })
            let related = runs.filter { $0.id == reference.id || $0.record.workloads.contains { apps.contains($0.name) } }
            if related.count >= 2 {
                var c = builder.comparisonReport([reference] + related.filter { $0.id != reference.id })
                c.name = "comparison"
                reports.append(c)
            }
        }
        return reports
    }
}
