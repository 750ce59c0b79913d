import ArgumentParser
import Foundation
import KubeModel
import Scenario
import Simulation

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain one scheduling decision: per node, the filter verdict and every plugin's score.",
        discussion: """
            The pod is evaluated on the scenario's cluster once its initial workloads are placed \
            (before the first fault), as kube-scheduler would: filters with their reasons, each \
            score plugin's score after its own normalisation, the weighted total, and the selected node.
            """)

    @Argument(help: "Scenario file (YAML).") var scenario: String
    @Option(
        help:
            "Pod manifest (or a Deployment/ReplicaSet/DaemonSet/StatefulSet: its pod template); FILE#NAME picks one object of a file that holds several."
    )
    var pod: String
    @Option(name: .customLong("scheduler-config"), help: "KubeSchedulerConfiguration file (overrides spec.scheduler).")
    var schedulerConfig: String?
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() throws {
        let loaded: LoadedScenario
        let manifest: PodManifest
        var spec: ClusterSpec
        do {
            loaded = try ScenarioLoader.load(path: scenario)
            manifest = try ScenarioLoader.loadPodForExplain(path: pod)
            spec = loaded.spec
            if let path = schedulerConfig { spec.scheduler = try ScenarioLoader.loadSchedulerConfiguration(path: path) }
        } catch let e as ScenarioError {
            throw CLIError.badInput(e.description)
        }
        let sim = ClusterSimulation(spec: spec)
        sim.settle()
        let result: ExplainResult
        do { result = try sim.explain(manifest) } catch let e as ExplainError { throw CLIError.badInput(e.description) }
        if json {
            print(try JSONSummary.encode(result))
        } else {
            print(ExplainTable.render(result))
        }
    }
}

/// The human form of an explanation: one row per node, one column per score plugin.
enum ExplainTable {
    static func render(_ r: ExplainResult) -> String {
        var out: [String] = []
        out.append("Pod \(r.pod): " + (r.selectedNode.map { "kube-scheduler would bind it to \($0)" } ?? "Pending"))
        out.append("Cluster state at \(TextSummary.duration(r.atSeconds)) of the scenario (initial workloads placed).")
        if let m = r.message { out.append(m) }
        out.append("")
        let plugins = r.weights.map(\.name)
        var rows = [["NODE", "FIT"] + r.weights.map { "\(abbreviation($0.name))×\($0.weight)" } + ["TOTAL", "WHY NOT"]]
        let sorted = r.nodes.sorted { a, b in
            a.feasible != b.feasible ? a.feasible : (a.totalScore != b.totalScore ? a.totalScore > b.totalScore : a.name < b.name)
        }
        for n in sorted {
            let mark = n.name == r.selectedNode ? "*" : ""
            var row = [n.name + mark, n.feasible ? "yes" : "no"]
            row += plugins.map { p in n.feasible ? (n.scores[p].map(String.init) ?? "skip") : "" }
            row.append(n.feasible ? String(n.totalScore) : "")
            row.append(n.feasible ? "" : n.reasons.joined(separator: "; ") + (n.rejectedBy.map { " (\($0))" } ?? ""))
            rows.append(row)
        }
        out.append(TextSummary.table(rows))
        out.append("")
        out.append(
            "Scores are each plugin's 0–100 after its own normalisation; TOTAL = Σ weight × score; * = selected. "
                + "Plugins: " + r.weights.map { "\(abbreviation($0.name)) = \($0.name)" }.joined(separator: ", ") + ".")
        return out.joined(separator: "\n")
    }

    static func abbreviation(_ name: String) -> String {
        switch name {
        case "TaintToleration": return "Taint"
        case "NodeAffinity": return "NodeAff"
        case "NodeResourcesFit": return "Fit"
        case "PodTopologySpread": return "Spread"
        case "InterPodAffinity": return "PodAff"
        case "NodeResourcesBalancedAllocation": return "Balanced"
        case "ImageLocality": return "Image"
        default: return name
        }
    }
}
