import KubeModel
import SimKernel

/// One scheduling decision explained: for every node the filter verdict with
/// kube-scheduler's reason, each plugin's score after its own normalisation (before
/// weighting), the weighted total, and the node kube-scheduler would pick.
public struct ExplainResult: Codable, Sendable, Equatable {
    public var pod: String
    public var selectedNode: String?
    public var nodes: [ExplainedNode]
    /// kube-scheduler's message when no node fits.
    public var message: String?
    /// Score plugins and their weights in the profile, in order.
    public var weights: [PluginWeight]
    /// Simulated time of the cluster state the decision was taken on.
    public var atSeconds: Double
}

public struct ExplainedNode: Codable, Sendable, Equatable {
    public var name: String
    public var feasible: Bool
    public var reasons: [String]
    /// The filter plugin that rejected the node.
    public var rejectedBy: String?
    public var scores: [String: Int64]
    public var totalScore: Int64
}

public struct PluginWeight: Codable, Sendable, Equatable {
    public var name: String
    public var weight: Int64
}

public enum ExplainError: Error, CustomStringConvertible {
    case noProfile(String)
    public var description: String {
        switch self {
        case .noProfile(let n):
            return "no scheduler profile named \"\(n)\" (set spec.schedulerName to one of the configured profiles)"
        }
    }
}

extension ClusterSimulation {
    /// Runs until the initial workloads are placed and ready (every workload reached its
    /// desired replicas and nothing is pending), the first fault, or `limit`.
    public func settle(limit: SimTime = .minutes(10)) {
        let end = min(limit, spec.faults.map(\.at).min().map { $0 - SimTime(microseconds: 1) } ?? limit, spec.duration)
        while let event = engine.next(until: end) {
            step(event)
            if workloads.allSatisfy({ $0.measuring || $0.desired == 0 }) && pendingCount == 0 { break }
        }
    }

    /// Evaluates `manifest` (a pod not in the cluster) against every node, as one
    /// scheduling cycle would, without changing anything.
    public func explain(_ manifest: PodManifest) throws -> ExplainResult {
        let pod = SimPod(
            id: .outsideTheStore, name: manifest.metadata.name, namespace: manifest.metadata.namespace,
            labels: manifest.metadata.labels, spec: manifest.spec, owner: .none, workload: .outsideTheRun, created: now,
            requests: manifest.spec.effectiveRequests, nonZeroRequests: nonZeroRequests(manifest.spec),
            priority: resolvePriority(manifest.spec), tolerations: admitTolerations(manifest.spec.tolerations))
        // A fresh stream, so that explaining does not disturb the run's tie-breaks.
        return try scheduler.explain(pod, tieBreak: streams.stream("explain", "tie-break"), in: self)
    }
}

extension KubeScheduler {
    /// Every node's verdict and scores for `pod`, and the node a cycle would pick with ties
    /// broken on `tieBreak`; the queue, the start index and the run's tie-break stream are
    /// left as they were.
    func explain<C: SchedulerContext>(_ pod: SimPod, tieBreak: RandomStream, in ctx: C) throws -> ExplainResult {
        guard let profile = profile(for: pod) else { throw ExplainError.noProfile(pod.spec.schedulerName) }
        var snapshot = ctx.schedulingSnapshot()
        snapshot.adjusted = nominatedUsage(for: pod, snapshot, ctx)
        let state = CycleState()
        var evaluations: [NodeEvaluation]
        if let failure = runPreFilters(pod, profile, snapshot, state) {
            evaluations = nodeOrder.map { NodeEvaluation(node: $0, failure: failure) }
        } else {
            let eligible = state.eligibleNodes.map(Set.init), leftOut = excludedByPreFilter(state)
            evaluations = nodeOrder.map { n in
                if let eligible, !eligible.contains(n) { return NodeEvaluation(node: n, failure: leftOut) }
                return NodeEvaluation(node: n, failure: runFilters(pod, n, profile, snapshot, state))
            }
        }
        let feasible = evaluations.filter { $0.failure == nil }.map(\.node)
        var selected: Int? = nil
        if !feasible.isEmpty {
            let (totals, scores) = prioritize(pod, feasible, profile, snapshot, state, recordScores: true)
            for (j, n) in feasible.enumerated() {
                if let i = evaluations.firstIndex(where: { $0.node == n }) {
                    evaluations[i] = NodeEvaluation(node: n, failure: nil, scores: scores[j], total: totals[j])
                }
            }
            var stream = tieBreak
            selected = feasible.count == 1 ? feasible[0] : KubeScheduler.selectHost(feasible, totals, drawingFrom: &stream)
        }
        let nodes = ctx.nodes
        return ExplainResult(
            pod: pod.key, selectedNode: selected.map { nodes[$0].name },
            nodes: evaluations.sorted { nodes[$0.node].name < nodes[$1.node].name }.map { e in
                ExplainedNode(
                    name: nodes[e.node].name, feasible: e.failure == nil, reasons: e.failure?.reasons ?? [],
                    rejectedBy: e.failure?.plugin, scores: e.scores, totalScore: e.failure == nil ? e.total : 0)
            },
            message: feasible.isEmpty ? fitErrorMessage(evaluations) : nil,
            weights: profile.scorers.map { PluginWeight(name: $0.plugin.name, weight: $0.weight) },
            atSeconds: ctx.now.seconds)
    }
}
