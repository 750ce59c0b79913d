import Foundation
import Simulation

/// How a drill is run.
public struct DrillOptions: Sendable {
    /// Give up (and restore) after this long.
    public var timeout: TimeInterval
    /// kubectl drain retries a 429 eviction every 5 s (`kubectl/pkg/drain`).
    public var evictionRetryInterval: TimeInterval
    /// How often the drill looks at the watched state.
    public var pollInterval: TimeInterval
    /// Drain: uncordon after success too (kubectl drain leaves the node cordoned).
    public var uncordonAfter: Bool
    /// The record's scenario name (the snapshot's, for validation) and node-name mapping.
    public var scenarioName: String
    public var nodeNames: [String: String]

    public init(
        timeout: TimeInterval = 600, evictionRetryInterval: TimeInterval = 5, pollInterval: TimeInterval = 0.1,
        uncordonAfter: Bool = false, scenarioName: String, nodeNames: [String: String] = [:]
    ) {
        self.timeout = timeout; self.evictionRetryInterval = evictionRetryInterval; self.pollInterval = pollInterval
        self.uncordonAfter = uncordonAfter; self.scenarioName = scenarioName; self.nodeNames = nodeNames
    }
}

/// What a drill did: its record (source "live") and whether it succeeded.
public struct DrillOutcome: Sendable {
    public var record: RunRecord
    public var succeeded: Bool
    /// Why it failed (nil on success).
    public var failure: String?
    /// What was restored, such as "uncordoned node agents-1".
    public var restored: [String]
}

/// Carries out a planned drill as kubectl would, watching the cluster.
///
/// It records the observed timeline with the simulation's milestone names. On failure, timeout or
/// cancellation it restores what it changed (uncordon) and touches nothing else.
public final class DrillRunner: @unchecked Sendable {
    let client: KubeClient
    let plan: DrillPlan
    let options: DrillOptions
    let cancellation: Cancellation
    let observer: DrillObserver
    /// Stops the informers when the drill ends, independently of the user's cancellation.
    let stopWatching = Cancellation()
    var milestones: [Milestone] = []
    var stats: [String: Double] = [:]
    var nodeSeries: [SeriesPoint] = []
    var faultAt = 0.0

    public init(client: KubeClient, plan: DrillPlan, options: DrillOptions, cancellation: Cancellation) {
        self.client = client; self.plan = plan; self.options = options; self.cancellation = cancellation
        observer = DrillObserver(client: client, workloads: plan.workloads, cancellation: stopWatching)
    }

    func mark(_ name: MilestoneName, _ mechanism: String) {
        milestones.append(Milestone(name: name, at: observer.now, mechanism: "observed: " + mechanism))
    }

    /// Runs the drill; throws only when it could not start (nothing changed yet).
    public func run() throws -> DrillOutcome {
        defer { stopWatching.cancel(reason: "drill ended") }
        try observer.start()
        let deadline = observer.now + options.timeout
        var failure: String?
        var restored: [String] = []
        faultAt = observer.now
        do {
            switch plan.action {
            case .drain(let node): try drain(node, deadline: deadline)
            case .rollout(let ns, let name): try rollout(ns, name, deadline: deadline)
            case .deletePod: try deletePod(deadline: deadline)
            }
        } catch {
            let reason = cancellation.isCancelled ? (cancellation.reason ?? "cancelled") : String(describing: error)
            failure = reason
            if case .drain = plan.action, milestones.contains(where: { $0.name == .cordoned }) {
                mark(.drainFailed, reason)
            }
        }
        if case .drain(let node) = plan.action, milestones.contains(where: { $0.name == .cordoned }), !plan.alreadyCordoned,
            failure != nil || options.uncordonAfter
        {
            // Restore with no cancellation: Ctrl-C must not stop the uncordon itself.
            do {
                try client.setUnschedulable(node: node, false)
                nodeSeries.append(SeriesPoint(t: observer.now, value: 1, label: "Ready"))
                restored.append("uncordoned node \(node)")
                if failure == nil { mark(.uncordoned, "PATCH spec.unschedulable=false (--uncordon)") }
            } catch {
                restored.append("FAILED to uncordon node \(node) (\(error)); run: kubectl uncordon \(node)")
            }
        }
        return DrillOutcome(record: record(), succeeded: failure == nil, failure: failure, restored: restored)
    }

    /// Waits (polling the watched state) until `done` or the deadline or a cancellation.
    func wait(until deadline: Double, what: String, _ done: () throws -> Bool) throws {
        while try !done() {
            if cancellation.isCancelled { throw DrillError.failed(cancellation.reason ?? "cancelled") }
            if observer.now >= deadline {
                throw DrillError.failed("timed out after \(Int(options.timeout)) s waiting for \(what)")
            }
            cancellation.sleep(options.pollInterval)
        }
    }

