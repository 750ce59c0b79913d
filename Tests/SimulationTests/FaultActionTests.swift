import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// scale, delete-pod, recover and Recreate, on a small cluster with constant timings.
struct FaultActionTests {
    func run(_ deployment: Deployment, faults: [FaultSpec], nodes: Int = 2) -> RunRecord {
        var w = Workloads()
        w.deployments = [deployment]
        let spec = ClusterSpec(
            name: "t", duration: .seconds(300), nodes: (1...nodes).map { Support.node("n\($0)") },
            workloads: w, timing: [Support.constantTiming], faults: faults)
        return ClusterSimulation(spec: spec).run()
    }

    @Test func scaleUpCompletesWhenTheNewPodsAreReady() throws {
        let r = run(
            Support.deployment("web", replicas: 2),
            faults: [
                FaultSpec(at: .seconds(60), action: .scale, target: .deployment(namespace: "default", name: "web"), replicas: 5)
            ])
        let f = r.faults[0]
        #expect(f.milestone(.started) == 60)
        // Image already on both nodes: sync 10 ms, RS sync 10 ms, bind, admit, start 1 s.
        let completed = try #require(f.milestone(.completed))
        #expect(completed > 61 && completed < 62)
        #expect(r.workloads[0].desiredReplicas == 5)
    }

    @Test func scaleDownRemovesPods() {
        let r = run(
            Support.deployment("web", replicas: 4),
            faults: [
                FaultSpec(at: .seconds(60), action: .scale, target: .deployment(namespace: "default", name: "web"), replicas: 1)
            ])
        let last = r.series.first { $0.entity == "default/web" }?.points.last
        #expect(last?.value == 1)
        #expect(r.faults[0].milestone(.completed) != nil)
    }

    @Test func deletedPodIsReplacedAtOnce() throws {
        let r = run(
            Support.deployment("web", replicas: 3),
            faults: [
                FaultSpec(at: .seconds(60), action: .deletePod, target: .deployment(namespace: "default", name: "web"), count: 1)
            ])
        let f = r.faults[0]
        #expect(f.milestone(.deleted) == 60)
        // The replacement is created at once (terminating pods do not count) and starts from a cached image.
        let ready = try #require(f.milestone(.replacementsReady))
        #expect(ready > 61 && ready < 62, "replacement Ready at \(ready)")
        #expect(r.workloads[0].minReadyReplicas == 2)
    }

    @Test func recoverBringsACrashedNodeBack() throws {
        let r = run(
            Support.deployment("web", replicas: 2),
            faults: [
                FaultSpec(at: .seconds(60), action: .crash, target: .node("n1")),
                FaultSpec(at: .seconds(100), action: .recover, target: .node("n1")),
            ])
        // Back before the grace period ran out: pods restart on n1, no eviction.
        let states = r.series.first { $0.kind == "nodeState" && $0.entity == "n1" }?.points.map { $0.label ?? "" } ?? []
        #expect(states.contains("Down"))
        #expect(states.last == "Ready")
        #expect(r.faults[0].milestone(.podsEvicted) == nil)
        #expect(r.faults[0].milestone(.recovered) != nil)
    }

    @Test func recreateStopsEveryOldPodFirst() throws {
        var d = Support.deployment("web", replicas: 3)
        d.strategy.type = .Recreate
        let r = run(
            d,
            faults: [
                FaultSpec(
                    at: .seconds(60), action: .rollout, target: .deployment(namespace: "default", name: "web"), image: "app:2")
            ])
        #expect(r.faults[0].stats["minAvailable"] == 0)
        #expect(r.faults[0].stats["maxPods"] == 3)
        #expect(r.faults[0].milestone(.completed) != nil)
        #expect(r.workloads[0].secondsUnavailable > 0)
    }
}

/// minReadySeconds: a pod counts as available only after being Ready that long, which
/// paces a rolling update.
struct MinReadySecondsTests {
    @Test func rolloutWaitsMinReadySecondsPerStep() throws {
        var d = Support.deployment("web", replicas: 2, strategy: DeploymentStrategy(maxSurge: .int(1), maxUnavailable: .int(0)))
        d.minReadySeconds = 30
        var w = Workloads()
        w.deployments = [d]
        let spec = ClusterSpec(
            name: "t", duration: .minutes(10), nodes: [Support.node("n1")], workloads: w,
            timing: [Support.constantTiming],
            faults: [FaultSpec(at: .seconds(120), action: .rollout, target: .deployment(namespace: "default", name: "web"))])
        let f = ClusterSimulation(spec: spec).run().faults[0]
        let completed = try #require(f.milestone(.completed))
        // Two steps (surge 1, unavailable 0), each: new pod Ready ≈ 1 s (cached image), then
        // 30 s until available before an old pod may go: at least 2 × 30 s.
        #expect(completed - 120 >= 60 && completed - 120 < 66, "completed after \(completed - 120) s")
        #expect(f.stats["minAvailable"] == 2)
        #expect(f.stats["maxPods"] == 3)
    }
}

/// StatefulSet and DaemonSet rolling updates.
struct WorkloadRolloutTests {
    @Test(arguments: [UInt64](1...5))
    func statefulSetRollsOnePodAtATime(seed: UInt64) throws {
        var spec = try Support.scenario("statefulset-rwo.yaml")
        spec.seed = seed
        spec.faults = [
            FaultSpec(
                at: .minutes(10), action: .rollout, target: .statefulSet(namespace: "default", name: "queue"),
                image: "example/queue:3")
        ]
        let sim = ClusterSimulation(spec: spec)
        var worst = Int.max
        sim.afterEvent = { s in
            guard s.now >= .minutes(10), let w = s.workloads.firstIndex(where: { $0.name == "default/queue" }) else { return }
            worst = min(worst, s.workloads[w].ready)
        }
        let r = sim.run()
        let f = r.faults[0]
        #expect(f.milestone(.completed) != nil)
        #expect(worst == 2, "one pod down at a time")
        #expect(f.stats["maxPods"] == 3)
        #expect(
            sim.pods.values.filter { $0.labels["app"] == "queue" }.allSatisfy { $0.spec.containers[0].image == "example/queue:3" }
        )
    }

    @Test func daemonSetRollsWithinMaxUnavailable() throws {
        let ds = Support.daemonSet("agent", image: "agent:1")
        var w = Workloads()
        w.daemonSets = [ds]
        let nodes = (1...4).map { Support.node("n\($0)") }
        let spec = ClusterSpec(
            name: "t", duration: .minutes(5), nodes: nodes, workloads: w, timing: [Support.constantTiming],
            faults: [
                FaultSpec(
                    at: .minutes(1), action: .rollout, target: .daemonSet(namespace: "default", name: "agent"), image: "agent:2")
            ])
        let sim = ClusterSimulation(spec: spec)
        var worst = Int.max
        sim.afterEvent = { s in if s.now >= .minutes(1) { worst = min(worst, s.workloads[0].ready) } }
        let r = sim.run()
        #expect(r.faults[0].milestone(.completed) != nil)
        #expect(worst == 3, "maxUnavailable 1 of 4")
        #expect(sim.pods.values.allSatisfy { $0.spec.containers[0].image == "agent:2" })
    }
}
