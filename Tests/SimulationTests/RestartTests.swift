import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// A K3S restart stops everything that runs in the process — kubelet, etcd member, API
/// server, controller-manager and scheduler — and a container runtime that stops answering
/// turns a node Ready=False while its Lease stays fresh.
struct RestartTests {
    func scenario(seed: UInt64, faults: [FaultSpec]) throws -> ClusterSpec {
        try Support.etcdScenario(seed: seed, faults: faults)
    }

    func fault(_ action: FaultSpec.Action, _ target: FaultSpec.Target, at: SimTime = .minutes(5), for duration: SimTime)
        -> FaultSpec
    {
        FaultSpec(at: at, action: action, target: target, duration: duration)
    }

    /// etcd's Stop transfers leadership before the member goes: writes pause for two round
    /// trips, not an election timeout, and no election timer decides the new leader.
    @Test(arguments: [UInt64](1...10))
    func restartingTheLeadersServerTransfersLeadership(seed: UInt64) throws {
        let sim = ClusterSimulation(
            spec: try scenario(seed: seed, faults: [fault(.restart, .controlPlaneLeader, for: .seconds(90))]))
        let r = sim.run()
        let f = r.faults[0]
        let transfer = try #require(f.milestone(.leaderTransfer))
        let elected = try #require(f.milestone(.leaderElected))
        #expect(elected - transfer < 0.1, "seed \(seed): \(elected - transfer) s without a leader")
        #expect(r.controlPlane.writeUnavailableSeconds < 0.1)
        #expect(r.controlPlane.leaderChanges == 1)
        // The restarted server is back and Ready at the end.
        #expect(sim.nodes.allSatisfy { $0.ready == .isTrue })
    }

