import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// Managed node pool upgrades: timelines worked out by hand from the provider's settings, a
/// provisioning time of 90 s, the upgrade at 300 s, and pools without evictable pods (so a
/// drain ends as it starts) unless a PodDisruptionBudget is meant to block it.
struct NodePoolUpgradeTests {
    static func cluster(
        nodes count: Int, zones: [String] = ["a"], settings: NodePoolUpgradeSettings,
        blockingBudget: Bool = false, duration: SimTime = .minutes(30)
    ) throws -> ClusterSimulation {
        let nodes = (0..<count).map { i in
            var n = Support.node("p-\(i)", zone: zones[i % zones.count])
            n.pool = "p"
            return n
        }
        var w = Workloads()
        if blockingBudget {
            // One replica and minAvailable 1: every eviction is refused (429).
            w.deployments = [Support.deployment("web", replicas: 1)]
            w.podDisruptionBudgets = [
                try Support.decode(
                    PodDisruptionBudget.self,
                    #"{"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"}, "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "web"}}}}"#
                )
            ]
        }
        var fault = FaultSpec(at: .seconds(300), action: .upgrade, target: .pool("p"))
        fault.upgrade.strategy = .surge
        fault.upgrade.provisionTime = .seconds(90)
        fault.upgrade.nodePool = settings
        return ClusterSimulation(
            spec: ClusterSpec(
                name: "t", duration: duration, nodes: nodes, workloads: w, timing: [Support.constantTiming],
                faults: [fault]))
    }

    static func live(_ sim: ClusterSimulation) -> [String] { sim.nodes.filter { !$0.deleted }.map(\.name).sorted() }

    /// maxSurge 1, maxUnavailable 0: three sequential rounds of 90 s (surge node Ready, old
    /// node drained and deleted at once): done at 300 + 3·90 = 570 s.
    @Test func gkeDefaultsUpgradeOneNodeAtATime() throws {
        let sim = try Self.cluster(nodes: 3, settings: .gke())
        let f = sim.run().faults[0]
        #expect(f.milestone(.started) == 300)
        #expect(f.milestone(.completed) == 570)
        #expect(f.milestone(.nodeReady) == 570, "the last surge node")
        #expect(f.milestone(.nodeDeleted) == 570)
        #expect(f.stats["nodesUpgraded"] == 3)
        #expect(f.stats["maxNodesUnavailable"] == 0, "every node had its replacement first")
        #expect(Self.live(sim) == ["p-3", "p-4", "p-5"])
    }

    /// maxSurge 2: two surge nodes at once, then the third: 300 + 2·90 = 480 s.
    @Test func gkeMaxSurgeTwoTakesTwoRounds() throws {
        let sim = try Self.cluster(nodes: 3, settings: .gke(maxSurge: 2))
        let f = sim.run().faults[0]
        #expect(f.milestone(.completed) == 480)
        #expect(f.stats["nodesUpgraded"] == 3)
        #expect(Self.live(sim).count == 3)
    }

    /// maxSurge 0, maxUnavailable 1: each node drained and deleted first (300, 390, 480),
    /// its replacement Ready 90 s later: done at 570 with one node unavailable at a time.
    @Test func gkeMaxUnavailableDrainsWithoutReplacementFirst() throws {
        let sim = try Self.cluster(nodes: 3, settings: .gke(maxSurge: 0, maxUnavailable: 1))
        let f = sim.run().faults[0]
        #expect(f.milestone(.cordoned) == 480, "the third node, drained before its replacement exists")
        #expect(f.milestone(.nodeDeleted) == 480)
        #expect(f.milestone(.completed) == 570)
        #expect(f.stats["maxNodesUnavailable"] == 1)
    }

    /// A PodDisruptionBudget that never allows the eviction: GKE waits one hour from the drain
    /// start (390 s), then deletes the pod and the node: 390 + 3600 = 3990 s.
    @Test func gkeDrainsAnywayAfterOneHour() throws {
        let sim = try Self.cluster(nodes: 1, settings: .gke(), blockingBudget: true, duration: .minutes(70))
        let f = sim.run().faults[0]
        #expect(f.milestone(.cordoned) == 390)
        #expect(f.milestone(.drainForced) == 3990)
        #expect(f.milestone(.completed) == 3990)
        #expect(f.milestones.first { $0.name == .drainForced }?.mechanism.contains("GKE") == true)
    }

