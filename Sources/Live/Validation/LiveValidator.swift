import Foundation
import Scenario
import Simulation
import Store

/// What `k3sim live validate` produced.
public struct ValidationOutcome: Sendable {
    public var snapshot: Snapshot
    public var simulatedRunIDs: [Int64]
    public var liveRunID: Int64
    public var validationID: Int64
    public var drill: DrillOutcome
    public var comparisons: [MilestoneComparison]
}

/// `k3sim live validate`: snapshot the cluster, add the drill as the scenario's fault,
/// simulate it over N seeds, run it live, compare per milestone and store all of it (the
/// simulated batch first, so `k3sim report` finds it as the live run's counterpart).
public enum LiveValidator {
    /// When the simulated drill starts: after the simulated cluster has rolled out.
    public static let faultAt = "5m"
    /// Drill milestones are seen through watches polled every 0.1 s; half a second covers
    /// the watch delivery and the poll.
    public static let tolerance = 0.5

    /// The drill as a scenario fault with the scenario's names.
    public static func fault(for plan: DrillPlan, snapshot nodeNames: [String: String], timeout: TimeInterval) throws
        -> SnapshotFault
    {
        let timeoutOption = "\(Int(timeout.rounded(.up)))s"
        switch plan.action {
        case .drain(let node):
            return SnapshotFault(
                at: faultAt, action: "drain", target: "node/\(nodeNames[node] ?? node)", options: ["timeout": timeoutOption])
        case .rollout(let ns, let name):
            return SnapshotFault(at: faultAt, action: "rollout", target: "deployment/\(ns)/\(name)")
        case .deletePod(let ns, let name):
            // Simulated pods have other names: delete one pod of the same Deployment.
            guard let w = plan.workloads.first, w.hasPrefix("Deployment/") else {
                throw DrillError.badInput(
                    "live validate can compare delete-pod only for a pod of a Deployment; pod \(ns)/\(name) has none")
            }
            return SnapshotFault(
                at: faultAt, action: "delete-pod", target: "deployment/\(w.dropFirst("Deployment/".count))",
                options: ["count": "1"])
        }
    }

    /// Snapshot + fault, loaded as `k3sim run` would load it (so a bad snapshot fails here,
    /// before anything changes).
    public static func scenario(client: KubeClient, plan: DrillPlan, timeout: TimeInterval, path: String) throws -> (
        Snapshot, LoadedScenario
    ) {
        let objects = try ClusterObjects.read(from: client)
        let first = SnapshotBuilder.build(objects)
        let f = try fault(for: plan, snapshot: first.nodeNames, timeout: timeout)
        let minutes = 5 + Int((timeout / 60).rounded(.up)) + 5
        let snapshot = SnapshotBuilder.build(objects, faults: [f], duration: "\(minutes)m")
        return (snapshot, try ScenarioLoader.load(text: snapshot.text, path: path))
    }

    public static func validate(
        client: KubeClient, plan: DrillPlan, options: DrillOptions, runs: Int, store: ResultStore,
        scenarioPath: String, k3simVersion: String, cancellation: Cancellation,
        progress: (String) -> Void = { _ in }
    ) async throws -> ValidationOutcome {
        let (snapshot, loaded) = try scenario(client: client, plan: plan, timeout: options.timeout, path: scenarioPath)
        progress("snapshot: \(loaded.name), \(loaded.spec.nodes.count) nodes; simulating the drill over \(runs) seeds")
        let seeds = (0..<runs).map { loaded.spec.seed &+ UInt64($0) }
        let sims = runs == 1 ? [ClusterSimulation(spec: loaded.spec).run()] : await MonteCarlo.run(loaded.spec, seeds: seeds)
        let simIDs = try store.save(
            scenarioName: loaded.name, scenarioText: loaded.text, records: sims, k3simVersion: k3simVersion)
        progress("simulated runs #\(simIDs[0])–#\(simIDs[simIDs.count - 1]) stored; running the drill live")
        var drillOptions = options
        drillOptions.scenarioName = loaded.name
        drillOptions.nodeNames = snapshot.nodeNames
        let outcome = try DrillRunner(client: client, plan: plan, options: drillOptions, cancellation: cancellation).run()
        let liveID = try store.save(
            scenarioName: loaded.name, scenarioText: loaded.text, records: [outcome.record],
            k3simVersion: k3simVersion)[0]
        let rows = Comparison.compare(live: outcome.record, simulated: sims, tolerance: tolerance)
        let vid = try store.saveValidation(
            ValidationRecord(
                kind: "drill", scenarioName: loaded.name, liveRunID: liveID,
                simulatedBatchID: simIDs[0], simulatedRuns: sims.count,
                toleranceSeconds: tolerance, milestones: rows))
        return ValidationOutcome(
            snapshot: snapshot, simulatedRunIDs: simIDs, liveRunID: liveID, validationID: vid,
            drill: outcome, comparisons: rows)
    }
}

/// `k3sim live etcd probe --validate N`: the probe's record next to N simulations of the same
/// etcd settings.
public enum EtcdValidator {
    public struct Outcome: Sendable {
        public var liveRunID: Int64
        public var simulatedRunIDs: [Int64]
        public var validationID: Int64
        public var comparisons: [MilestoneComparison]
        /// The simulated leader-loss range (leaderLost → leaderElected), seconds.
        public var simulated: Statistic?
    }

    public static func simulate(_ settings: EtcdProbeRecord.Settings, runs: Int) async throws -> (LoadedScenario, [RunRecord]) {
        let loaded = try ScenarioLoader.load(
            text: EtcdProbeRecord.scenarioText(settings), path: "\(EtcdProbeRecord.scenarioName(settings)).yaml")
        return (loaded, await MonteCarlo.run(loaded.spec, seeds: (0..<runs).map { UInt64($0) + 1 }))
    }

    public static func validate(
        _ result: EtcdProbeResult, settings: EtcdProbeRecord.Settings, runs: Int, store: ResultStore,
        k3simVersion: String
    ) async throws -> Outcome {
        let (loaded, sims) = try await simulate(settings, runs: runs)
        let simIDs = try store.save(
            scenarioName: loaded.name, scenarioText: loaded.text, records: sims, k3simVersion: k3simVersion)
        let live = EtcdProbeRecord.record(result, settings: settings)
        let liveID = try store.save(
            scenarioName: loaded.name, scenarioText: loaded.text, records: [live], k3simVersion: k3simVersion)[0]
        // Resolution of a window: one probe interval at each end.
        let tolerance = result.intervalSeconds
        let rows = Comparison.compare(live: live, simulated: sims, tolerance: tolerance).filter { $0.faultIndex == 0 }
        let vid = try store.saveValidation(
            ValidationRecord(
                kind: "etcd-probe", scenarioName: loaded.name, liveRunID: liveID,
                simulatedBatchID: simIDs[0], simulatedRuns: sims.count,
                toleranceSeconds: tolerance, milestones: rows))
        return Outcome(
            liveRunID: liveID, simulatedRunIDs: simIDs, validationID: vid, comparisons: rows,
            simulated: rows.first { $0.milestone == "leaderElected" }?.simulated)
    }
}
