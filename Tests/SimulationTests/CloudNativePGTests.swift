import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// CloudNativePG failover and switchover (cloudnative-pg v1.30, docs/src/failover.md).
struct CloudNativePGTests {
    /// The node of the primary crashes: NotReady after 40–55 s, then the Lease wait (15 s)
    /// and promotion (2 s): a new primary after about 60–80 s.
    @Test(arguments: [UInt64](1...20))
    func primaryNodeCrashPromotesAReplica(seed: UInt64) throws {
        var spec = try Support.scenario("cnpg-failover.yaml")
        spec.seed = seed
        let sim = ClusterSimulation(spec: spec)
        var primaries: [Int] = []
        sim.afterEvent = { s in
            for c in s.pgClusters {
                let n = c.podBySerial.values.compactMap { s.pods[$0] }
                    .filter { $0.labels["cnpg.io/instanceRole"] == "primary" && $0.serving }.count
                primaries.append(n)
            }
        }
        let r = sim.run()
        let f = r.faults[0]
        let unready = try #require(f.milestone(.primaryUnready))
        let promoted = try #require(f.milestone(.newPrimary))
        #expect(unready - f.at >= 40 && unready - f.at <= 55.5)
        #expect(promoted - f.at >= 55 && promoted - f.at <= 80, "new primary after \(promoted - f.at) s")
        #expect(primaries.allSatisfy { $0 <= 1 }, "at most one primary at a time")
        let db = try #require(r.workloads.first { $0.kind == "Cluster" })
        let without = try #require(db.secondsWithoutPrimary)
        #expect(without >= 55 && without <= 80)
        // The old primary's pod is not replaced before its eviction (it only comes back with its node).
        let points = try #require(r.series.first { $0.entity == db.name }).points
        let evicted = f.milestone(.podsEvicted) ?? .infinity
        #expect(!points.contains { $0.t > f.at && $0.t < evicted && $0.value == 3 })
    }

    /// Draining the primary's node: the operator switches over first; the primary PDB
    /// (minAvailable 1) holds the eviction until then.
    @Test func drainSwitchesOverBeforeEvictingThePrimary() throws {
        var spec = try Support.scenario("cnpg-failover.yaml")
        spec.faults = [FaultSpec(at: .minutes(10), action: .drain, target: .nodeOfPod(namespace: "shop", name: "shop-db-1"))]
        let sim = ClusterSimulation(spec: spec)
        var primaries: [Int] = []
        sim.afterEvent = { s in
            for c in s.pgClusters {
                primaries.append(
                    c.podBySerial.values.compactMap { s.pods[$0] }
                        .filter { $0.labels["cnpg.io/instanceRole"] == "primary" && $0.serving }.count)
            }
        }
        let r = sim.run()
        let f = r.faults[0]
        #expect(f.milestone(.switchoverStarted) != nil)
        let promoted = try #require(f.milestone(.newPrimary))
        #expect(promoted - f.at < 15, "switchover in seconds")
        let drained = try #require(f.milestone(.drained))
        #expect(drained > promoted, "the primary PDB holds the eviction until the switchover is done")
        #expect((f.stats["evictionRetries"] ?? 0) >= 1)
        #expect(primaries.allSatisfy { $0 <= 1 })
        let db = try #require(r.workloads.first { $0.kind == "Cluster" })
        #expect((db.secondsWithoutPrimary ?? 99) < 15)
    }

    @Test func pdbsAreCreated() throws {
        let sim = ClusterSimulation(spec: try Support.scenario("cnpg-failover.yaml"))
        #expect(sim.pdbs.map(\.metadata.name) == ["shop-db-primary", "shop-db"])
        #expect(sim.pdbs[1].minAvailable == .int(1))
    }
}

