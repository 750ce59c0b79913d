import KubeModel
import SimKernel
import Simulation

/// How many more instances of a pod the cluster takes, now and after its worst single loss.
///
/// JSON: `{"fitNow": N, "fitAfterLoss": {"instances": M, "worst": "node/NAME"},
/// "nodes": [{"name", "fits", "limitedBy"}]}`.
public struct CapacityAnswer: Codable, Sendable, Equatable {
    public struct Loss: Codable, Sendable, Equatable {
        public var instances: Int
        /// The loss that leaves the fewest: "node/NAME" or "zone/NAME".
        public var worst: String
        public init(instances: Int, worst: String) { self.instances = instances; self.worst = worst }
    }
    public struct Node: Codable, Sendable, Equatable {
        public var name: String
        /// Copies this node took.
        public var fits: Int
        /// Why it takes no more: "cpu", "memory", "pods" (NodeResourcesFit), else the filter's
        /// reason as kube-scheduler words it; nil when the count stopped at the probe's limit.
        public var limitedBy: String?
        public init(name: String, fits: Int, limitedBy: String?) {
            self.name = name; self.fits = fits; self.limitedBy = limitedBy
        }
    }
    public var pod: String
    public var fitNow: Int
    public var fitAfterLoss: Loss?
    public var nodes: [Node]
    /// Scenario pods still pending before the copies were placed (they take no room).
    public var pendingBefore: Int
    public var notes: [String]
}

public struct CapacityError: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// Answers the capacity question with the simulation's scheduler.
///
/// The scenario's workloads are placed first (faults left out), then copies of the pod are
/// scheduled one by one until one fits nowhere (`ClusterSimulation.probeCapacity`). The loss is
/// simulated too: a crash of the node or zone, the node lifecycle controller's NotReady and taint
/// eviction, the controllers' replacements placed on what remains, and only then the copies — so
/// the lost node's pods take their room first, as they would.
public enum CapacityQuestion {
    public static func answer(spec: ClusterSpec, pod: PodManifest, survive: Survive) throws -> CapacityAnswer {
        var base = spec
        base.faults = []
        let now = ClusterSimulation(spec: base)
        now.settle()
        let probe = try probeOrThrow(now, pod, spec)
        let pending = probe.pendingBefore
        var answer = CapacityAnswer(
            pod: pod.metadata.key, fitNow: probe.total, fitAfterLoss: nil,
            nodes: nodes(probe), pendingBefore: pending, notes: [])
        if probe.capped {
            answer.notes.append("stopped at \(limit(spec)) copies (the cluster's total allocatable pods)")
        }
        if pending > 0 {
            answer.notes.append("\(pending) of the scenario's pods are still pending before any copy is placed")
        }
        let targets = try lossTargets(spec, survive)
        var worst: CapacityAnswer.Loss?
        for target in targets {
            let lost = lostNodes(spec, target)
            let left: Int
            if apiLost(spec.controlPlane, lost: lost) {
                left = 0
                answer.notes.append(
                    "losing \(target) takes the API server down (\(spec.controlPlane.datastore.rawValue) on "
                        + "\(spec.controlPlane.servers.joined(separator: ", "))): nothing is scheduled until it is back")
            } else {
                left = try afterLoss(base, pod, target)
            }
            if left < worst?.instances ?? .max { worst = .init(instances: left, worst: target.description) }
        }
        answer.fitAfterLoss = worst
        if survive != .none {
            answer.notes.append(
                "after a loss: the \(survive.rawValue) crashes and stays down; its pods are evicted after "
                    + "the NotReady grace period and tolerationSeconds and replaced on the rest before copies are counted")
        }
        return answer
    }

    /// Every single loss `survive` names: each node, or each zone (topology.kubernetes.io/zone).
    static func lossTargets(_ spec: ClusterSpec, _ survive: Survive) throws -> [FaultSpec.Target] {
        switch survive {
        case .none: return []
        case .node: return spec.nodes.map { .node($0.name) }
        case .zone:
            let zones = Set(spec.nodes.compactMap { $0.labels["topology.kubernetes.io/zone"] }).sorted()
            if zones.isEmpty {
                throw CapacityError(description: "--survive zone: no node has a topology.kubernetes.io/zone label")
            }
            return zones.map { .zone($0) }
        }
    }

    static func lostNodes(_ spec: ClusterSpec, _ target: FaultSpec.Target) -> Set<String> {
        switch target {
        case .node(let n): return [n]
        case .zone(let z): return Set(spec.nodes.filter { $0.labels["topology.kubernetes.io/zone"] == z }.map(\.name))
        default: return []
        }
    }

    /// Whether losing `lost` leaves no API server that can write.
    ///
    /// That is embedded etcd without a quorum of its members, the SQLite server, or every server of
    /// an external datastore. The simulation's scheduler would still place copies then, so the
    /// answer is 0 here.
    static func apiLost(_ cp: ControlPlaneSpec, lost: Set<String>) -> Bool {
        let total = cp.servers.count, left = cp.servers.filter { !lost.contains($0) }.count
        guard total > 0 else { return false }
        switch cp.datastore {
        case .managed: return false
        case .embeddedEtcd: return 2 * left <= total
        case .sqlite, .external: return left == 0
        }
    }

    /// Copies that fit once `target` crashed and its pods were replaced elsewhere.
    static func afterLoss(_ base: ClusterSpec, _ pod: PodManifest, _ target: FaultSpec.Target) throws -> Int {
        var spec = base
        let at = SimTime.minutes(2)
        let eviction = spec.parameters.nodeMonitorGracePeriod + .seconds(spec.parameters.defaultUnreachableTolerationSeconds)
        spec.duration = at + eviction + .minutes(4)
        spec.faults = [FaultSpec(at: at, action: .crash, target: target)]
        let sim = ClusterSimulation(spec: spec)
        _ = sim.run()
        return try probeOrThrow(sim, pod, spec).total
    }

    /// No node holds more pods than its allocatable pods, so their sum bounds the copies.
    static func limit(_ spec: ClusterSpec) -> Int {
        spec.nodes.reduce(0) { $0 + $1.allocatablePods }
    }

    static func probeOrThrow(_ sim: ClusterSimulation, _ pod: PodManifest, _ spec: ClusterSpec) throws -> CapacityProbe {
        do { return try sim.probeCapacity(pod, limit: limit(spec)) } catch let e as ExplainError {
            throw CapacityError(description: e.description)
        }
    }

    static func nodes(_ probe: CapacityProbe) -> [CapacityAnswer.Node] {
        probe.next.nodes.map { n in
            CapacityAnswer.Node(
                name: n.name, fits: probe.placed[n.name] ?? 0,
                limitedBy: n.feasible ? nil : limitedBy(n.reasons))
        }
    }

    /// NodeResourcesFit's "Insufficient cpu", "Insufficient memory" and "Too many pods" as the
    /// resource's name; any other filter's reason as kube-scheduler words it.
    static func limitedBy(_ reasons: [String]) -> String {
        let named = reasons.map { r -> String in
            if r == "Too many pods" { return "pods" }
            if r.hasPrefix("Insufficient ") { return String(r.dropFirst("Insufficient ".count)) }
            return r
        }
        return named.joined(separator: ", ")
    }
}
