import Foundation
import Simulation

/// Watches what a drill does to the cluster: pods, Deployments and StatefulSets through
/// informers (list + watch, relist on 410), and the ready replicas of the workloads the drill
/// touches as change points with their arrival time, the same series a simulated run records.
final class DrillObserver: @unchecked Sendable {
    let client: KubeClient
    let tracked: [String]
    let cancellation: Cancellation
    let clock = MonotonicClock()
    /// The informers, from `start` on (they call back into the observer, so it exists first).
    private(set) var pods: Informer?
    private(set) var deployments: Informer?
    private(set) var statefulSets: Informer?
    private let lock = NSLock()
    private var points: [String: [SeriesPoint]] = [:]
    private var eventCount = 0

    init(client: KubeClient, workloads: [String], cancellation: Cancellation) {
        self.client = client; self.tracked = workloads; self.cancellation = cancellation
    }

    /// Seconds since the observation started (the live record's time axis).
    var now: Double { clock.now }
    var events: Int { lock.lock(); defer { lock.unlock() }; return eventCount }

    func start(syncTimeout: TimeInterval = 30) throws {
        let onChange: @Sendable (String, JSONValue, Date) -> Void = { [weak self] _, object, _ in self?.changed(object) }
        let informers = [
            Informer(
                client: client, resource: .pods, cancellation: cancellation, onChange: { [weak self] _, _, _ in self?.count() }),
            Informer(client: client, resource: .deployments, cancellation: cancellation, onChange: onChange),
            Informer(client: client, resource: .statefulSets, cancellation: cancellation, onChange: onChange),
        ]
        (pods, deployments, statefulSets) = (informers[0], informers[1], informers[2])
        for i in informers { i.start() }
        for i in informers where !i.waitForSync(timeout: syncTimeout) {
            throw DrillError.failed(
                "could not list \(i.resource.plural) within \(Int(syncTimeout)) s: \(i.lastError ?? "no answer")")
        }
        for w in tracked { record(w) }
    }

    func count() { lock.lock(); eventCount += 1; lock.unlock() }

    func changed(_ object: JSONValue) {
        count()
        for w in tracked where w.hasSuffix("/\(object.namespace ?? "")/\(object.name)") { record(w) }
    }

    func record(_ workload: String) {
        guard let s = state(workload) else { return }
        let t = now
        lock.lock(); defer { lock.unlock() }
        if points[workload]?.last?.value != Double(s.ready) {
            points[workload, default: []].append(SeriesPoint(t: t, value: Double(s.ready)))
        }
    }

    /// The workload's object (`Kind/ns/name`) as the informer has it.
    func object(_ workload: String) -> JSONValue? {
        let parts = workload.split(separator: "/").map(String.init)
        guard parts.count == 3 else { return nil }
        let informer: Informer? = parts[0] == "Deployment" ? deployments : parts[0] == "StatefulSet" ? statefulSets : nil
        return informer?.objects["\(parts[1])/\(parts[2])"]
    }

    /// Desired and ready replicas (nil for kinds the observer does not follow).
    func state(_ workload: String) -> (desired: Int, ready: Int)? {
        guard let o = object(workload) else { return nil }
        return (o[path: "spec", "replicas"]?.int ?? 1, o[path: "status", "readyReplicas"]?.int ?? 0)
    }

    func atDesired(_ workload: String) -> Bool {
        guard let s = state(workload) else { return true }
        return s.ready >= s.desired
    }

    /// Whether this very pod (same uid: a StatefulSet reuses names) still exists.
    func podExists(_ p: PodRef) -> Bool {
        guard let o = pods?.objects["\(p.namespace)/\(p.name)"] else { return false }
        return o[path: "metadata", "uid"]?.string == p.uid
    }

    /// Non-terminating pods matching the Deployment's selector (a rollout's `maxPods`).
    func livePods(ofDeployment d: JSONValue) -> Int {
        let selector = (d[path: "spec", "selector", "matchLabels"]?.object ?? [:]).compactMapValues(\.string)
        guard !selector.isEmpty else { return 0 }
        return (pods?.objects ?? [:]).values.filter { p in
            p.namespace == d.namespace && p[path: "metadata", "deletionTimestamp"] == nil
                && !["Succeeded", "Failed"].contains(p[path: "status", "phase"]?.string ?? "")
                && selector.allSatisfy { p.labels[$0.key] == $0.value }
        }.count
    }

    var pendingPods: Int { (pods?.objects ?? [:]).values.filter { $0[path: "status", "phase"]?.string == "Pending" }.count }

    /// `readyReplicas` series of the tracked workloads, in the simulation's shape.
    func series() -> [TimeSeries] {
        lock.lock(); defer { lock.unlock() }
        return tracked.compactMap { w in
            points[w].map { TimeSeries(kind: "readyReplicas", entity: Self.entity(w), points: $0) }
        }
    }

    /// `ns/name`, as the simulation names workloads.
    static func entity(_ workload: String) -> String { workload.split(separator: "/").dropFirst().joined(separator: "/") }

    /// Availability of each tracked workload over [0, end], as the simulation measures it.
    func workloadResults(end: Double) -> [WorkloadResult] {
        let all = series()
        return tracked.compactMap { w -> WorkloadResult? in
            guard let desired = state(w)?.desired, desired > 0,
                let s = all.first(where: { $0.entity == Self.entity(w) }), let first = s.points.first
            else { return nil }
            var below = 0.0, none = 0.0, integral = 0.0, minReady = Int(first.value)
            for (i, p) in s.points.enumerated() {
                let until = i + 1 < s.points.count ? s.points[i + 1].t : end
                let dt = max(0, until - p.t)
                let ready = Int(p.value)
                integral += dt * Double(min(ready, desired)) / Double(desired)
                if ready < desired { below += dt }
                if ready == 0 { none += dt }
                minReady = min(minReady, ready)
            }
            let span = max(end - first.t, 1e-9)
            return WorkloadResult(
                name: Self.entity(w), kind: String(w.split(separator: "/")[0]), desiredReplicas: desired,
                availability: integral / span, secondsBelowDesired: below, secondsUnavailable: none,
                minReadyReplicas: minReady)
        }
    }
}