/// The primary isolation check (cloudnative-pg v1.27+, liveness.go IsHealthy): a primary cut
/// off from the API server and from another instance fails its liveness probe and the kubelet
/// stops it, so the side that keeps the API promotes a replica without a split brain.
struct PrimaryIsolationTests {
    /// The primary's location is cut off for 2 min (its pod is not evicted: the old instance
    /// restarts after the heal as a replica) or 10 min (evicted, recreated after the heal).
    @Test(arguments: [UInt64](1...6), [2, 10])
    func aPartitionedPrimaryStopsAndTheOtherSidePromotes(seed: UInt64, minutes: Int64) throws {
        var spec = try Support.scenario("cnpg-failover.yaml")
        spec.seed = seed
        var cut = FaultSpec(at: .minutes(10), action: .partition, target: .nodeOfPod(namespace: "shop", name: "shop-db-1"))
        cut.duration = .minutes(minutes)
        spec.faults = [cut]
        let sim = ClusterSimulation(spec: spec)
        var most = 0
        var oldZone: Int?
        sim.afterEvent = { s in
            most = max(most, s.cnpgOperator.runningPrimaries(0, in: s).count)
            if oldZone == nil, s.now >= SimTime.minutes(10), let id = s.pgClusters[0].podBySerial[1], let n = s.pods[id]?.node {
                oldZone = s.nodes[n].zone
            }
        }
        let r = sim.run()
        let f = r.faults[0]
        let isolated = try #require(f.milestone(.primaryIsolated), "\(f.milestones.map(\.name))")
        // The first probe after the cut fails (within one period), the kubelet acts on the
        // third (2 periods later) once the probe has answered (500 ms Get, 1000 ms dial).
        let afterThird = isolated - f.at - 2 * 10 - 1.5
        #expect(afterThird > 0 && afterThird <= 10, "stopped \(isolated - f.at) s after the cut")
        let promoted = try #require(f.milestone(.newPrimary))
        #expect(isolated < promoted, "stopped before the other side promotes")
        #expect(promoted - f.at >= 40 + 15 + 2 && promoted - f.at <= 80, "promoted \(promoted - f.at) s after the cut")
        let c = sim.pgClusters[0]
        let newPrimary = try #require(c.primary)
        #expect(newPrimary != 1)
        let node = try #require(c.podBySerial[newPrimary].flatMap { sim.pods[$0]?.node })
        #expect(sim.nodes[node].zone != oldZone, "the new primary is on the side that keeps the API")
        #expect(most == 1, "never two instances running as primaries")
        #expect(sim.cnpgOperator.runningPrimaries(0, in: sim) == [newPrimary])
        let labelled = c.podBySerial.values.compactMap { sim.pods[$0] }.filter { $0.labels["cnpg.io/instanceRole"] == "primary" }
        #expect(labelled.count == 1)
        let db = try #require(r.workloads.first { $0.kind == "Cluster" })
        #expect(r.pendingPodsAtEnd == 0 && db.minReadyReplicas <= 2)
        #expect(
            sim.pods.values.filter { $0.workload == sim.pgClusters[0].workload && $0.serving }.count == 3,
            "all three instances serve again after the heal")
    }

    /// Cut off for 40 s: the liveness check stops the primary (21.5–31.5 s after the cut),
    /// the partition heals before the other side's failover has promoted anyone (it waits
    /// 15 s for the unreleased Lease), and the kubelet restarts PostgreSQL — as the primary it
    /// still is, or as a replica when a promotion finished meanwhile. The time without a
    /// primary ends with that restart or promotion, not with the run.
    @Test(arguments: [UInt64](1...6))
    func aPrimaryStoppedAndRestartedInPlaceEndsItsOutage(seed: UInt64) throws {
        var spec = try Support.scenario("cnpg-failover.yaml")
        spec.seed = seed
        var cut = FaultSpec(at: .minutes(10), action: .partition, target: .nodeOfPod(namespace: "shop", name: "shop-db-1"))
        cut.duration = .seconds(40)
        spec.faults = [cut]
        let sim = ClusterSimulation(spec: spec)
        let r = sim.run()
        let f = r.faults[0]
        let isolated = try #require(f.milestone(.primaryIsolated), "\(f.milestones.map(\.name))")
        let db = try #require(r.workloads.first { $0.kind == "Cluster" })
        let without = try #require(db.secondsWithoutPrimary)
        let healed = try #require(f.milestone(.healed))
        #expect(without > 0, "the stop cost a primary")
        let back = max(healed, f.milestone(.newPrimary) ?? 0)
        #expect(without <= back - isolated + 30, "\(without) s without a primary; stopped \(isolated - f.at) s after the cut")
        #expect(sim.pgClusters[0].primary != nil)
        #expect(sim.cnpgOperator.runningPrimaries(0, in: sim).count == 1)
    }

    /// With `isolationCheck.enabled: false` the cut-off primary keeps running as a primary
    /// while the other side promotes: two primaries until the partition heals (the split
    /// brain docs/src/failover.md warns of).
    @Test func withoutTheCheckBothSidesHaveAPrimary() throws {
        var spec = try Support.scenario("cnpg-failover.yaml")
        spec.workloads.cnpgClusters[0].isolationCheck = false
        var cut = FaultSpec(at: .minutes(10), action: .partition, target: .nodeOfPod(namespace: "shop", name: "shop-db-1"))
        cut.duration = .minutes(10)
        spec.faults = [cut]
        let sim = ClusterSimulation(spec: spec)
        var most = 0
        sim.afterEvent = { s in most = max(most, s.cnpgOperator.runningPrimaries(0, in: s).count) }
        let f = sim.run().faults[0]
        #expect(f.milestone(.primaryIsolated) == nil)
        #expect(f.milestone(.newPrimary) != nil)
        #expect(most == 2)
        #expect(sim.cnpgOperator.runningPrimaries(0, in: sim).count == 1, "one primary once the partition healed")
    }
}

