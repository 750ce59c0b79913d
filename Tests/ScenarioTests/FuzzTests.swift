import Foundation
import SimKernel
import Simulation
import Testing

@testable import Scenario

/// Deterministic mutations of a YAML text, as a careless or hostile user makes them: a value
/// replaced by a hostile one (negative, zero, huge, NaN, a wrong type, control characters), a
/// line deleted, doubled or indented, the text cut short, an unknown key added.
struct Mutator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func pick(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    static let hostile = [
        "-1", "0", "0s", "-5m", "100000000000000h", "4611686018427387904", "9223372036854775807", "-9223372036854775808",
        ".nan", ".inf", "-.inf", "1e308", "\"\"", "~", "[]", "{}", "\"\\u001b[2J\\u0007\"", "abc", "99999%", "-1%",
        "1.5", "\"1e30\"", "\"-1Gi\"", "true", "8760h", "1us", "\"2026-13-45\"", "EUR", "*", "\"a\\nb\"",
    ]
    /// Plausible values, so that many mutants are valid and reach the simulation.
    static let plausible = [
        "1", "2", "3", "5", "10", "30s", "90s", "5m", "25%", "50%", "0.5", "\"1\"", "500m", "1Gi", "true", "false",
    ]

    /// One mutation of `text`, and what it did (for failure messages).
    mutating func mutate(_ text: String) -> (String, String) {
        var lines = text.components(separatedBy: "\n")
        let candidates = lines.indices.filter {
            !lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("#") && !lines[$0].isEmpty
        }
        guard !candidates.isEmpty else { return (text, "unchanged") }
        // Mostly values (what reaches validation), sometimes the structure (what reaches the parser).
        let kind = pick(25)
        let valued = candidates.filter { lines[$0].contains(": ") }
        let pool = kind <= 17 && !valued.isEmpty ? valued : candidates
        let i = pool[pick(pool.count)]
        switch kind <= 17 && valued.isEmpty ? 18 : kind {
        case 0...17:
            // Replace the value after a "key: " (the last one on the line).
            let line = lines[i]
            let r = line.range(of: ": ", options: .backwards)!
            let values = pick(2) == 0 ? Self.hostile : Self.plausible
            let value = values[pick(values.count)]
            var tail = String(line[r.upperBound...])
            // Keep a flow mapping's closing brackets and following items.
            let cut = tail.firstIndex { $0 == "," || $0 == "}" || $0 == "]" } ?? tail.endIndex
            tail = value + tail[cut...]
            lines[i] = String(line[..<r.upperBound]) + tail
            return (lines.joined(separator: "\n"), "line \(i + 1) value → \(value)")
        case 18, 19:
            lines.remove(at: i)
            return (lines.joined(separator: "\n"), "line \(i + 1) deleted")
        case 20, 21:
            lines.insert(lines[i], at: i)
            return (lines.joined(separator: "\n"), "line \(i + 1) doubled")
        case 22:
            lines[i] = "  " + lines[i]
            return (lines.joined(separator: "\n"), "line \(i + 1) indented")
        case 23:
            let cut = pick(text.utf8.count + 1)
            return (String(decoding: Array(text.utf8.prefix(cut)), as: UTF8.self), "cut at byte \(cut)")
        default:
            let indent = String(lines[i].prefix { $0 == " " || $0 == "-" }).replacingOccurrences(of: "-", with: " ")
            lines.insert(indent + (pick(4) == 0 ? "fuzzKey\u{1b}: 1" : "fuzzKey: 1"), at: i)
            return (lines.joined(separator: "\n"), "unknown key before line \(i + 1)")
        }
    }
}

/// Hundreds of mutations of the shipped scenarios, manifests and a scheduler configuration, loaded in-process: each one
/// either loads (and then simulates without trapping, shortened) or is refused with a
/// `ScenarioError` that names the place; nothing else (another error, a trap, a hang).
@Suite struct FuzzTests {
    /// Mutants per scenario and the seed offset: 40 and 0 in CI; `K3SIM_FUZZ_COUNT=2000
    /// K3SIM_FUZZ_SEED=7 swift test --filter FuzzTests` explores further (a failure names the
    /// mutation, and the same variables reproduce it).
    static let count = ProcessInfo.processInfo.environment["K3SIM_FUZZ_COUNT"].flatMap(Int.init) ?? 40
    static let seedOffset = ProcessInfo.processInfo.environment["K3SIM_FUZZ_SEED"].flatMap(UInt64.init) ?? 0

    static let scenarioFiles = [
        "node-crash.yaml", "hetzner-k3s-ha.yaml", "zone-spread.yaml", "etcd-leader-loss.yaml",
        "drain-pdb.yaml", "statefulset-rwo.yaml", "cnpg-failover.yaml", "preemption.yaml",
    ]