    func drain(_ node: String, deadline: Double) throws {
        nodeSeries.append(SeriesPoint(t: 0, value: 1, label: plan.alreadyCordoned ? "Cordoned" : "Ready"))
        try client.setUnschedulable(node: node, true, cancellation: cancellation)
        nodeSeries.append(SeriesPoint(t: observer.now, value: 1, label: "Cordoned"))
        mark(.cordoned, "PATCH spec.unschedulable=true accepted; \(plan.pods.count) pod(s) to evict through the eviction API")
        var nextAttempt = [Double](repeating: 0, count: plan.pods.count)
        var evicted = [Bool](repeating: false, count: plan.pods.count)
        var retries = 0
        try wait(until: deadline, what: "the evicted pods to be gone") {
            for (i, p) in plan.pods.enumerated() where !evicted[i] && observer.now >= nextAttempt[i] {
                switch try client.evict(namespace: p.namespace, pod: p.name, cancellation: cancellation) {
                case .evicted, .gone: evicted[i] = true
                case .blocked:
                    retries += 1
                    nextAttempt[i] = observer.now + options.evictionRetryInterval
                }
            }
            stats["evictionRetries"] = Double(retries)
            return evicted.allSatisfy { $0 } && plan.pods.allSatisfy { !observer.podExists($0) }
        }
        mark(
            .drained,
            "every pod evicted and gone (DaemonSet pods stay); \(retries) eviction(s) answered 429 and retried every \(Int(options.evictionRetryInterval)) s"
        )
        try wait(until: deadline, what: "the drained workloads to be back at their desired ready replicas") {
            plan.workloads.allSatisfy(observer.atDesired)
        }
    }

    func rollout(_ ns: String, _ name: String, deadline: Double) throws {
        let key = "Deployment/\(ns)/\(name)"
        let patched = try client.restartRollout(namespace: ns, deployment: name, cancellation: cancellation)
        let generation = patched[path: "metadata", "generation"]?.int ?? 0
        mark(.started, "PATCH of the pod template (kubectl.kubernetes.io/restartedAt) accepted, generation \(generation)")
        var maxPods = 0, minAvailable = Int.max
        try wait(until: deadline, what: "deployment \(ns)/\(name) to complete its rollout") {
            guard let d = observer.object(key) else {
                throw DrillError.failed("deployment \(ns)/\(name) was deleted during the drill")
            }
            maxPods = max(maxPods, observer.livePods(ofDeployment: d))
            let st = d["status"] ?? .null
            let replicas = d[path: "spec", "replicas"]?.int ?? 1
            minAvailable = min(minAvailable, st["availableReplicas"]?.int ?? 0)
            stats["maxPods"] = Double(maxPods); stats["minAvailable"] = Double(minAvailable)
            for c in st["conditions"]?.array ?? []
            where c["type"]?.string == "Progressing" && c["reason"]?.string == "ProgressDeadlineExceeded" {
                if !milestones.contains(where: { $0.name == .progressDeadlineExceeded }) {
                    mark(.progressDeadlineExceeded, "condition Progressing=False, reason ProgressDeadlineExceeded")
                }
            }
            // kubectl rollout status: observed, all updated, no old pods left, all available.
            let updated = st["updatedReplicas"]?.int ?? 0
            return (st["observedGeneration"]?.int ?? 0) >= generation && updated == replicas
                && (st["replicas"]?.int ?? 0) == updated && (st["availableReplicas"]?.int ?? 0) == updated
        }
        mark(
            .completed,
            "DeploymentComplete: \(stats["minAvailable"].map { Int($0) } ?? 0) available at the lowest, \(maxPods) pods at the most"
        )
    }

    func deletePod(deadline: Double) throws {
        guard let p = plan.pods.first else { return }
        try client.deletePod(namespace: p.namespace, name: p.name, cancellation: cancellation)
        mark(.deleted, "DELETE accepted (graceful); the controller creates a replacement")
        let replaceable = plan.workloads.filter { $0.hasPrefix("Deployment/") || $0.hasPrefix("ReplicaSet/") }
        // Ready drops only after the old pod stops; wait for it to go before checking recovery.
        try wait(until: deadline, what: "pod \(p.namespace)/\(p.name) to be gone") { !observer.podExists(p) }
        try wait(until: deadline, what: "the pod's workload to be back at its desired ready replicas") {
            plan.workloads.allSatisfy(observer.atDesired)
        }
        if !replaceable.isEmpty {
            mark(.replacementsReady, "the replacement pod is Ready (\(replaceable.joined(separator: ", ")) at desired)")
        }
        mark(.recovered, "every affected workload back at its desired ready replicas")
    }

    /// The observed drill in the simulation's record shape.
    func record() -> RunRecord {
        let end = observer.now
        var target = plan.action.target
        if case .drain(let node) = plan.action, let mapped = options.nodeNames[node] { target = "node/\(mapped)" }
        var series = observer.series()
        if case .drain(let node) = plan.action, !nodeSeries.isEmpty {
            series.append(TimeSeries(kind: "nodeState", entity: options.nodeNames[node] ?? node, points: nodeSeries))
        }
        series.append(
            TimeSeries(kind: "pendingPods", entity: "cluster", points: [SeriesPoint(t: end, value: Double(observer.pendingPods))])
        )
        var notes = [
            "live drill against \(client.connection.server) (\(client.connection.origin)); times are seconds from the start of observation, as the watch delivered the events"
        ]
        if target != plan.action.target { notes.append("real target \(plan.action.target) is \(target) in the scenario") }
        return RunRecord(
            scenarioName: options.scenarioName, seed: 0, source: "live", simulatedSeconds: end, wallSeconds: end,
            events: observer.events, workloads: observer.workloadResults(end: end),
            faults: [
                FaultResult(
                    index: 0, action: plan.action.faultAction, target: target, at: faultAt,
                    milestones: milestones, stats: stats)
            ],
            controlPlane: ControlPlaneResult(), pendingPodsAtEnd: observer.pendingPods, series: series, notes: notes)
    }
}
