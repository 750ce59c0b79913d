import KubeModel
import SimKernel
import Testing
@testable import Simulation

/// The crash timeline, worked out from the upstream mechanisms (k8s-facts §1.2–1.3):
/// the last lease renewal is up to 10 s before the crash, the controller sees it at its next
/// 5 s pass, and marks the node Unknown once now > that pass + grace. So NotReady lands in
/// (grace − 10 s, grace + 5 s] after the crash (plus the few ms a pass takes).
struct NodeFailureTests {
    func crash(version grace: Int64, seed: UInt64) throws -> FaultResult {
        var spec = try Support.scenario("node-crash.yaml")
        spec.seed = seed
        spec.parameters = ClusterParameters.defaults(kubernetesMinor: grace == 50 ? 33 : 31)
        return ClusterSimulation(spec: spec).run().faults[0]
    }

    @Test(arguments: [UInt64](1...40))
    func crashWith133Defaults(seed: UInt64) throws {
        let f = try crash(version: 50, seed: seed)
        let notReady = try #require(f.milestone("nodeNotReady")) - f.at
        #expect(notReady > 40 && notReady <= 55.1, "NotReady \(notReady) s after the crash")
        let tainted = try #require(f.milestone("nodeTainted"))
        // First node of the zone: the rate limiter's token is there, the 100 ms pass applies it.
        #expect(tainted - f.at - notReady <= 0.1 + 1e-9)
        let evicted = try #require(f.milestone("podsEvicted"))
        #expect(abs(evicted - tainted - 300) < 1e-6, "eviction at taint + tolerationSeconds 300")
        let replaced = try #require(f.milestone("replacementsReady"))
        #expect(replaced > evicted && replaced < evicted + 60)
        #expect(f.milestone("recovered") != nil)
    }

    @Test(arguments: [UInt64](1...20))
    func crashWith131Defaults(seed: UInt64) throws {
        let f = try crash(version: 40, seed: seed)
        let notReady = try #require(f.milestone("nodeNotReady")) - f.at
        #expect(notReady > 30 && notReady <= 45.1, "NotReady \(notReady) s after the crash with the 40 s grace period")
    }

    @Test func everyStatelessWorkloadBackToDesired() throws {
        let record = ClusterSimulation(spec: try Support.scenario("hetzner-k3s-ha.yaml")).run()
        let crash = record.faults[0]
        #expect(crash.milestone("replacementsReady") != nil)
        #expect(crash.milestone("nodeReady") != nil)
        #expect(record.pendingPodsAtEnd == 0)
        for w in record.workloads {
            let last = record.series.first { $0.kind == "readyReplicas" && $0.entity == w.name }?.points.last?.value
            #expect(last == Double(w.desiredReplicas), "\(w.name) ends at \(last ?? -1) of \(w.desiredReplicas)")
        }
    }

    /// 3 of the 5 nodes of zone "a" crash: PartialDisruption in a zone of ≤ 50 nodes stops
    /// tainting; only nodes tainted before the zone state changed lose their pods.
    @Test func partialDisruptionStopsTainting() throws {
        let record = ClusterSimulation(spec: try Support.scenario("zone-partial-disruption.yaml")).run()
        #expect(record.faults.allSatisfy { $0.milestone("evictionsHalted") != nil })
        let tainted = record.faults.filter { $0.milestone("nodeTainted") != nil }.count
        #expect(tainted < 3, "tainting must stop before all three nodes are tainted")
        let web = try #require(record.workloads.first { $0.name == "default/web" })
        #expect(web.minReadyReplicas < web.desiredReplicas)
        let last = record.series.first { $0.entity == "default/web" }?.points.last?.value ?? 0
        #expect(last < Double(web.desiredReplicas), "the workload stays degraded")
    }

    /// Worked case of `ComputeZoneState` (k8s-facts §1.4).
    @Test func zoneStates() {
        func state(ready: Int, notReady: Int) -> ZoneState {
            var nodes = (0..<(ready + notReady)).map { Support.node("n\($0)") }
            nodes.append(Support.node("other", zone: "b"))
            let sim = ClusterSimulation(spec: ClusterSpec(name: "z", duration: .seconds(1), nodes: nodes, workloads: Workloads()))
            for i in 0..<notReady { sim.nodes[i].ready = .unknown }
            return sim.computeZoneState(sim.nodes[0].zone).state
        }
        #expect(state(ready: 5, notReady: 0) == .normal)
        #expect(state(ready: 3, notReady: 2) == .normal)
        #expect(state(ready: 2, notReady: 3) == .partialDisruption)
        #expect(state(ready: 0, notReady: 4) == .fullDisruption)
    }

    @Test func tokenBucketRateLimitsTainting() {
        var bucket = TokenBucket(qps: 0.1, last: .zero)
        let first = bucket.tryAccept(now: .zero)
        let tooSoon = bucket.tryAccept(now: .seconds(5))
        #expect(first && !tooSoon)
        #expect(bucket.nextToken(now: .seconds(5)) == .seconds(10))
        let later = bucket.tryAccept(now: .seconds(10))
        #expect(later)
        var never = TokenBucket(qps: 0, last: .zero)
        let accepted = never.tryAccept(now: .seconds(100))
        #expect(!accepted)
        #expect(never.nextToken(now: .zero) == nil)
    }
}