    /// A refusal names its place: a line, or a field, or the file it is about.
    static func check(_ e: ScenarioError, path: String, what: String) {
        #expect(!e.file.isEmpty, "\(what): \(e)")
        let placed =
            e.line != nil || !e.field.isEmpty || e.file != path
            || e.message.hasSuffix("is empty") || e.message.hasPrefix("invalid YAML") || e.message.hasPrefix("holds ")
        #expect(placed, "\(what): no place in \(e)")
        #expect(!e.description.contains("\u{1b}") && !e.description.contains("\n"), "\(what): raw control character in \(e)")
    }

    @Test(arguments: scenarioFiles)
    func scenarioMutations(file: String) throws {
        let path = scenariosDirectory.appendingPathComponent(file).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var m = Mutator(seed: UInt64(file.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }) &+ Self.seedOffset)
        var refused = 0, simulated = 0
        for n in 0..<Self.count {
            var (mutated, what) = m.mutate(text)
            if n % 3 == 2 {
                (mutated, what) = {
                    let a = m.mutate(mutated); return (a.0, what + "; " + a.1)
                }()
            }
            do {
                var spec = try ScenarioLoader.load(text: mutated, path: path).spec
                // What loads must also run: shortened, so that 240 mutants stay fast.
                spec.duration = min(spec.duration, .seconds(600))
                _ = ClusterSimulation(spec: spec).run()
                simulated += 1
            } catch let e as ScenarioError {
                Self.check(e, path: path, what: "\(file) \(what)")
                refused += 1
            }
        }
        #expect(refused > 0, "no mutation of \(file) was refused: the mutator is not hostile")
        #expect(refused + simulated == Self.count)
        #expect(simulated > 0, "no mutation of \(file) was valid: the simulation is not exercised")
    }

    @Test(arguments: ["shop.yaml", "platform.yaml", "probe-pod.yaml"])
    func manifestMutations(file: String) throws {
        let path = scenariosDirectory.appendingPathComponent("manifests").appendingPathComponent(file).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var m = Mutator(seed: UInt64(file.utf8.count) &* 977 &+ Self.seedOffset)
        var refused = 0
        for _ in 0..<(Self.count * 3 / 4) {
            let (mutated, what) = m.mutate(text)
            do { _ = try ManifestLoader.load(text: mutated, path: path) } catch let e as ScenarioError {
                Self.check(e, path: path, what: "\(file) \(what)")
                refused += 1
            }
        }
        #expect(refused > 0)
    }

    static let schedulerConfiguration = """
        apiVersion: kubescheduler.config.k8s.io/v1
        kind: KubeSchedulerConfiguration
        percentageOfNodesToScore: 50
        podInitialBackoffSeconds: 1
        podMaxBackoffSeconds: 10
        profiles:
          - schedulerName: default-scheduler
            plugins:
              score:
                enabled: [{name: NodeResourcesFit, weight: 2}, {name: ImageLocality, weight: 1}]
                disabled: [{name: NodeResourcesBalancedAllocation}]
            pluginConfig:
              - name: NodeResourcesFit
                args: {scoringStrategy: {type: MostAllocated, resources: [{name: cpu, weight: 1}, {name: memory, weight: 1}]}}
              - name: PodTopologySpread
                args: {defaultingType: List, defaultConstraints: [{maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway}]}
              - name: InterPodAffinity
                args: {hardPodAffinityWeight: 1}
              - name: DefaultPreemption
                args: {minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100}
        """

    /// Mutations of a KubeSchedulerConfiguration (`--scheduler-config`): refused with a place,
    /// or scheduling the reference scenario's pods without a trap.
    @Test func schedulerConfigurationMutations() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-schedfuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let reference = try ScenarioLoader.load(path: scenariosDirectory.appendingPathComponent("hetzner-k3s-ha.yaml").path).spec
        var m = Mutator(seed: 1_033 &+ Self.seedOffset)
        var refused = 0, simulated = 0
        for n in 0..<Self.count {
            let (text, what) = m.mutate(Self.schedulerConfiguration)
            let path = dir.appendingPathComponent("s\(n).yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                var spec = reference
                spec.scheduler = try ScenarioLoader.loadSchedulerConfiguration(path: path)
                spec.duration = .seconds(600)
                _ = ClusterSimulation(spec: spec).run()
                simulated += 1
            } catch let e as ScenarioError {
                Self.check(e, path: path, what: "scheduler configuration \(what)")
                refused += 1
            }
        }
        #expect(refused > 0 && simulated > 0, "refused \(refused), simulated \(simulated)")
    }

    /// The mutator is deterministic: the same seed, the same mutants (so a failure reproduces).
    @Test func mutatorIsDeterministic() {
        var a = Mutator(seed: 42), b = Mutator(seed: 42)
        for _ in 0..<20 { #expect(a.mutate("a: 1\nb: {c: 2}\n").0 == b.mutate("a: 1\nb: {c: 2}\n").0) }
    }
}
