import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// The second half of a drill: after a fault ends the cluster returns to steady state (every
/// node Ready, no NoExecute taint left, every workload at its desired ready replicas), within
/// a bound that follows from the mechanisms, and the timeline files each step under the
/// fault that caused it.
struct RecoveryTests {
    func scenario(seed: UInt64, faults: [FaultSpec]) throws -> ClusterSpec {
        try Support.etcdScenario(seed: seed, faults: faults)
    }

    func partition(_ zone: String, at: SimTime = .minutes(5), for duration: SimTime) -> FaultSpec {
        var f = FaultSpec(at: at, action: .partition, target: .zone(zone))
        f.duration = duration
        return f
    }

    /// Runs with invariants checked after every event; returns the record and the final state.
    func run(_ spec: ClusterSpec) -> (RunRecord, ClusterSimulation) {
        let sim = ClusterSimulation(spec: spec)
        var readyBefore: [ConditionStatus] = []
        var healthyBefore: [Set<PodID>] = []
        sim.afterEvent = { s in
            // A node turns Ready only through a status its kubelet managed to write.
            for n in s.nodes.indices {
                if n < readyBefore.count, readyBefore[n] != .isTrue, s.nodes[n].ready == .isTrue {
                    #expect(
                        s.nodes[n].up && s.canWrite(from: n),
                        "\(s.nodes[n].name) Ready at \(s.now) without a kubelet that can write")
                }
            }
            readyBefore = s.nodes.map(\.ready)
            // Never two CloudNativePG instances running as primaries (a split brain).
            for c in s.pgClusters.indices {
                #expect(
                    s.cnpgOperator.runningPrimaries(c, in: s).count <= 1,
                    "\(s.pgClusters[c].object.metadata.key): primaries \(s.cnpgOperator.runningPrimaries(c, in: s)) at \(s.now)")
            }
            healthyBefore = Self.expectBudgetsKept(s, healthyBefore)
        }
        return (sim.run(), sim)
    }

    /// An eviction never takes a budget below desiredHealthy: when a pod a PDB counted as
    /// healthy (Ready, not terminating) starts terminating because a drain evicted it, the
    /// budget's healthy pods are still at least desiredHealthy. A pod on a node with a
    /// NoExecute taint is left out: the taint-eviction controller deletes pods regardless of
    /// budgets (and a runtime-down node's pods are still Ready when it does).
    /// Returns each budget's healthy pods, for the next event.
    static func expectBudgetsKept(_ s: ClusterSimulation, _ before: [Set<PodID>]) -> [Set<PodID>] {
        let draining = s.drains.filter { !$0.done }.reduce(into: Set<PodID>()) { $0.formUnion($1.pending) }
        return s.pdbs.indices.map { i in
            let healthy = Set(s.pods.values.filter { s.matchesPDB($0, i) && $0.ready && !$0.isTerminating }.map(\.id))
            let disrupted =
                i < before.count
                ? before[i].filter { id in
                    guard draining.contains(id), let p = s.pods[id], p.isTerminating, let n = p.node else { return false }
                    return !s.nodes[n].taints.contains { $0.effect == .NoExecute }
                } : []
            if !disrupted.isEmpty {
                let desired = s.pdbStatus(i).desiredHealthy
                #expect(
                    healthy.count >= desired,
                    "\(s.pdbs[i].metadata.name): \(disrupted.count) evicted at \(s.now) leaving \(healthy.count) healthy, below \(desired)"
                )
            }
            return healthy
        }
    }

    func expectSteadyState(_ sim: ClusterSimulation, _ what: String) {
        for node in sim.nodes {
            #expect(node.ready == .isTrue, "\(what): \(node.name) is \(node.ready) at the end")
            let conditionTaints = node.taints.filter { [Taint.notReadyKey, Taint.unreachableKey].contains($0.key) }
            #expect(conditionTaints.isEmpty, "\(what): \(node.name) keeps \(conditionTaints)")
        }
        for w in sim.workloads {
            #expect(w.ready >= w.desired, "\(what): \(w.name) at \(w.ready)/\(w.desired) at the end")
        }
    }

    /// Two minutes without one location: its nodes go Ready=Unknown after the grace period
    /// and get the unreachable taint, but tolerationSeconds (300 s) has not passed when the
    /// partition heals. Each kubelet posts Ready=True at its next status sync (≤ 10 s after
    /// the heal), the next monitor pass (5 s) removes the taints, nothing is evicted.
    @Test(arguments: ["fsn1", "nbg1", "hel1"])
    func shortPartitionHealsWithoutEviction(zone: String) throws {
        for seed in UInt64(1)...12 {
            let (r, sim) = run(try scenario(seed: seed, faults: [partition(zone, for: .minutes(2))]))
            let f = r.faults[0]
            let healed = try #require(f.milestone(.healed))
            #expect(f.milestone(.podsEvicted) == nil, "seed \(seed) \(zone): evicted after a 2-minute partition")
            #expect(f.milestone(.quorumLost) == nil, "seed \(seed) \(zone): the majority side keeps a quorum")
            if let ready = f.milestone(.nodeReady) {
                #expect(
                    ready > healed && ready <= healed + 10.1, "seed \(seed) \(zone): Ready \(ready - healed) s after the heal")
            }
            let recovered = try #require(f.milestone(.recovered), "seed \(seed) \(zone): never recovered")
            #expect(recovered <= healed + 20.1, "seed \(seed) \(zone): recovered \(recovered - healed) s after the heal")
            expectSteadyState(sim, "seed \(seed) \(zone)")
        }
    }

    /// Ten minutes: evictions happen (taint + 300 s), and still every node comes back Ready,
    /// the taints go and every workload (DaemonSets included) is whole again.
    @Test(arguments: [UInt64](1...6))
    func longPartitionEvictsAndStillRecovers(seed: UInt64) throws {
        var spec = try scenario(seed: seed, faults: [partition("nbg1", for: .minutes(10))])
        spec.workloads.daemonSets.append(Support.daemonSet("node-agent", image: "agent:1"))
        let (r, sim) = run(spec)
        let f = r.faults[0]
        #expect(f.milestone(.podsEvicted) != nil)
        #expect(f.milestone(.recovered) != nil)
        // The DaemonSet counts among the workloads: back at its desired ready pods.
        expectSteadyState(sim, "seed \(seed)")
    }

    /// Cutting off one location of three never loses the quorum: the majority keeps a leader
    /// or elects one within its randomized election timeout (from the last heartbeat) plus
    /// the pre-vote and vote round trips.
    @Test(arguments: ["fsn1", "nbg1", "hel1"])
    func oneLocationCutOffKeepsTheQuorum(zone: String) throws {
        var leaderCutOff = 0
        for seed in UInt64(1)...20 {
            let (r, _) = run(try scenario(seed: seed, faults: [partition(zone, for: .minutes(2))]))
            let f = r.faults[0]
            #expect(f.milestone(.quorumLost) == nil, "seed \(seed)")
            guard let lost = f.milestone(.leaderLost) else {
                #expect(
                    r.controlPlane.writeUnavailableSeconds == 0,
                    "seed \(seed): writes failed with the leader on the majority side")
                continue
            }
            leaderCutOff += 1
            let elected = try #require(f.milestone(.leaderElected), "seed \(seed): the majority never elected")
            #expect(abs(lost - 300) < 1e-3, "seed \(seed): writes stop when the leader is cut off")
            #expect(elected - lost >= 4.5 && elected - lost <= 9.5 + 0.1, "seed \(seed): no leader for \(elected - lost) s")
            #expect(abs(r.controlPlane.writeUnavailableSeconds - (elected - lost)) < 1e-3)
        }
        // The leader sits in each location for some seeds.
        #expect(leaderCutOff > 0 && leaderCutOff < 20)
    }

    /// A partition shorter than the majority's election timeout: the old leader leads on
    /// (pre-vote kept the term), no leader change. Writes resume once the followers hear it
    /// again: its peers redial within 100 ms (rafthttp DialRetryFrequency), then its next
    /// heartbeat (K3S: every 500 ms) reaches them after half the 10 ms round trip, so 5 ms to
    /// 605 ms after the heal.
    @Test func partitionHealedBeforeTheElectionKeepsTheLeader() throws {
        var delays: [Double] = []
        for seed in UInt64(1)...20 {
            for zone in ["fsn1", "nbg1", "hel1"] {
                let (r, _) = run(try scenario(seed: seed, faults: [partition(zone, for: .seconds(3))]))
                let f = r.faults[0]
                guard f.milestone(.leaderLost) != nil else { continue }
                let restored = try #require(f.milestone(.leaderRestored), "seed \(seed) \(zone)")
                let delay = restored - 303
                delays.append(delay)
                #expect(
                    delay >= 0.005 - 1e-6 && delay <= 0.605 + 1e-6, "seed \(seed) \(zone): restored \(delay) s after the heal")
                #expect(f.milestone(.memberRejoined) == restored)
                #expect(r.controlPlane.leaderChanges == 0)
                #expect(abs(r.controlPlane.writeUnavailableSeconds - (3 + delay)) < 1e-3)
            }
        }
        #expect(!delays.isEmpty)
        // The redial phase and the heartbeat phase differ from seed to seed.
        #expect((delays.max() ?? 0) - (delays.min() ?? 0) > 0.1)
    }

    /// `recover zone/NAME` heals a partition of that location.
    @Test func recoverHealsAPartition() throws {
        var partitionFault = partition("nbg1", for: .minutes(30))
        partitionFault.duration = nil
        let recover = FaultSpec(at: .minutes(8), action: .recover, target: .zone("nbg1"))
        let (r, sim) = run(try scenario(seed: 1, faults: [partitionFault, recover]))
        #expect(r.faults[0].milestone(.healed).map { abs($0 - 480) < 1e-3 } == true)
        #expect(r.faults[1].milestone(.healed).map { abs($0 - 480) < 1e-3 } == true)
        expectSteadyState(sim, "recover")
    }

    /// `recover node/NAME` after a crash without `for:` lists what it brings back, and the
    /// crash's own timeline goes on to the node being Ready.
    @Test func recoverListsTheMilestonesOfWhatItRecovers() throws {
        let crash = FaultSpec(at: .minutes(5), action: .crash, target: .node("agents-1"))
        let recover = FaultSpec(at: .minutes(9), action: .recover, target: .node("agents-1"))
        let (r, sim) = run(try scenario(seed: 2, faults: [crash, recover]))
        for f in r.faults {
            #expect(f.milestone(.powerOn).map { abs($0 - 540) < 1e-3 } == true, "fault \(f.index): \(f.milestones.map(\.name))")
            #expect(
                f.milestone(.nodeReady).map { abs($0 - 540 - 45) < 1e-3 } == true, "fault \(f.index): \(f.milestones.map(\.name))"
            )
        }
        expectSteadyState(sim, "recover after crash")
    }

    /// A K3S restart longer than the grace period leaves the node Ready=Unknown meanwhile;
    /// the restarted kubelet posts Ready=True at once and the upgrade goes on to the end.
    @Test func longK3sRestartsStillCompleteTheUpgrade() throws {
        var spec = try Support.scenario("k3s-upgrade.yaml")
        for i in spec.faults.indices where spec.faults[i].action == .upgrade {
            spec.faults[i].upgrade.restartTime = .seconds(90)
        }
        let (r, sim) = run(spec)
        let upgrade = try #require(r.faults.first { $0.action == "upgrade" })
        #expect(upgrade.milestone(.completed) != nil, "\(upgrade.milestones.map(\.name))")
        expectSteadyState(sim, "upgrade")
    }

    /// Control-plane milestones belong to the fault that caused them: a leader crash at 17m
    /// is not filed under an earlier crash of another server.
    @Test(arguments: [UInt64](1...10))
    func controlPlaneMilestonesGoToTheirCause(seed: UInt64) throws {
        var first = FaultSpec(at: .minutes(5), action: .crash, target: .node("server-0"))
        first.duration = .minutes(5)
        var second = FaultSpec(at: .minutes(17), action: .crash, target: .controlPlaneLeader)
        second.duration = .minutes(2)
        var spec = try scenario(seed: seed, faults: [first, second])
        spec.duration = .minutes(25)
        let (r, _) = run(spec)
        for m in r.faults[0].milestones where [MilestoneName.leaderLost, .leaderElected, .quorumLost].contains(m.name) {
            #expect(m.at < 17 * 60, "seed \(seed): fault 0 lists \(m.name) at \(m.at)")
        }
        #expect(r.faults[1].milestone(.leaderLost).map { abs($0 - 17 * 60) < 1e-3 } == true)
        #expect(r.faults[1].milestone(.leaderElected) != nil)
    }

    /// Generated fault plans: every action that ends by itself (`for:`), on random nodes or
    /// locations at random times, two or three per run, then a drain of a random agent
    /// (uncordoned 5 min later) against a CloudNativePG cluster and a PDB on `web`. Whatever
    /// happened, 15 minutes after the last fault ended — enough for the grace period, the
    /// 300 s toleration and a replacement — the cluster is back in steady state; after every
    /// event no node turned Ready without a kubelet that could write, no two instances ran as
    /// primaries and no eviction broke a budget (`run`).
    @Test(arguments: [UInt64](1...16))
    func everyFaultWithForEndsInSteadyState(seed: UInt64) throws {
        var rng = RandomStream(seed: seed, entity: "recovery-plan", purpose: "faults")
        let nodes = ["server-0", "server-1", "server-2", "agents-0", "agents-1", "agents-2"]
        let zones = ["fsn1", "nbg1", "hel1"]
        let actions: [FaultSpec.Action] = [.crash, .outage, .partition, .hostFailure, .restart, .runtimeDown, .slowDisk]
        var faults: [FaultSpec] = []
        var at = SimTime.minutes(3)
        var lastEnd = SimTime.zero
        for _ in 0..<(2 + Int(rng.next() % 2)) {
            let action = actions[Int(rng.next() % UInt64(actions.count))]
            let target: FaultSpec.Target =
                action == .partition || rng.next() % 4 == 0
                ? .zone(zones[Int(rng.next() % 3)]) : .node(nodes[Int(rng.next() % UInt64(nodes.count))])
            let duration = SimTime.seconds(Int64(30 + rng.next() % 600))
            faults.append(FaultSpec(at: at, action: action, target: target, duration: duration))
            lastEnd = max(lastEnd, at + duration + (action == .hostFailure ? .seconds(60) : .zero))
            at = at + .seconds(Int64(60 + rng.next() % 300))
        }
        // Drawn after the plan above, so the first faults are those of the plans before.
        let drainAt = SimTime.minutes(3) + .seconds(Int64(rng.next() % 900))
        var drain = FaultSpec(at: drainAt, action: .drain, target: .node("agents-\(rng.next() % 3)"))
        drain.timeout = .minutes(4)
        faults.append(drain)
        faults.append(FaultSpec(at: drainAt + .minutes(5), action: .uncordon, target: drain.target))
        lastEnd = max(lastEnd, drainAt + .minutes(5))
        var spec = try scenario(seed: seed, faults: faults)
        try Self.addBudgetedWorkloads(&spec)
        spec.duration = lastEnd + .minutes(15)
        let (_, sim) = run(spec)
        expectSteadyState(
            sim, "seed \(seed): \(faults.map { "\($0.action.rawValue) \($0.target) at \($0.at) for \($0.duration ?? .zero)" })")
        #expect(sim.cnpgOperator.runningPrimaries(0, in: sim).count == 1)
    }

    /// cnpg-failover.yaml's three-instance cluster and a PDB keeping two of web's three pods.
    static func addBudgetedWorkloads(_ spec: inout ClusterSpec) throws {
        spec.workloads.cnpgClusters += try Support.scenario("cnpg-failover.yaml").workloads.cnpgClusters
        spec.workloads.podDisruptionBudgets.append(
            try Support.decode(
                PodDisruptionBudget.self,
                #"{"metadata": {"name": "web", "namespace": "default"}, "spec": {"selector": {"matchLabels": {"app": "web"}}, "minAvailable": 2}}"#
            ))
    }
}
