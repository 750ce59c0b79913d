import ArgumentParser
import Bench
import Foundation
import Scenario

/// `k3sim bench kernel|scheduler|scale|montecarlo`: the performance benchmarks.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Performance benchmarks: the event kernel, the scheduler, the large scenario, Monte Carlo.",
        discussion:
            "Each prints a table, or JSON with --json (eventsPerSecond, podsPerSecond, wallSeconds, peakMemoryBytes where they apply). Figures are wall time on this machine: compare ratios measured in one run.",
        subcommands: [BenchKernel.self, BenchScheduler.self, BenchScale.self, BenchMonteCarlo.self])
}

struct BenchKernel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "PHOLD on the event kernel, next to the peer engines (C++ binary heap, SimPy, SimGrid) in the same run.",
        discussion: """
            Each of --lps logical processes holds --population tokens; handling a token reschedules it at a random process \
            after 0.1 + Exp(1), until --end. Without --lps: 10,000 pending events (1000 × 10 until 100) and 1,000,000 \
            (100000 × 10 until 5). The peers are built and run from --peers (default $K3SIM_BENCH_PEERS or ../shared/bench) \
            when g++, python3 with SimPy, and SimGrid are installed.
            """)

    @Option(help: "Logical processes.") var lps: Int?
    @Option(help: "Tokens per process.") var population: Int = 10
    @Option(help: "Simulated end time.") var end: Double?
    @Option(help: "Runs per engine, best kept (SimPy runs once).") var repeats: Int = 3
    @Option(help: "Folder with the peer engines (phold_reference.cc, phold_simpy.py, phold_simgrid.cpp).") var peers: String?
    @Flag(name: .customLong("no-peers"), help: "Run k3sim only.") var noPeers = false
    @Flag(
        name: .customLong("simgrid-large"),
        help: "Run SimGrid above 200,000 pending events too (one actor per token: about 17 GB at 1,000,000).")
    var simgridLarge = false
    @Flag(help: "Print JSON on stdout.") var json = false

    func validate() throws {
        if let lps, lps < 1 { throw ValidationError("--lps must be at least 1") }
        guard population >= 1 else { throw ValidationError("--population must be at least 1") }
        if let end, end <= 0 { throw ValidationError("--end must be positive") }
        if (lps ?? 1) * population > 1 << 27 { throw ValidationError("--lps × --population must be at most 134217728") }
    }

    func run() throws {
        let sizes = lps.map { [KernelBench.Size(lps: $0, population: population, end: end ?? 100)] } ?? KernelBench.defaultSizes
        let peerEngines = noPeers ? nil : PeerEngines.locate(peers)
        if !noPeers && peerEngines == nil {
            FileHandle.standardError.write(
                Data("note: no peer engines found (--peers DIR or ../shared/bench); running k3sim only\n".utf8))
        }
        let report = KernelBench.run(
            sizes: sizes, repeats: repeats, peers: peerEngines, largeSimGrid: simgridLarge,
            progress: BenchText.progress)
        if json { print(try BenchText.json(report)) } else { print(BenchText.kernel(report)) }
    }
}

struct BenchScheduler: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Pods scheduled per second of wall time through the full default profile.",
        discussion: """
            A cluster of --nodes agents over three locations and --pods pending pods (Deployments of 50 with zone \
            spreading, host spreading with preferred anti-affinity, or the system default spreading); the adaptive \
            percentageOfNodesToScore. The placement digest changes when any decision changes.
            """)

    @Option(help: "Agent nodes.") var nodes: Int = 5000
    @Option(help: "Pending pods.") var pods: Int = 10000
    @Flag(help: "Print JSON on stdout.") var json = false

    func validate() throws {
        guard nodes >= 1 else { throw ValidationError("--nodes must be at least 1") }
        guard pods >= 1 else { throw ValidationError("--pods must be at least 1") }
    }

    func run() throws {
        let r: SchedulerBench.Report
        do { r = try SchedulerBench.run(nodes: nodes, pods: pods) } catch {
            throw CLIError.failure("bench scheduler: \(error)")
        }
        if json { print(try BenchText.json(r)); return }
        print(
            """
            Scheduler, default profile: \(r.pods) pending pods on \(r.nodes) nodes (machine: \(r.machine.summary))
              scheduled \(r.scheduled), unschedulable \(r.unschedulable) in \(String(format: "%.3f", r.wallSeconds)) s: \
            \(BenchText.rate(r.podsPerSecond)) pods/s (kube-scheduler CI threshold at 5,000 nodes: \(r.kubeSchedulerCIThreshold) pods/s)
              peak memory \(BenchText.bytes(r.peakMemoryBytes)); placement digest \(r.placementDigest)
            """)
    }
}