/// A cluster of one instance: nothing to fail over to, and a primary again once it is back.
struct SingleInstancePGTests {
    /// The node of the only instance crashes for 12 minutes: no primary from the crash until
    /// the machine is back, K3S has started and PostgreSQL is Ready — not for the rest of the run.
    @Test(arguments: [UInt64](1...6))
    func theOnlyInstanceComesBackAsThePrimary(seed: UInt64) throws {
        var spec = try Support.scenario("cnpg-failover.yaml")
        spec.seed = seed
        spec.workloads.cnpgClusters[0].instances = 1
        let r = ClusterSimulation(spec: spec).run()
        let f = r.faults[0]
        #expect(f.milestone(.primaryUnready) != nil)
        let back = try #require(f.milestone(.primaryRecovered), "\(f.milestones.map(\.name))")
        #expect(f.milestone(.newPrimary) == nil)
        #expect(back > f.at + 12 * 60, "back at \(back - f.at) s, before the machine")
        let db = try #require(r.workloads.first { $0.kind == "Cluster" })
        let without = try #require(db.secondsWithoutPrimary)
        // No primary serves from the crash (its containers die with the machine) until it is back.
        #expect(abs(without - (back - f.at)) < 1, "\(without) s without primary, back \(back - f.at) s after the crash")
        #expect(without < r.simulatedSeconds - f.at - 60)
    }

    /// A primary cut off by a partition cannot release its Lease (its instance manager cannot
    /// reach the API): the promoted replica waits the full leaseDuration (15 s) as after a crash.
    @Test(arguments: [UInt64](1...6))
    func aPartitionedPrimaryIsAnAbruptLoss(seed: UInt64) throws {
        var spec = try Support.scenario("cnpg-failover.yaml")
        spec.seed = seed
        var cut = FaultSpec(at: .minutes(10), action: .partition, target: .nodeOfPod(namespace: "shop", name: "shop-db-1"))
        cut.duration = .minutes(10)
        spec.faults = [cut]
        let f = ClusterSimulation(spec: spec).run().faults[0]
        let unready = try #require(f.milestone(.primaryUnready))
        let promoted = try #require(f.milestone(.newPrimary))
        #expect(promoted - unready >= 15 + 2, "promoted \(promoted - unready) s after the primary went unready")
    }
}
