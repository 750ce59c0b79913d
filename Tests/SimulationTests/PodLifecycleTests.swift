import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// A pod's start-up timeline with constant timings, worked out by hand.
struct PodLifecycleTests {
    @Test func readinessFollowsTheProbeGrid() {
        // t=0 Deployment applied; +10 ms deployment sync creates the RS; +10 ms RS sync
        // creates the pod; +10 ms scheduler binds; +10 ms kubelet admits (probe grid starts,
        // t=0.04); pull 4 s → 4.04; start 1 s → 5.04; initialDelaySeconds 5 → the first
        // probe tick at or after 10.04 is 0.04 + 10 = 10.04; Ready is seen at 10.05.
        let d = Support.deployment("web", replicas: 1, probe: Probe(initialDelaySeconds: 5, periodSeconds: 10))
        var w = Workloads()
        w.deployments = [d]
        let spec = ClusterSpec(
            name: "t", duration: .seconds(60), nodes: [Support.node("n1")], workloads: w,
            timing: [Support.constantTiming])
        let record = ClusterSimulation(spec: spec).run()
        let points = record.series.first { $0.entity == "default/web" }?.points ?? []
        #expect(points.first.map { abs($0.t - 10.05) < 1e-6 } == true, "Ready at \(points.first?.t ?? -1)")
    }

    @Test func withoutProbeReadyWhenTheContainerRuns() {
        var w = Workloads()
        w.deployments = [Support.deployment("web", replicas: 2)]
        let spec = ClusterSpec(
            name: "t", duration: .seconds(60), nodes: [Support.node("n1")], workloads: w,
            timing: [Support.constantTiming])
        let points = ClusterSimulation(spec: spec).run().series.first { $0.entity == "default/web" }?.points ?? []
        // Both pods on n1: image pulls are serialized, but the second pod finds the image
        // already pulled: both start at 0.05 + 4 + 1 (second pod created/bound 2 ms later).
        #expect(points.count == 2)
        #expect(abs((points.first?.t ?? 0) - 5.05) < 0.01)
        #expect(points.last?.value == 2)
    }

    @Test func crashedNodeTakesItsPodsOutOfServiceAtOnce() {
        var w = Workloads()
        w.deployments = [Support.deployment("web", replicas: 2)]
        let spec = ClusterSpec(
            name: "t", duration: .seconds(120), nodes: [Support.node("n1")], workloads: w,
            timing: [Support.constantTiming],
            faults: [FaultSpec(at: .seconds(60), action: .crash, target: .node("n1"))])
        let record = ClusterSimulation(spec: spec).run()
        let points = record.series.first { $0.entity == "default/web" }?.points ?? []
        #expect(points.contains { $0.t == 60 && $0.value == 0 })
        #expect(record.workloads[0].secondsUnavailable == 60)
    }
}
