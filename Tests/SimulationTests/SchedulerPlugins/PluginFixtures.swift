import Foundation
import KubeModel
import SimKernel
import Testing

@testable import Simulation

// Shared builders for the scheduler plugin conformance tests in this folder. Each test file
// restates cases of kube-scheduler's own unit tests (pkg/scheduler/framework/plugins/...) as
// data: nodes, existing pods bound to them, the incoming pod, and the normalised per-plugin
// scores or filter verdicts upstream expects. The cases are driven through k3sim's plugins
// exactly as upstream drives its own: PreFilter+Filter per node, or PreScore over the
// candidate nodes, Score per node and NormalizeScore over them.
//
// Units follow the upstream wrappers: a node "capacity" of cpu "4000" is 4000 cores and
// memory "10000" is 10000 bytes; each request map of a pod is one container (a pod built
// without request maps has no containers, so the 100m / 200 MiB non-zero defaults do not
// apply to it, as upstream); upstream's empty namespace is "default" here.

enum Fixture {
    /// Quantity strings, as `resource.MustParse` takes them.
    static func quantities(_ list: [String: String]) -> [String: Quantity] {
        list.mapValues { text in
            do { return try Quantity(parsing: text) } catch { preconditionFailure("bad quantity \(text): \(error)") }
        }
    }

    /// JSON in the API's own spelling (affinity, spread constraints, configuration).
    static func decode<T: Decodable>(_ type: T.Type = T.self, _ json: String) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(json.utf8)) } catch {
            preconditionFailure("cannot decode \(T.self) from \(json): \(error)")
        }
    }

    static func node(
        _ name: String, labels: [String: String] = [:], taints: [Taint] = [],
        capacity: [String: String] = [:], pods: Int = 110
    ) -> NodeSpec {
        NodeSpec(
            name: name, labels: labels, taints: taints, allocatable: Resources(quantities(capacity)),
            allocatablePods: pods)
    }

    /// A pod; `requests` gives one container per map (`st.MakePod().Req(...)`), and
    /// `emptyContainers` adds containers that request nothing (`.Container("c")`).
    static func pod(
        _ name: String = "", namespace: String = "default", labels: [String: String] = [:],
        node: String? = nil, requests: [[String: String]] = [], emptyContainers: Int = 0,
        nodeSelector: [String: String] = [:], tolerations: [Toleration] = [],
        affinity: String? = nil, spread: String? = nil
    ) -> PodManifest {
        var containers = requests.enumerated().map { i, r in
            Container(name: "c\(i)", image: "", resources: ResourceRequirements(requests: quantities(r)))
        }
        for i in 0..<emptyContainers { containers.append(Container(name: "e\(i)", image: "")) }
        var spec = PodSpec(containers: containers, nodeName: node, nodeSelector: nodeSelector, tolerations: tolerations)
        if let affinity { spec.affinity = decode(Affinity.self, affinity) }
        if let spread { spec.topologySpreadConstraints = decode([TopologySpreadConstraint].self, spread) }
        return PodManifest(metadata: ObjectMeta(name: name, namespace: namespace, labels: labels), spec: spec)
    }

    /// A `NodeResourcesFit` plugin built the way a profile builds it, from the
    /// KubeSchedulerConfiguration `scoringStrategy` JSON.
    static func fitPlugin(scoringStrategy: String) -> NodeResourcesFit {
        let config = decode(
            SchedulerConfiguration.self,
            """
            {"apiVersion": "kubescheduler.config.k8s.io/v1", "kind": "KubeSchedulerConfiguration",
             "profiles": [{"pluginConfig": [{"name": "NodeResourcesFit", "args": {"scoringStrategy": \(scoringStrategy)}}]}]}
            """)
        let profile = SchedulerProfile(config: config.profiles[0], global: config)
        guard let fit = profile.scorers.first(where: { $0.plugin.name == "NodeResourcesFit" })?.plugin as? NodeResourcesFit else {
            preconditionFailure("profile has no NodeResourcesFit scorer")
        }
        return fit
    }
}

/// A filter plugin's verdict, as upstream's status codes.
enum Verdict: Equatable, CustomStringConvertible {
    case success, unschedulable, unresolvable

    init(_ failure: FilterFailure?) {
        guard let failure else { self = .success; return }
        self = failure.unresolvable ? .unresolvable : .unschedulable
    }

    var description: String {
        switch self {
        case .success: "Success"
        case .unschedulable: "Unschedulable"
        case .unresolvable: "UnschedulableAndUnresolvable"
        }
    }
}

/// A cluster with its existing pods bound, and the calls upstream's tests make on a plugin.
final class PluginHarness {
    let sim: ClusterSimulation

