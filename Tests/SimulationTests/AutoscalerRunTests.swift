import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// The HorizontalPodAutoscaler in a run: one 2000 m node, a Deployment `web` of 2 pods
/// requesting 500 m each (room for 4), an HPA of 2–10 at 50 % CPU, constant pod timings
/// (Ready 5 s after creation). The load is 0.4 cores (40 % of 1000 m: within bounds, no
/// change) until it steps to 3 cores at 600 s.
struct AutoscalerRunTests {
    static func spec(duration: Int64, load: [(Int64, Int64)]) -> ClusterSpec {
        var w = Workloads()
        w.deployments = [Support.deployment("web", replicas: 2, cpuMilli: 500)]
        var spec = ClusterSpec(
            name: "t", duration: .seconds(duration), nodes: [Support.node("n1", cpu: 2000)], workloads: w,
            timing: [Support.constantTiming], faults: [])
        spec.autoscalers = [
            AutoscalerSpec(
                name: "default/web", target: .deployment(namespace: "default", name: "web"),
                minReplicas: 2, maxReplicas: 10, cpu: .utilization(percent: 50),
                load: LoadProfile(steps: load.map { .init(at: .seconds($0.0), millicores: $0.1) }))
        ]
        return spec
    }

    /// At the first sync t₁ after 600 s: 3000 m on 2 Ready pods of 500 m is 300 %, ratio 6,
    /// ceil(12) asked, the scale-up policy allows max(2 × 2, 2 + 4) = 6. Two new pods fit and
    /// are Ready by t₁ + 15; two stay Pending. At t₁ + 15: 3000 m over 4 Ready pods is 150 %;
    /// the 2 unready count as 0 → 3000 of 3000 m, ratio 2, ceil(2 × 6) = 12, policy max(12, 10),
    /// maxReplicas 10. Six pods stay Pending: the cluster does not fit the peak.
    @Test func loadStepScalesUpUntilTheNodeIsFull() throws {
        let r = ClusterSimulation(spec: Self.spec(duration: 900, load: [(0, 400), (600, 3000)])).run()
        let a = try #require(r.autoscalers?.first)
        #expect(a.rescales.map(\.from) == [2, 6] && a.rescales.map(\.to) == [6, 10], "\(a.rescales)")
        #expect(a.rescales.map(\.utilization) == [300, 150])
        let t1 = try #require(a.rescales.first?.at)
        #expect(t1 >= 600 && t1 < 615)
        #expect(a.rescales[1].at == t1 + 15)
        #expect(a.maxReplicasReached == 10 && a.hitMaxReplicas)
        #expect(abs(a.secondsAtMax - (900 - t1 - 15)) < 1e-6)
        #expect(r.pendingPodsAtEnd == 6 && a.maxPendingPods == 6)
        #expect(a.peakUtilization == 300)
    }

    /// The load falls to 0.2 cores at 1200 s (t₁ + 600 is the first sync to see it): the
    /// scale-down waits for the 300 s window to lose the last high recommendation (at
    /// t₁ + 585), so 10 → 2 (minReplicas; 100 % per 15 s allows it) at t₁ + 885.
    @Test func scaleDownWaitsForTheStabilizationWindow() throws {
        let r = ClusterSimulation(spec: Self.spec(duration: 1800, load: [(0, 400), (600, 3000), (1200, 200)])).run()
        let a = try #require(r.autoscalers?.first)
        #expect(a.rescales.map(\.to) == [6, 10, 2], "\(a.rescales)")
        let t1 = try #require(a.rescales.first?.at)
        #expect(a.rescales.last?.at == t1 + 885)
        #expect(a.rescales.last?.utilization == 10)
        #expect(abs(a.secondsAtMax - 870) < 1e-6)
        #expect(r.pendingPodsAtEnd == 0 && a.maxPendingPods == 6)
    }

    /// A load on a Deployment without an HPA: the utilisation is reported, nothing scales.
    @Test func loadWithoutAutoscalerOnlyReports() throws {
        var spec = Self.spec(duration: 900, load: [(0, 400), (600, 3000)])
        spec.autoscalers[0].name = ""
        spec.autoscalers[0].cpu = nil
        let r = ClusterSimulation(spec: spec).run()
        let a = try #require(r.autoscalers?.first)
        #expect(a.rescales.isEmpty && !a.hitMaxReplicas)
        #expect(a.peakUtilization == 300)
        #expect(r.pendingPodsAtEnd == 0)
    }

    /// Runs without autoscalers keep records without the field.
    @Test func noAutoscalersNoField() {
        var spec = Self.spec(duration: 60, load: [])
        spec.autoscalers = []
        #expect(ClusterSimulation(spec: spec).run().autoscalers == nil)
    }
}