struct BenchScale: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "One run of the large scenario: wall time, events, events/s, peak memory.",
        discussion:
            "Default: scenarios/large/large-5000.yaml (5,000 nodes, 150,000 pods, 24 h with a location outage and a rolling update of every Deployment); scenarios/large/generate.py writes smaller ones."
    )

    @Argument(help: "Scenario file.") var scenario: String = "scenarios/large/large-5000.yaml"
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() throws {
        let r: ScaleBench.Report
        do { r = try ScaleBench.run(path: scenario) } catch let e as ScenarioError {
            throw CLIError.badInput(e.description)
        }
        if json { print(try BenchText.json(r)); return }
        print(
            """
            Scale: \(r.scenario), \(r.nodes) nodes, \(String(format: "%.0f", r.simulatedSeconds)) s simulated (machine: \(r.machine.summary))
              \(r.events) events in \(String(format: "%.2f", r.wallSeconds)) s wall (setup \(String(format: "%.2f", r.setupSeconds)) s): \
            \(BenchText.rate(r.eventsPerSecond)) events/s; peak memory \(BenchText.bytes(r.peakMemoryBytes))
              \(r.workloads) workloads, mean availability \(String(format: "%.4f", r.meanAvailability)), \(r.pendingPodsAtEnd) pods pending at the end
            """)
    }
}

struct BenchMonteCarlo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "montecarlo",
        abstract:
            "Runs per second of --runs seeds on every core, next to the same runs on one core; checks the records are equal.")

    @Argument(help: "Scenario file.") var scenario: String
    @Option(help: "Runs (consecutive seeds from the scenario's).") var runs: Int = 100
    @Flag(name: .customLong("no-sequential"), help: "Skip the one-core comparison run.") var noSequential = false
    @Flag(help: "Print JSON on stdout.") var json = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        if let problem = Limits.runsProblem(runs: runs, shards: nil) { throw ValidationError(problem) }
    }

    func run() async throws {
        let r: MonteCarloBench.Report
        do { r = try await MonteCarloBench.run(path: scenario, runs: runs, sequential: !noSequential) } catch let e
            as ScenarioError
        {
            throw CLIError.badInput(e.description)
        }
        if json { print(try BenchText.json(r)); return }
        var lines = [
            "Monte Carlo: \(r.runs) runs of \(r.scenario) (machine: \(r.machine.summary))",
            "  every core (\(r.cores)): \(String(format: "%.2f", r.wallSeconds)) s, \(String(format: "%.1f", r.runsPerSecond)) runs/s, \(BenchText.rate(r.eventsPerSecond)) events/s",
        ]
        if let w = r.sequentialWallSeconds, let rps = r.sequentialRunsPerSecond, let sp = r.speedup {
            lines.append(
                "  one core: \(String(format: "%.2f", w)) s, \(String(format: "%.1f", rps)) runs/s; speed-up \(String(format: "%.2f", sp))×"
            )
            lines.append("  records identical to the sequential runs: \(r.identicalToSequential == true ? "yes" : "NO")")
        }
        lines.append("  peak memory \(BenchText.bytes(r.peakMemoryBytes))")
        print(lines.joined(separator: "\n"))
        if r.identicalToSequential == false {
            throw CLIError.failure("bench montecarlo: parallel records differ from sequential ones")
        }
    }
}

/// Text and JSON output of the benchmarks.
enum BenchText {
    static func progress(_ s: String) {
        if isatty(STDERR_FILENO) != 0 { FileHandle.standardError.write(Data("  … \(s)\n".utf8)) }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try e.encode(value), as: UTF8.self)
    }

    static func rate(_ x: Double) -> String {
        x >= 1e6 ? String(format: "%.2f M", x / 1e6) : x >= 1e3 ? String(format: "%.1f k", x / 1e3) : String(format: "%.0f", x)
    }

    static func bytes(_ b: Int) -> String {
        b >= 1 << 30
            ? String(format: "%.2f GiB", Double(b) / Double(1 << 30)) : String(format: "%.0f MiB", Double(b) / Double(1 << 20))
    }

    static func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        s.count >= n ? s : right ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count)
    }

    static func kernel(_ r: KernelBench.Report) -> String {
        var lines = [
            "PHOLD (lookahead 0.1 + Exp(1)), best of \(r.repeats) runs per native engine; machine: \(r.machine.summary)", "",
        ]
        lines.append(
            pad("pending", 10, right: true) + "  " + pad("engine", 16) + pad("events", 11, right: true)
                + pad("wall s", 9, right: true) + pad("events/s", 12, right: true) + pad("k3sim ×", 10, right: true))
        for row in r.rows {
            lines.append(
                pad("\(row.pendingEvents)", 10, right: true) + "  " + pad("k3sim", 16) + pad("\(row.events)", 11, right: true)
                    + pad(String(format: "%.3f", row.wallSeconds), 9, right: true)
                    + pad(rate(row.eventsPerSecond), 12, right: true)
                    + pad("", 10) + "   peak memory " + bytes(row.peakMemoryBytes))
            for p in row.peers {
                if let e = p.error { lines.append(pad("", 12) + pad(p.engine, 16) + "  not run: " + e); continue }
                lines.append(
                    pad("", 12) + pad(p.engine, 16) + pad("\(p.events ?? 0)", 11, right: true)
                        + pad(String(format: "%.3f", p.wallSeconds ?? 0), 9, right: true)
                        + pad(rate(p.eventsPerSecond ?? 0), 12, right: true)
                        + pad(r.rows.isEmpty ? "" : String(format: "%.2f", row.ratios[p.engine] ?? 0), 10, right: true))
            }
        }
        return lines.joined(separator: "\n")
    }
}