    init(
        nodes: [NodeSpec], pods: [PodManifest] = [], services: [Service] = [],
        replicaSets: [ReplicaSetManifest] = [], terminating: Set<String> = [],
        scheduler: SchedulerConfiguration? = nil
    ) {
        var workloads = Workloads()
        workloads.pods = pods.enumerated().map { i, p in
            var p = p
            if p.metadata.name.isEmpty { p.metadata.name = "existing-\(i)" }
            return p
        }
        workloads.services = services
        workloads.replicaSets = replicaSets
        sim = ClusterSimulation(
            spec: ClusterSpec(
                name: "plugin-conformance", duration: .seconds(600), nodes: nodes,
                workloads: workloads, scheduler: scheduler))
        for id in sim.pods.keys where terminating.contains(sim.pods[id]!.name) {
            // Through the store, whose watchers take the pod out of the spread counts.
            sim.store.update(pod: id) { $0.deletionTimestamp = .zero }
        }
    }

    var context: SchedulingContext { SchedulingContext(sim: sim) }

    func node(_ name: String) -> SimNode {
        guard let n = sim.nodes.first(where: { $0.name == name }) else { preconditionFailure("no node \(name)") }
        return n
    }

    /// The incoming pod as the scheduler sees it (what `explain` builds).
    func incoming(_ m: PodManifest, owner: PodOwner = .none) -> SimPod {
        SimPod(
            id: .outsideTheStore, name: m.metadata.name, namespace: m.metadata.namespace, labels: m.metadata.labels, spec: m.spec,
            owner: owner, workload: .outsideTheRun, created: sim.now, requests: m.spec.effectiveRequests,
            nonZeroRequests: sim.nonZeroRequests(m.spec), priority: sim.resolvePriority(m.spec),
            tolerations: sim.admitTolerations(m.spec.tolerations))
    }

    /// PreScore over the candidates (every node when nil), Score on each, NormalizeScore;
    /// nil when PreScore skips the plugin.
    func scores(
        _ plugin: any ScorePlugin, _ pod: SimPod, candidates: [String]? = nil,
        state: CycleState = CycleState()
    ) -> [String: Int64]? {
        let nodes = (candidates ?? sim.nodes.map(\.name)).map { node($0).index }
        let ctx = context
        guard plugin.preScore(pod, nodes, ctx, state) else { return nil }
        var s = [Int64](repeating: 0, count: nodes.count)
        plugin.score(pod, nodes, ctx, state, into: &s)
        plugin.normalize(&s, nodes, state)
        return Dictionary(uniqueKeysWithValues: zip(nodes.map { sim.nodes[$0].name }, s))
    }

    func scores(_ plugin: any ScorePlugin, _ pod: PodManifest, candidates: [String]? = nil) -> [String: Int64]? {
        scores(plugin, incoming(pod), candidates: candidates)
    }

    /// PreFilter, then Filter on every node.
    func failures(_ plugin: any FilterPlugin, _ pod: SimPod) -> [String: FilterFailure?] {
        let ctx = context, state = CycleState()
        if let failure = plugin.preFilter(pod, ctx, state) {
            return Dictionary(uniqueKeysWithValues: sim.nodes.map { ($0.name, Optional(failure)) })
        }
        return Dictionary(uniqueKeysWithValues: sim.nodes.map { ($0.name, plugin.filter(pod, $0.index, ctx, state)) })
    }

    func verdicts(_ plugin: any FilterPlugin, _ pod: PodManifest) -> [String: Verdict] {
        failures(plugin, incoming(pod)).mapValues(Verdict.init)
    }

    /// The per-plugin scores `explain` reports (after the plugin's normalisation, before
    /// weighting); every node must pass the filters.
    func explainScores(_ plugin: String, _ pod: PodManifest) throws -> [String: Int64]? {
        sim.settle()
        let result = try sim.explain(pod)
        var out: [String: Int64] = [:]
        for n in result.nodes {
            guard n.feasible else { throw InfeasibleNode(node: n.name, plugin: n.rejectedBy, reasons: n.reasons) }
            guard let s = n.scores[plugin] else { return nil }
            out[n.name] = s
        }
        return out
    }
}

/// `explainScores` needs every node to pass the filters, as upstream scores them all.
struct InfeasibleNode: Error, CustomStringConvertible {
    var node: String, plugin: String?, reasons: [String]
    var description: String { "\(node) rejected by \(plugin ?? "?"): \(reasons)" }
}

/// One restated upstream scoring case for the resource scorers: nodes, existing pods (bound
/// through `spec.nodeName`), the incoming pod, the configured resources and their weights, and
/// the scores upstream expects per node.
struct ResourceScoreCase: Sendable, CustomTestStringConvertible {
    var name: String
    var nodes: [NodeSpec]
    var existing: [PodManifest] = []
    var pod: PodManifest
    var resources: [ResourceWeight] = ResourceWeight.defaults
    /// nil: PreScore skips the plugin.
    var want: [String: Int64]?
    var testDescription: String { name }

    var resourcesJSON: String {
        "[" + resources.map { "{\"name\": \"\($0.name)\", \"weight\": \($0.weight)}" }.joined(separator: ", ") + "]"
    }
}

/// `ResourceWeight` list shorthand: `weights(("memory", 2), ("cpu", 1))`.
func weights(_ list: (String, Int64)...) -> [ResourceWeight] { list.map { ResourceWeight(name: $0.0, weight: $0.1) } }
