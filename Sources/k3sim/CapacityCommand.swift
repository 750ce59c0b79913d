import ArgumentParser
import Costs
import Foundation
import KubeModel
import Scenario
import Simulation

struct CapacityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract: "How many more instances of a pod fit on the scenario's cluster, now and after its worst single loss.",
        discussion: """
            The scenario's workloads are placed first (its faults are left out); then copies of \
            the pod are scheduled one by one, each bound where the simulated kube-scheduler \
            puts it, until one fits nowhere — every filter counts (requests, max pods, taints, \
            node affinity, topology spread, pod anti-affinity). Each node says what stops it \
            taking another. After a loss, the node (or zone) crashes, its pods are evicted and \
            replaced on the rest, and the copies are counted again; the worst loss is shown. \
            Preemption is not tried.
            """)

    @Argument(help: "Scenario file (YAML).") var scenario: String
    @Option(help: "Pod manifest (or a Deployment/ReplicaSet/DaemonSet/StatefulSet: its pod template).") var pod: String
    @Option(help: "The loss to survive: node, zone or none.") var survive: String = "node"
    @Flag(help: "Print JSON on stdout.") var json = false

    func run() throws {
        guard let survival = Survive(rawValue: survive) else {
            throw CLIError.badInput("--survive must be node, zone or none, not \"\(survive)\"")
        }
        let loaded: LoadedScenario
        let manifest: PodManifest
        do {
            loaded = try ScenarioLoader.load(path: scenario)
            manifest = try ScenarioLoader.loadPodForExplain(path: pod)
        } catch let e as ScenarioError {
            throw CLIError.badInput(e.description)
        }
        let answer: CapacityAnswer
        do {
            answer = try CapacityQuestion.answer(spec: loaded.spec, pod: manifest, survive: survival)
        } catch let e as CapacityError {
            throw CLIError.badInput(e.description)
        }
        print(json ? try JSONSummary.encode(answer) : CapacityText.render(answer, survive: survival))
    }
}

/// The human form: one sentence with the two counts, then a row per node.
enum CapacityText {
    static func render(_ a: CapacityAnswer, survive: Survive) -> String {
        var out = [
            "Pod \(a.pod): \(a.fitNow) more instance\(a.fitNow == 1 ? "" : "s") fit now"
                + (a.fitAfterLoss.map { "; \($0.instances) after the worst single \(survive.rawValue) loss (\($0.worst))" } ?? "")
                + "."
        ]
        out.append("")
        var rows = [["NODE", "FITS", "WHY NO MORE"]]
        for n in a.nodes { rows.append([n.name, String(n.fits), n.limitedBy ?? "(probe limit)"]) }
        out.append(TextSummary.table(rows))
        if !a.notes.isEmpty {
            out.append("")
            out += a.notes.map { "Note: \($0)." }
        }
        return out.joined(separator: "\n")
    }
}
