import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// Properties that must hold after every event, over many seeds.
struct InvariantTests {
    /// Non-terminating pods of a Deployment's ReplicaSets.
    static func livePods(_ sim: ClusterSimulation, _ d: Int) -> Int {
        sim.deployments[d].replicaSets.reduce(0) { n, rs in
            n + sim.replicaSets[rs].pods.filter { sim.pods[$0].map { !$0.isTerminating } ?? false }.count
        }
    }

    @Test(arguments: [UInt64](1...25))
    func rollingUpdateBounds(seed: UInt64) throws {
        var spec = try Support.scenario("rolling-update.yaml")
        spec.seed = seed
        let sim = ClusterSimulation(spec: spec)
        var worst = (webMax: 0, webMinAvailable: Int.max, workerMax: 0, workerMinAvailable: Int.max)
        let rolloutAt = SimTime.minutes(3)
        sim.afterEvent = { s in
            guard s.now >= rolloutAt, s.deployments.count == 2 else { return }
            worst.webMax = max(worst.webMax, Self.livePods(s, 0))
            worst.workerMax = max(worst.workerMax, Self.livePods(s, 1))
            worst.webMinAvailable = min(worst.webMinAvailable, s.deploymentStatus(0).available)
            worst.workerMinAvailable = min(worst.workerMinAvailable, s.deploymentStatus(1).available)
        }
        let record = sim.run()
        // 10 replicas, 25%/25%: never more than 13 pods, never fewer than 8 available.
        #expect(worst.webMax <= 13)
        #expect(worst.webMinAvailable >= 8)
        #expect(worst.webMax == 13, "the surge is used")
        // maxSurge 0 / maxUnavailable 1: one at a time.
        #expect(worst.workerMax <= 4)
        #expect(worst.workerMinAvailable >= 3)
        #expect(record.faults[0].stats["maxPods"] ?? 99 <= 13)
        #expect(record.faults[0].stats["minAvailable"] ?? 0 >= 8)
        #expect(record.faults.allSatisfy { $0.milestone(.completed) != nil })
    }

    @Test(arguments: [UInt64](1...10))
    func noPodOnANodeWithoutRoom(seed: UInt64) throws {
        var spec = try Support.scenario("hetzner-k3s-ha.yaml")
        spec.seed = seed
        let sim = ClusterSimulation(spec: spec)
        var violations: [String] = []
        sim.afterEvent = { s in
            for n in s.nodes {
                let a = n.spec.allocatable
                if n.requested.milliCPU > a.milliCPU || n.requested.memoryBytes > a.memoryBytes
                    || n.pods.count > n.spec.allocatablePods
                {
                    violations.append("\(n.name) at \(s.now)")
                }
            }
        }
        _ = sim.run()
        #expect(violations.isEmpty, "\(violations.prefix(3))")
    }

    @Test func tightClusterLeavesPodsPendingWithTheReason() {
        var w = Workloads()
        w.deployments = [Support.deployment("big", replicas: 3, cpuMilli: 3000)]
        let spec = ClusterSpec(
            name: "t", duration: .seconds(120), nodes: [Support.node("n1"), Support.node("n2")],
            workloads: w)
        let record = ClusterSimulation(spec: spec).run()
        #expect(record.pendingPodsAtEnd == 1)
        #expect(record.notes.contains { $0.contains("0/2 nodes are available: 2 Insufficient cpu.") })
    }

    @Test func sameSeedSameRecord() throws {
        let spec = try Support.scenario("hetzner-k3s-ha.yaml")
        let a = ClusterSimulation(spec: spec).run()
        let b = ClusterSimulation(spec: spec).run()
        #expect(Support.comparable(a) == Support.comparable(b))
        var other = spec
        other.seed = spec.seed + 1
        let c = ClusterSimulation(spec: other).run()
        #expect(Support.comparable(a) != Support.comparable(c))
    }

    @Test func monteCarloGivesOneRecordPerSeed() async throws {
        let spec = try Support.scenario("node-crash.yaml")
        let records = await MonteCarlo.run(spec, seeds: Array(1...16))
        #expect(records.map(\.seed) == Array(1...16))
        let notReady = records.compactMap { r in r.faults[0].milestone(.nodeNotReady).map { $0 - r.faults[0].at } }
        let s = Statistic(notReady)
        #expect(s.runs == 16)
        #expect(s.min > 40 && s.max <= 55.1 && s.min < s.max)
        // Same as running one at a time.
        var one = spec
        one.seed = 5
        #expect(Support.comparable(records[4]) == Support.comparable(ClusterSimulation(spec: one).run()))
    }

    @Test func statisticPercentiles() {
        let s = Statistic([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
        #expect(s.p50 == 5.5)  // between the 5th and 6th values
        #expect(abs(s.p95 - 9.55) < 1e-9)  // 0.95 · 9 = 8.55 → 9 + 0.55
        #expect(s.min == 1 && s.max == 10 && s.mean == 5.5)
    }
}