    /// kube-scheduler releases its Lease on a graceful stop (ReleaseOnCancel) and another
    /// server takes it within a retry period; kube-controller-manager does not release it and
    /// is taken over only once it expired (leaseDuration after its last renewal).
    @Test func leasesMoveOffARestartingServer() throws {
        var schedulerChecked = 0, managerChecked = 0
        for seed in UInt64(1)...20 {
            for server in ["server-0", "server-1", "server-2"] {
                let r = ClusterSimulation(
                    spec: try scenario(seed: seed, faults: [fault(.restart, .node(server), for: .seconds(90))])
                ).run()
                let f = r.faults[0]
                if let lost = f.milestone(.schedulerLeaseLost) {
                    schedulerChecked += 1
                    let resumed = try #require(f.milestone(.schedulerResumed))
                    #expect(resumed - lost <= 2.01, "seed \(seed) \(server): scheduler back after \(resumed - lost) s")
                }
                if let lost = f.milestone(.controllerManagerLeaseLost) {
                    managerChecked += 1
                    let resumed = try #require(f.milestone(.controllerManagerResumed))
                    #expect(
                        resumed - lost >= 13 - 0.01 && resumed - lost <= 15 + 2.01,
                        "seed \(seed) \(server): controller-manager back after \(resumed - lost) s")
                }
            }
        }
        #expect(schedulerChecked > 0 && managerChecked > 0)
    }

    /// An in-place upgrade restarts every server one by one, so the etcd leadership moves at
    /// least once, by transfer, without an election timeout's worth of failed writes.
    @Test func upgradingTheServersMovesTheLeadership() throws {
        let spec = try Support.scenario("k3s-upgrade.yaml")
        let r = ClusterSimulation(spec: spec).run()
        let upgrade = try #require(r.faults.first { $0.action == "upgrade" })
        #expect(upgrade.milestone(.leaderTransfer) != nil)
        #expect(r.controlPlane.leaderChanges >= 1)
        #expect(r.controlPlane.writeUnavailableSeconds < 1)
    }

    /// Runtime down: the kubelet reports Ready=False at its next status sync (≤ 10 s); the
    /// node gets the not-ready NoExecute taint, its pods stay Ready (the node lifecycle
    /// controller marks pods NotReady only for nodes it sets to Unknown) until evicted after
    /// their not-ready toleration (300 s); once the runtime is back the node is Ready again.
    @Test(arguments: [UInt64](1...8))
    func runtimeDownTaintsNotReadyAndRecovers(seed: UInt64) throws {
        let spec = try scenario(seed: seed, faults: [fault(.runtimeDown, .node("agents-1"), for: .minutes(8))])
        let sim = ClusterSimulation(spec: spec)
        var servingAtFiveMinutes = 0
        sim.afterEvent = { s in
            if s.now < .seconds(300 + 290), s.now > .seconds(300 + 11) {
                // Before the eviction the pods on agents-1 keep serving.
                servingAtFiveMinutes = max(
                    servingAtFiveMinutes, s.nodes[s.nodeIndex["agents-1"]!].pods.filter { s.pods[$0]?.serving == true }.count)
            }
        }
        let r = sim.run()
        let f = r.faults[0]
        let notReady = try #require(f.milestone(.nodeNotReady))
        #expect(notReady > 300 && notReady <= 310.01)
        let tainted = try #require(f.milestone(.nodeTainted))
        #expect(f.milestones.first { $0.name == .nodeTainted }?.mechanism.contains(Taint.notReadyKey) == true)
        if let evicted = f.milestone(.podsEvicted) { #expect(abs(evicted - tainted - 300) < 1) }
        let up = try #require(f.milestone(.runtimeUp))
        let ready = try #require(f.milestone(.nodeReady))
        #expect(ready > up && ready <= up + 10.01)
        #expect(sim.nodes.allSatisfy { $0.ready == .isTrue && !$0.taints.contains { $0.key == Taint.notReadyKey } })
        #expect(sim.workloads.allSatisfy { $0.ready >= $0.desired })
        if (f.stats["podsOnNodes"] ?? 0) > 0 { #expect(servingAtFiveMinutes > 0) }
    }
}

/// The system-upgrade-controller runs the drain as the init container of each node's
/// upgrade Job: a drain that cannot succeed fails the Job, and the plan stops there.
struct UpgradeJobTests {
    /// A pod without a controller on agents-1 makes every drain attempt fail (no --force): the
    /// Job's pods are retried with back-off until activeDeadlineSeconds (900 s), then the Job
    /// fails. agents-1 stays cordoned and is not restarted, the plan (concurrency 1) does not
    /// go past it, and the upgrade never reports `completed`.
    @Test func aDrainThatCannotSucceedFailsTheJobAndStopsThePlan() throws {
        var spec = try Support.scenario("k3s-upgrade.yaml")
        spec.duration = .minutes(60)
        spec.workloads.pods.append(
            try Support.decode(
                PodManifest.self,
                #"{"metadata": {"name": "lonely", "namespace": "default"}, "spec": {"nodeName": "agents-1", "containers": [{"name": "c", "image": "x:1"}]}}"#
            ))
        let sim = ClusterSimulation(spec: spec)
        let r = sim.run()
        let upgrade = try #require(r.faults.first { $0.action == "upgrade" })
        let failed = try #require(upgrade.milestones.first { $0.name == .upgradeFailed })
        #expect(
            failed.mechanism.contains("agents-1") && failed.mechanism.contains("cannot delete Pods that declare no controller"))
        #expect(failed.mechanism.contains("activeDeadlineSeconds"))
        #expect(upgrade.milestone(.completed) == nil)
        let agent = try #require(sim.nodes.first { $0.name == "agents-1" })
        #expect(agent.unschedulable)
        // The servers (first) and the agents before agents-1 were upgraded, none after it.
        let servers = spec.nodes.filter { $0.pool == "control-plane" }.count
        let agentsBefore = spec.nodes.filter { $0.pool != "control-plane" }.prefix { $0.name != "agents-1" }.count
        #expect(upgrade.stats["nodesUpgraded"] == Double(servers + agentsBefore))
        // The Job failed 900 s after its drain started (the drain cordons the node at once).
        let cordoned = try #require(
            r.series.first { $0.kind == "nodeState" && $0.entity == "agents-1" }?.points.first { $0.label == "Upgrading" })
        #expect(abs(failed.at - cordoned.t - 900) < 1, "failed \(failed.at - cordoned.t) s after the Job started")
    }
}
