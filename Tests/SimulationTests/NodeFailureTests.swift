import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// The crash timeline, worked out from the upstream mechanisms (pkg/controller/nodelifecycle):
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
        let notReady = try #require(f.milestone(.nodeNotReady)) - f.at
        #expect(notReady > 40 && notReady <= 55.1, "NotReady \(notReady) s after the crash")
        let tainted = try #require(f.milestone(.nodeTainted))
        // First node of the zone: the rate limiter's token is there, the 100 ms pass applies it.
        #expect(tainted - f.at - notReady <= 0.1 + 1e-9)
        let evicted = try #require(f.milestone(.podsEvicted))
        #expect(abs(evicted - tainted - 300) < 1e-6, "eviction at taint + tolerationSeconds 300")
        let replaced = try #require(f.milestone(.replacementsReady))
        #expect(replaced > evicted && replaced < evicted + 60)
        #expect(f.milestone(.recovered) != nil)
    }

    @Test(arguments: [UInt64](1...20))
    func crashWith131Defaults(seed: UInt64) throws {
        let f = try crash(version: 40, seed: seed)
        let notReady = try #require(f.milestone(.nodeNotReady)) - f.at
        #expect(notReady > 30 && notReady <= 45.1, "NotReady \(notReady) s after the crash with the 40 s grace period")
    }

    @Test func everyStatelessWorkloadBackToDesired() throws {
        let record = ClusterSimulation(spec: try Support.scenario("hetzner-k3s-ha.yaml")).run()
        let crash = record.faults[0]
        #expect(crash.milestone(.replacementsReady) != nil)
        #expect(crash.milestone(.nodeReady) != nil)
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
        #expect(record.faults.allSatisfy { $0.milestone(.evictionsHalted) != nil })
        let tainted = record.faults.filter { $0.milestone(.nodeTainted) != nil }.count
        #expect(tainted < 3, "tainting must stop before all three nodes are tainted")
        let web = try #require(record.workloads.first { $0.name == "default/web" })
        #expect(web.minReadyReplicas < web.desiredReplicas)
        let last = record.series.first { $0.entity == "default/web" }?.points.last?.value ?? 0
        #expect(last < Double(web.desiredReplicas), "the workload stays degraded")
    }

    /// Worked case of `ComputeZoneState`.
    @Test func zoneStates() {
        func state(ready: Int, notReady: Int) -> ZoneState {
            var nodes = (0..<(ready + notReady)).map { Support.node("n\($0)") }
            nodes.append(Support.node("other", zone: "b"))
            let sim = ClusterSimulation(spec: ClusterSpec(name: "z", duration: .seconds(1), nodes: nodes, workloads: Workloads()))
            for i in 0..<notReady { sim.store.update(node: i) { $0.ready = .unknown } }
            return sim.nodeLifecycle.computeZoneStates(in: sim)[sim.nodes[0].zone].state
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

/// The less common branches of the zone rules and the progress deadline.
struct DisruptionModeTests {
    /// Every zone in FullDisruption: master disruption mode, no taints, no evictions.
    @Test func allZonesDownStopsEvictions() {
        var w = Workloads()
        w.deployments = [Support.deployment("web", replicas: 4)]
        let nodes = [Support.node("a1", zone: "a"), Support.node("a2", zone: "a"), Support.node("b1", zone: "b")]
        let spec = ClusterSpec(
            name: "t", duration: .minutes(15), nodes: nodes, workloads: w,
            timing: [Support.constantTiming],
            faults: [FaultSpec(at: .seconds(60), action: .crash, target: .cluster)])
        let f = ClusterSimulation(spec: spec).run().faults[0]
        #expect(f.milestone(.evictionsHalted) != nil)
        #expect(f.milestone(.podsEvicted) == nil)
    }

    /// A zone of more than 50 nodes in PartialDisruption keeps tainting at the secondary
    /// rate, 0.01 nodes/s: one node every 100 s.
    @Test func largeZoneUsesTheSecondaryRate() {
        var w = Workloads()
        w.deployments = [Support.deployment("web", replicas: 60)]
        let nodes = (0..<60).map { Support.node(String(format: "a%02d", $0), zone: "a") } + [Support.node("b1", zone: "b")]
        let spec = ClusterSpec(
            name: "t", duration: .minutes(30), nodes: nodes, workloads: w,
            faults: [FaultSpec(at: .seconds(120), action: .crash, target: .zone("a"), count: 40)])
        let sim = ClusterSimulation(spec: spec)
        var taintTimes: [Double] = []
        var tainted = Set<Int>()
        sim.afterEvent = { s in
            for n in s.nodes.indices
            where !tainted.contains(n)
                && s.nodes[n].taints.contains(where: { $0.key == Taint.unreachableKey && $0.effect == .NoExecute })
            {
                tainted.insert(n)
                taintTimes.append(s.now.seconds)
            }
        }
        _ = sim.run()
        let gaps = zip(taintTimes.dropFirst(), taintTimes).map { $0 - $1 }
        #expect(taintTimes.count >= 10)
        // Once the zone is in PartialDisruption the gaps are 100 s (the 100 ms pass grid may add up to 0.1 s).
        let tail = gaps.suffix(5)
        #expect(tail.allSatisfy { $0 >= 99.9 && $0 <= 100.2 }, "gaps \(gaps)")
        // The first node is tainted at the normal rate; the zone turns PartialDisruption less
        // than 10 s later, before the normal bucket refilled, so the swapped-in bucket starts
        // drained (SwapLimiter) and the second taint comes 100 s after the swap.
        #expect(gaps.first.map { $0 >= 100 && $0 <= 110.2 } == true, "gaps \(gaps)")
    }

    /// A rollout whose new pods cannot be scheduled stops making progress; after
    /// progressDeadlineSeconds the Deployment reports ProgressDeadlineExceeded.
    @Test func progressDeadline() throws {
        var d = Support.deployment(
            "web", replicas: 2, cpuMilli: 1500,
            strategy: DeploymentStrategy(maxSurge: .int(1), maxUnavailable: .int(0)))
        d.progressDeadlineSeconds = 120
        var w = Workloads()
        w.deployments = [d]
        let spec = ClusterSpec(
            name: "t", duration: .minutes(10), nodes: [Support.node("n1", cpu: 3000)], workloads: w,
            timing: [Support.constantTiming],
            faults: [FaultSpec(at: .seconds(60), action: .rollout, target: .deployment(namespace: "default", name: "web"))])
        let r = ClusterSimulation(spec: spec).run()
        let exceeded = try #require(r.faults[0].milestone(.progressDeadlineExceeded))
        #expect(exceeded > 180 && exceeded < 181, "deadline at \(exceeded)")
        #expect(r.faults[0].milestone(.completed) == nil)
        #expect(r.pendingPodsAtEnd == 1)
    }

    /// `syncRolloutStatus` judges progress only while the latest rollout is incomplete: a
    /// complete Deployment scaled beyond capacity (one ReplicaSet, condition
    /// NewReplicaSetAvailable) keeps Pending pods forever but never times out.
    @Test func scalingACompleteDeploymentBeyondCapacityNeverTimesOut() throws {
        var d = Support.deployment("web", replicas: 2, cpuMilli: 1500)
        d.progressDeadlineSeconds = 120
        var w = Workloads()
        w.deployments = [d]
        var scale = FaultSpec(at: .seconds(60), action: .scale, target: .deployment(namespace: "default", name: "web"))
        scale.replicas = 4
        let spec = ClusterSpec(
            name: "t", duration: .minutes(10), nodes: [Support.node("n1", cpu: 3000)], workloads: w,
            timing: [Support.constantTiming], faults: [scale])
        let r = ClusterSimulation(spec: spec).run()
        #expect(r.faults[0].milestone(.progressDeadlineExceeded) == nil)
        #expect(r.pendingPodsAtEnd == 2)
    }

    /// `SwapLimiter`: a zone changing state gets a new bucket at the new rate, drained when
    /// the old one had no token left (rate_limited_queue.go), full otherwise.
    @Test(arguments: [(true, false), (false, true)])
    func swappingTheLimiterKeepsAnEmptyBucketEmpty(oldSpent: Bool, tokenAfterSwap: Bool) throws {
        let sim = ClusterSimulation(
            spec: ClusterSpec(name: "z", duration: .seconds(1), nodes: [Support.node("n1")], workloads: Workloads()))
        sim.nodeLifecycle.zoneLimiters[0] = TokenBucket(qps: 0.1, last: .zero)
        if oldSpent {
            let accepted = sim.nodeLifecycle.zoneLimiters[0].tryAccept(now: .zero)
            #expect(accepted)
        }
        sim.nodeLifecycle.swapLimiter(0, qps: 0.01, now: sim.now)
        #expect(sim.nodeLifecycle.zoneLimiters[0].qps == 0.01)
        let accepted = sim.nodeLifecycle.zoneLimiters[0].tryAccept(now: .zero)
        #expect(accepted == tokenAfterSwap)
    }
}
