import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// StatefulSets, ReadWriteOnce volumes and the attach/detach controller after a node loss.
struct StorageTests {
    func scenario(seed: UInt64 = 9, replacing second: FaultSpec? = nil) throws -> ClusterSimulation {
        var spec = try Support.scenario("statefulset-rwo.yaml")
        spec.seed = seed
        if let second { spec.faults[1] = second }
        return ClusterSimulation(spec: spec)
    }

    /// Invariants checked after every event: at most one pod object per StatefulSet
    /// identity, and no ReadWriteOnce volume attached to two nodes.
    static func watch(_ sim: ClusterSimulation) -> () -> [String] {
        var problems: [String] = []
        sim.afterEvent = { s in
            var names = Set<String>()
            for p in s.pods.values {
                if case .statefulSet = p.owner, !names.insert(p.key).inserted { problems.append("two pods \(p.key) at \(s.now)") }
            }
            for (i, v) in s.attachDetach.attachments.enumerated()
            where v.attachedTo != nil && v.attaching != nil && v.attachedTo != v.attaching {
                problems.append("\(s.volumes[i].claim) attached to two nodes at \(s.now)")
            }
        }
        return { problems }
    }

    @Test(arguments: [UInt64](1...8))
    func statefulPodWaitsForTheOperator(seed: UInt64) throws {
        let sim = try scenario(seed: seed)
        let problems = Self.watch(sim)
        let r = sim.run()
        let crash = r.faults[0]
        let stuck = try #require(crash.milestone(.statefulPodStuck))
        #expect(stuck >= 300 + 40 + 300 - 0.1)
        // Nothing replaces queue-0 before the out-of-service taint at 17 min.
        let queue = try #require(r.series.first { $0.entity == "default/queue" })
        #expect(!queue.points.contains { $0.t > stuck && $0.t < 1020 && $0.value == 3 })
        let detached = try #require(crash.milestone(.volumeDetached))
        #expect(detached >= 1020 && detached <= 1020 + 20 + 0.1, "out-of-service: force detach without the 6-minute wait")
        #expect(try #require(crash.milestone(.recovered)) > detached)
        #expect(problems().isEmpty, "\(problems())")
    }

    /// The Deployment's replacement exists right after eviction and waits on Multi-Attach.
    @Test func deploymentReplacementWaitsOnMultiAttach() throws {
        let sim = try scenario()
        var replacementAt: Double?
        sim.afterEvent = { s in
            if replacementAt == nil,
                s.pods.values.contains(where: {
                    $0.labels["app"] == "uploads" && !$0.isTerminating && $0.node != nil && $0.node != 0
                })
            {
                replacementAt = s.now.seconds
            }
        }
        let r = sim.run()
        let evicted = try #require(r.faults[0].milestone(.podsEvicted))
        let placed = try #require(replacementAt)
        #expect(placed - evicted < 1, "the ReplicaSet replaces the evicted pod at once")
        #expect(r.faults[0].milestone(.volumeMultiAttach) != nil)
        let uploads = try #require(r.series.first { $0.entity == "default/uploads" })
        #expect(!uploads.points.contains { $0.t > placed && $0.t < 1020 && $0.value == 1 }, "not Ready before the volume is free")
    }

    /// Deleting the Node instead: PodGC force-deletes its pods after the quarantine, and
    /// the volume is force-detached 6 minutes after that (the node being unhealthy).
    @Test func deleteNodeFreesTheVolumeAfterSixMinutes() throws {
        let sim = try scenario(replacing: FaultSpec(at: .minutes(17), action: .deleteNode, target: .node("agents-0")))
        let problems = Self.watch(sim)
        let r = sim.run()
        let crash = r.faults[0]
        let forced = try #require(crash.milestone(.podsForceDeleted))
        #expect(forced >= 1020 + 40 && forced <= 1020 + 40 + 20 + 0.1)
        let detached = try #require(crash.milestone(.volumeDetached))
        #expect(abs(detached - (forced + 360)) < 0.1, "detach \(detached - forced) s after the force delete")
        #expect(crash.milestone(.recovered) != nil)
        #expect(problems().isEmpty)
    }

    /// PodGC runs every 20 s on its own grid; the first pass that finds the Node gone starts
    /// the 40 s quarantine, so orphaned pods go 40–60 s after the Node (pkg/controller/podgc
    /// `gcOrphaned`), depending on where the deletion falls in the grid.
    @Test func orphanedPodsGoFortyToSixtySecondsAfterTheNode() throws {
        var delays: [Double] = []
        for seed in UInt64(1)...12 {
            var spec = try Support.scenario("statefulset-rwo.yaml")
            spec.seed = seed
            spec.faults = [FaultSpec(at: .minutes(5), action: .deleteNode, target: .node("agents-0"))]
            let f = ClusterSimulation(spec: spec).run().faults[0]
            guard let forced = f.milestone(.podsForceDeleted) else { continue }
            delays.append(forced - 300)
        }
        #expect(!delays.isEmpty)
        #expect(delays.allSatisfy { $0 >= 40 && $0 <= 60 + 0.1 }, "\(delays)")
        #expect(Set(delays.map { ($0 * 10).rounded() }).count > 1, "the grid's phase varies with the seed: \(delays)")
    }

    /// A Hetzner host failure: the server restarts elsewhere; the pods come back with it.
    @Test func hostFailureBringsThePodsBackWithTheServer() throws {
        var spec = try Support.scenario("statefulset-rwo.yaml")
        spec.faults = [FaultSpec(at: .minutes(5), action: .hostFailure, target: .node("agents-0"))]
        let r = ClusterSimulation(spec: spec).run()
        let f = r.faults[0]
        let ready = try #require(f.milestone(.nodeReady))
        #expect(abs(ready - (300 + 60 + 45)) < 0.1, "restart delay 60 s + boot 45 s")
        let recovered = try #require(f.milestone(.recovered))
        #expect(recovered > ready && recovered < ready + 60)
        #expect(f.milestone(.podsEvicted) == nil, "back before the 300 s toleration ran out")
    }

    /// Deleting the Hetzner server: the cloud controller manager deletes the Node once it is
    /// NotReady; PodGC force-deletes its pods after the quarantine; the StatefulSet pod comes
    /// back on another node after the 6-minute force detach.
    @Test func deletedServerLosesItsNode() throws {
        var spec = try Support.scenario("statefulset-rwo.yaml")
        spec.faults = [FaultSpec(at: .minutes(5), action: .deleteServer, target: .node("agents-0"))]
        let r = ClusterSimulation(spec: spec).run()
        let f = r.faults[0]
        let notReady = try #require(f.milestone(.nodeNotReady))
        let deleted = try #require(f.milestone(.nodeDeleted))
        #expect(deleted - notReady <= 5.1, "within one controller pass")
        let forced = try #require(f.milestone(.podsForceDeleted))
        #expect(forced >= deleted + 40)
        #expect(try #require(f.milestone(.volumeDetached)) >= forced + 360 - 0.1)
        #expect(f.milestone(.recovered) != nil)
    }
}
