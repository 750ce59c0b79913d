import KubeModel
import SimKernel

/// What `k3sim bench scheduler` measures: the scheduling cycles of every pending pod of a
/// cluster, through the full profile (queue, PreFilter, Filter with the adaptive
/// percentageOfNodesToScore, PreScore, Score, NormalizeScore, selectHost, bind).
public struct SchedulerBenchmarkResult: Sendable, Codable {
    public var nodes: Int
    /// Pods waiting for the scheduler when the clock started.
    public var pods: Int
    public var scheduled: Int
    public var unschedulable: Int
    public var wallSeconds: Double
    public var podsPerSecond: Double { wallSeconds > 0 ? Double(scheduled + unschedulable) / wallSeconds : 0 }
    /// FNV-1a over (pod, node) of every placement, in pod order: equal digests, equal decisions.
    public var placementDigest: String
}

extension ClusterSimulation {
    /// Lets the controllers create the scenario's pods (every event but scheduling cycles, up to
    /// `settle` of simulated time), then times scheduling cycles until the queue is empty.
    ///
    /// The cluster is fresh, so no pod is in backoff.
    public func benchmarkScheduler(settle: SimTime = .seconds(30)) -> SchedulerBenchmarkResult {
        while let event = engine.next(until: settle) {
            if case .scheduler(.cycle) = event { scheduler.cycleEventDropped(); continue }
            step(event)
        }
        let pending = scheduler.active
        let clock = ContinuousClock()
        let start = clock.now
        while !scheduler.active.isEmpty {
            let before = scheduler.active.count
            scheduler.handle(.cycle, in: self)
            if scheduler.active.count == before { break }  // everything left is in backoff
        }
        let d = clock.now - start
        let wall = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        var digest: UInt64 = 0xCBF2_9CE4_8422_2325
        var scheduled = 0
        for id in pods.keys.sorted() {
            guard let p = pods[id], let n = p.node else { continue }
            if pending.contains(id) { scheduled += 1 }
            for b in "\(p.key)@\(nodes[n].name);".utf8 { digest = (digest ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        }
        return SchedulerBenchmarkResult(
            nodes: nodes.count, pods: pending.count, scheduled: scheduled,
            unschedulable: scheduler.unschedulable.count, wallSeconds: wall,
            placementDigest: String(digest, radix: 16))
    }
}