    /// EKS, one zone, maxUnavailable 1: scale-up by max(2·1, 1) = 2 nodes (Ready 390); then
    /// each old node drained and terminated 60 s later (450, 510, 570); then the scale-down
    /// phase removes the 2 scale-up nodes the same way (630, 690).
    @Test func eksPhasesInOrder() throws {
        let sim = try Self.cluster(nodes: 3, settings: .eks())
        let f = sim.run().faults[0]
        #expect(f.milestone(.nodeDeleted) == 690)
        #expect(f.milestone(.completed) == 690)
        #expect(f.stats["nodesUpgraded"] == 3)
        // The Auto Scaling group replaced each terminated instance 90 s after it went.
        #expect(Self.live(sim) == ["p-5", "p-6", "p-7"])
    }

    /// Three zones: the scale-up phase launches 2·3 = 6 nodes.
    @Test func eksScaleUpIsTwiceTheZones() throws {
        let sim = try Self.cluster(nodes: 3, zones: ["a", "b", "c"], settings: .eks())
        var most = 0
        sim.afterEvent = { s in most = max(most, s.nodes.filter { !$0.deleted }.count) }
        let f = sim.run().faults[0]
        #expect(most == 9)
        #expect(f.stats["nodesUpgraded"] == 3)
    }

    /// maxUnavailablePercentage 50 of 4 nodes: 2 at a time. Scale-up max(2, 2) = 2 at 390;
    /// old nodes in two pairs terminated at 450 and 510; scale-down of 2 at once: 570.
    @Test func eksPercentage() throws {
        let sim = try Self.cluster(nodes: 4, settings: .eks(percentage: 50))
        let f = sim.run().faults[0]
        #expect(f.milestone(.completed) == 570)
        #expect(f.stats["nodesUpgraded"] == 4)
    }

    /// A blocking budget: the drain starts at 390 (after scale-up); 15 minutes later the
    /// update fails (PodEvictionFailure) and nothing more is upgraded.
    @Test func eksFailsTheUpdateAfterFifteenMinutes() throws {
        let sim = try Self.cluster(nodes: 1, settings: .eks(), blockingBudget: true)
        let f = sim.run().faults[0]
        #expect(f.milestone(.upgradeFailed) == 1290)
        #expect(f.milestone(.completed) == nil)
        #expect(f.stats["nodesUpgraded"] == 0)
        #expect(f.milestones.first { $0.name == .upgradeFailed }?.mechanism.contains("PodEvictionFailure") == true)
        #expect(Self.live(sim).contains("p-0"), "the node stays, cordoned")
    }

    /// Forced: the pods are deleted at 1290 instead and the update goes on.
    @Test func eksForcedUpdateDeletesThePods() throws {
        let sim = try Self.cluster(nodes: 1, settings: .eks(force: true), blockingBudget: true, duration: .minutes(60))
        let f = sim.run().faults[0]
        #expect(f.milestone(.drainForced).map { $0 >= 1290 } == true)
        #expect(f.milestones.first { $0.name == .drainForced }?.mechanism.contains("p-0") == true)
        #expect(f.milestone(.upgradeFailed) == nil)
        #expect(f.stats["nodesUpgraded"] == 1)
    }

    /// LKE recycle: one node at a time, deleted (300, 390, 480) then replaced 90 s later.
    @Test func lkeRecyclesOneNodeAtATime() throws {
        let sim = try Self.cluster(nodes: 3, settings: .lke)
        var fewest = Int.max
        sim.afterEvent = { s in if s.now >= .seconds(300) { fewest = min(fewest, s.nodes.filter { !$0.deleted }.count) } }
        let f = sim.run().faults[0]
        #expect(f.milestone(.nodeDeleted) == 480)
        #expect(f.milestone(.completed) == 570)
        #expect(fewest == 2, "one node down at a time")
        #expect(Self.live(sim) == ["p-3", "p-4", "p-5"])
    }
}
