import ArgumentParser
import Catalog
import Costs
import Foundation
import Scenario
import Simulation

/// `--simulate N` of `cost` and `plan`: the scenario's own faults, run on each option's nodes
/// for N seeds (the scenario's seed and the next ones, the same for every option so that the
/// options meet the same draws), summarised beside the price.
enum OptionSimulation {
    /// One option's simulated runs: the figures printed beside its price, and what `--db`
    /// stores (the runs, and the scenario text they ran as).
    struct Runs {
        var behaviour: Behaviour
        var records: [RunRecord]
        var scenarioName: String
        var scenarioText: String
    }

    /// The scenario's cluster on `platform`'s nodes, with the scenario's own faults aimed at them.
    ///
    /// The plan is written as a scenario (nodes, control plane and the distribution's system pods,
    /// as `plan --emit` writes it), with the scenario's own faults aimed at its nodes, duration and
    /// seed. The scenario's own option runs as written. Also returns the emitted text and the
    /// fault-mapping notes.
    static func spec(_ loaded: LoadedScenario, platform: PlatformSpec, own: Bool) throws -> (ClusterSpec, String, [String]) {
        if own { return (loaded.spec, loaded.text, []) }
        do {
            let text = try ScenarioEmitter.emit(loaded, platform: platform, survive: "node", outputPath: loaded.path)
            var spec = try ScenarioLoader.load(text: text, path: loaded.path).spec
            let (faults, notes) = FaultMapping.map(loaded.spec.faults, from: loaded.spec.nodes, to: spec.nodes)
            spec.name = loaded.spec.name
            spec.faults = faults
            spec.duration = loaded.spec.duration
            spec.seed = loaded.spec.seed
            return (spec, text, notes)
        } catch let e as ScenarioError {
            throw CLIError.failure("cannot simulate the \(platform.provider.rawValue) option: \(e.description)")
        }
    }

    static func simulate(_ loaded: LoadedScenario, platform: PlatformSpec, own: Bool, runs: Int) async throws -> Runs {
        var (spec, text, notes) = try spec(loaded, platform: platform, own: own)
        // A planned option's runs carry its name, so that stored runs and the report's
        // cost-against-availability points say which option they are.
        let name = own ? loaded.name : "\(loaded.name) on \(platform.provider.rawValue) \(platform.distribution.rawValue)"
        spec.name = own ? spec.name : name
        let seeds = (0..<runs).map { spec.seed &+ UInt64($0) }
        let records = await MonteCarlo.run(spec, seeds: seeds)
        let faults = spec.faults.map(FaultMapping.describe)
        let behaviour = Behaviour(records: records, faults: faults, notes: notes)
        if own { return Runs(behaviour: behaviour, records: records, scenarioName: name, scenarioText: text) }
        // The emitted text has the option's nodes but not the scenario's faults, duration and
        // seed, which the runs used: a header says so, so the stored scenario explains its runs.
        let header = [
            "# \(name): the nodes `k3sim cost --simulate` ran \(loaded.name)'s faults on",
            "# (\(faults.isEmpty ? "no faults" : faults.joined(separator: "; ")); duration \(spec.duration); seed \(spec.seed))",
        ]
        return Runs(
            behaviour: behaviour, records: records, scenarioName: name,
            scenarioText: header.joined(separator: "\n") + "\n" + text)
    }

    static func checked(_ runs: Int?) throws -> Int? {
        guard let runs else { return nil }
        guard runs >= 1 else { throw CLIError.badInput("--simulate: must be at least 1 (runs per option)") }
        return runs
    }

    static func note(_ runs: Int, seed: UInt64) -> String {
        "Behaviour: the scenario's faults on each option's nodes, \(runs) run\(runs == 1 ? "" : "s") (seeds \(seed)"
            + (runs > 1 ? "–\(seed &+ UInt64(runs - 1))" : "") + "); faults on nodes, zones and pools are aimed at the "
            + "option's node in the same place (k-th server, k-th agent, k-th zone). " + Behaviour.notModelled + "."
    }
}

/// The behaviour columns and lines of the text forms.
extension CostText {
    static let behaviourHeader = ["WORST WORKLOAD", "AVAIL p50", "AVAIL min", "BELOW DESIRED p95"]

    static func behaviourColumns(_ b: Behaviour?) -> [String] {
        guard let b, let w = b.worst else { return ["", "", "", ""] }
        return [
            w.name, TextSummary.pct(w.availability.p50), TextSummary.pct(w.availability.min),
            seconds(w.secondsBelowDesired.p95),
        ]
    }

    /// Seconds to a tenth, or to a hundredth below one (an etcd election's write gap).
    static func seconds(_ v: Double) -> String {
        v == v.rounded() ? "\(Int(v)) s" : String(format: abs(v) < 1 ? "%.2f s" : "%.1f s", v)
    }

    static func behaviourLines(_ b: Behaviour) -> [String] {
        var out = [
            "  behaviour (\(b.runs) run\(b.runs == 1 ? "" : "s") of the scenario's faults: "
                + (b.faults.isEmpty ? "none" : b.faults.joined(separator: "; ")) + ")"
        ]
        var rows = [["WORKLOAD", "AVAIL p50", "AVAIL min", "BELOW DESIRED p95", "UNAVAILABLE p95"]]
        for w in b.workloads {
            rows.append([
                w.name, TextSummary.pct(w.availability.p50), TextSummary.pct(w.availability.min),
                seconds(w.secondsBelowDesired.p95), seconds(w.secondsUnavailable.p95),
            ])
        }
        out.append(table(rows, left: [0]))
        out.append(
            "  pending pods at end: max \(TextSummary.number(b.pendingPodsAtEnd.max)); API writes unavailable: p95 "
                + seconds(b.writeUnavailableSeconds.p95))
        out += b.notes.map { "  note: \($0)" }
        return out
    }
}
