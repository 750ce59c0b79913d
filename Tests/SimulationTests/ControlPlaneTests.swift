import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// etcd raft timing, quorum and the API server's availability.
struct ControlPlaneTests {
    func leaderLoss(seed: UInt64, upstreamEtcd: Bool = false) throws -> RunRecord {
        var spec = try Support.scenario("etcd-leader-loss.yaml")
        spec.seed = seed
        if upstreamEtcd {
            spec.controlPlane.heartbeatInterval = .milliseconds(100)
            spec.controlPlane.electionTimeout = .milliseconds(1000)
        }
        return ClusterSimulation(spec: spec).run()
    }

    /// K3S embedded etcd: 500 ms heartbeat, 5 s election timeout → no leader for about
    /// 5–10 s (randomized timeout 10–19 ticks, plus two round trips).
    @Test(arguments: [UInt64](1...30))
    func k3sLeaderLossTakesFiveToTenSeconds(seed: UInt64) throws {
        let r = try leaderLoss(seed: seed)
        let f = r.faults[0]
        let lost = try #require(f.milestone(.leaderLost))
        let elected = try #require(f.milestone(.leaderElected))
        #expect(elected - lost >= 4.5 && elected - lost <= 10, "no leader for \(elected - lost) s")
        #expect(r.controlPlane.leaderChanges >= 1)
        #expect(r.controlPlane.writeUnavailableSeconds >= 4.5 && r.controlPlane.writeUnavailableSeconds <= 10.1)
        // Workloads on the agents are not affected.
        let web = try #require(r.workloads.first { $0.name == "default/web" })
        #expect(web.availability == 1)
    }

    /// Upstream etcd defaults (100 ms / 1 s): about 1–2 s.
    @Test(arguments: [UInt64](1...20))
    func upstreamEtcdLeaderLossTakesOneToTwoSeconds(seed: UInt64) throws {
        let f = try leaderLoss(seed: seed, upstreamEtcd: true).faults[0]
        let gap = try #require(f.milestone(.leaderElected)) - #require(f.milestone(.leaderLost))
        #expect(gap >= 0.9 && gap <= 2.1, "no leader for \(gap) s")
    }

    /// Raft's randomized election timeout: (ET + U{0..ET−1}) ticks.
    @Test func randomizedElectionTimeoutRange() throws {
        let sim = ClusterSimulation(spec: try Support.scenario("etcd-leader-loss.yaml"))
        let draws = (0..<500).map { _ in sim.etcd.randomizedElectionTimeout(member: 0, in: sim) }
        #expect(draws.min()! >= .seconds(5) && draws.max()! <= .milliseconds(9500))
        #expect(Set(draws).count == 10, "10 distinct tick counts")
        #expect(draws.allSatisfy { $0.microseconds % 500_000 == 0 })
    }

    /// Two of three servers down: writes unavailable until one returns; a worker crash in
    /// that window is noticed and healed only after quorum returns.
    @Test(arguments: [UInt64](1...10))
    func quorumLossStallsHealing(seed: UInt64) throws {
        var spec = try Support.scenario("etcd-quorum-loss.yaml")
        spec.seed = seed
        let r = ClusterSimulation(spec: spec).run()
        let serverCrash = r.faults[0]
        let restored = try #require(serverCrash.milestone(.quorumRestored))
        #expect(serverCrash.milestone(.quorumLost) != nil)
        // Servers back at 9m (+45 s boot), then an election.
        #expect(restored >= 540 + 45 && restored <= 540 + 45 + 10)
        #expect(r.controlPlane.writeUnavailableSeconds >= restored - 300 - 0.5)
        let worker = r.faults[2]
        let notReady = try #require(worker.milestone(.nodeNotReady))
        #expect(notReady > restored, "the crash is noticed only after quorum returns")
        #expect(notReady >= restored + 50, "the new controller-manager leader counts the grace period from its start")
        #expect(worker.milestones.first { $0.name == .nodeNotReady }?.mechanism.contains("control-plane outage") == true)
        #expect(try #require(worker.milestone(.replacementsReady)) > notReady + 300)
    }

    /// A partition cuts hel1 off: the majority (fsn1, nbg1) keeps a leader; the nodes in
    /// hel1 cannot renew their Leases and go NotReady.
    @Test func partitionedLocationLosesItsNodes() throws {
        var spec = try Support.scenario("etcd-leader-loss.yaml")
        spec.faults = [FaultSpec(at: .minutes(5), action: .partition, target: .zone("hel1"), duration: .minutes(5))]
        let sim = ClusterSimulation(spec: spec)
        let r = sim.run()
        #expect(sim.etcd.leader != nil)
        let states = r.series.filter { $0.kind == "nodeState" && ($0.entity == "agents-2" || $0.entity == "server-2") }
        #expect(states.count == 2)
        #expect(states.allSatisfy { $0.points.contains { $0.label == "NotReady" } })
        let others = r.series.filter { $0.kind == "nodeState" && $0.entity == "agents-0" }
        #expect(others.allSatisfy { !$0.points.contains { $0.label == "NotReady" } })
    }

    /// Without a control plane in the scenario (explicit nodes), nothing changes.
    @Test func implicitControlPlaneNeverFails() throws {
        let r = ClusterSimulation(spec: try Support.scenario("node-crash.yaml")).run()
        #expect(r.controlPlane.writeUnavailableSeconds == 0)
        #expect(r.controlPlane.leaderChanges == 0)
    }

    /// A slow etcd disk (fsync +500 ms) makes each election round trip slower: the new
    /// leader comes two round trips (pre-vote and vote) later. The followers' election
    /// timeout (5–9.5 s) runs from the last heartbeat they received, up to one heartbeat
    /// interval (500 ms) before the crash.
    @Test(arguments: [UInt64](1...10))
    func slowDiskSlowsTheElection(seed: UInt64) throws {
        var spec = try Support.scenario("etcd-leader-loss.yaml")
        spec.seed = seed
        var slow = FaultSpec(at: .minutes(4), action: .slowDisk, target: .cluster)
        slow.latency = .milliseconds(500)
        spec.faults.insert(slow, at: 0)
        let r = ClusterSimulation(spec: spec).run()
        let crash = r.faults[1]
        let gap = try #require(crash.milestone(.leaderElected)) - #require(crash.milestone(.leaderLost))
        #expect(gap >= 5 - 0.5 + 1 && gap <= 9.5 + 1.1, "no leader for \(gap) s with the slow disk")
        #expect(r.faults[0].milestone(.slowDisk) == 240)
    }
}
