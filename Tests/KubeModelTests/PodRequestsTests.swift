import Foundation
import Testing

@testable import KubeModel

/// `PodSpec.effectiveRequests` = k8s.io/component-helpers/resource `PodRequests`:
///   reqs = Σ app containers + Σ sidecars (init containers with restartPolicy Always)
///   initUse(i) = Σ sidecars before i + init container i (a sidecar's own use is the
///                running sum of sidecars up to and including it)
///   result = max(reqs, max_i initUse(i)) + overhead, per resource.
@Suite struct PodRequestsTests {
    static func q(_ s: String) -> Quantity { try! Quantity(parsing: s) }

    static func container(
        _ name: String, cpu: String? = nil, memory: String? = nil,
        sidecar: Bool = false
    ) -> Container {
        var req: [String: Quantity] = [:]
        if let cpu { req["cpu"] = q(cpu) }
        if let memory { req["memory"] = q(memory) }
        var c = Container(name: name, image: "img/\(name)", resources: .init(requests: req))
        if sidecar { c.restartPolicy = "Always" }
        return c
    }

    static func pod(
        _ containers: [Container], init initContainers: [Container] = [],
        overhead: [String: Quantity] = [:]
    ) -> PodSpec {
        var s = PodSpec(containers: containers)
        s.initContainers = initContainers
        s.overhead = overhead
        return s
    }

    @Test func sumsAppContainers() {
        let s = Self.pod([
            Self.container("a", cpu: "100m", memory: "64Mi"),
            Self.container("b", cpu: "200m", memory: "128Mi"),
        ])
        #expect(s.effectiveRequests == Resources(milliCPU: 300, memoryBytes: 201_326_592))  // 192·2^20
    }

    @Test func initContainersSetAFloorPerResource() {
        // App: 300m / 192Mi. Init containers run one at a time: max(500m, 100m) CPU,
        // max(64Mi, 256Mi) memory. Result per resource: max(300m, 500m) = 500m,
        // max(192Mi, 256Mi) = 256Mi.
        let s = Self.pod(
            [
                Self.container("a", cpu: "100m", memory: "64Mi"),
                Self.container("b", cpu: "200m", memory: "128Mi"),
            ],
            init: [
                Self.container("i1", cpu: "500m", memory: "64Mi"),
                Self.container("i2", cpu: "100m", memory: "256Mi"),
            ])
        #expect(s.effectiveRequests == Resources(milliCPU: 500, memoryBytes: 268_435_456))
    }

    @Test func smallInitContainersDoNotAdd() {
        let s = Self.pod([Self.container("a", cpu: "1")], init: [Self.container("i", cpu: "500m")])
        #expect(s.effectiveRequests.milliCPU == 1_000)
    }

    @Test func sidecarsAddToTheAppContainers() {
        // Sidecar 1 CPU keeps running: app 1 + sidecar 1 = 2; initUse(sidecar) = 1.
        let s = Self.pod([Self.container("app", cpu: "1")], init: [Self.container("proxy", cpu: "1", sidecar: true)])
        #expect(s.effectiveRequests.milliCPU == 2_000)
    }

    @Test func initAfterASidecarCountsTheSidecar() {
        // init: [sidecar 1, regular 5]; app 1.
        // initUse: sidecar → 1; regular → 1 + 5 = 6. reqs = 1 + 1 = 2. max(2, 6) = 6.
        let s = Self.pod(
            [Self.container("app", cpu: "1")],
            init: [
                Self.container("proxy", cpu: "1", sidecar: true),
                Self.container("migrate", cpu: "5"),
            ])
        #expect(s.effectiveRequests.milliCPU == 6_000)
    }

    @Test func initBeforeASidecarDoesNotCountIt() {
        // init: [regular 5, sidecar 1]; app 1.
        // initUse: regular → 5; sidecar → 1. reqs = 2. max(2, 5) = 5.
        let s = Self.pod(
            [Self.container("app", cpu: "1")],
            init: [
                Self.container("migrate", cpu: "5"),
                Self.container("proxy", cpu: "1", sidecar: true),
            ])
        #expect(s.effectiveRequests.milliCPU == 5_000)
    }

    @Test func kepExampleWithSeveralSidecars() {
        // init: [sidecar 1, regular 2, sidecar 3]; app 1 (CPU).
        // initUse: 1; 1 + 2 = 3; 1 + 3 = 4 → peak 4. reqs = 1 + 1 + 3 = 5. Result 5.
        // Memory: sidecars 10Mi, 30Mi; regular 100Mi; app 20Mi.
        // initUse: 10; 10 + 100 = 110; 40 → peak 110Mi. reqs = 20 + 10 + 30 = 60Mi. Result 110Mi.
        let s = Self.pod(
            [Self.container("app", cpu: "1", memory: "20Mi")],
            init: [
                Self.container("s1", cpu: "1", memory: "10Mi", sidecar: true),
                Self.container("r", cpu: "2", memory: "100Mi"),
                Self.container("s2", cpu: "3", memory: "30Mi", sidecar: true),
            ])
        #expect(s.effectiveRequests == Resources(milliCPU: 5_000, memoryBytes: 110 * 1_048_576))
    }

    @Test func onlyRestartPolicyAlwaysMakesASidecar() {
        var notSidecar = Self.container("i", cpu: "1")
        notSidecar.restartPolicy = "OnFailure"  // not a valid value upstream; certainly not a sidecar
        let s = Self.pod([Self.container("app", cpu: "1")], init: [notSidecar])
        #expect(s.effectiveRequests.milliCPU == 1_000)
    }

    @Test func overheadIsAddedOnTop() {
        // RuntimeClass overhead (e.g. Kata): 250m / 120Mi on top of max(app, init).
        let s = Self.pod(
            [Self.container("app", cpu: "500m", memory: "1Gi")],
            init: [Self.container("i", cpu: "2")],
            overhead: ["cpu": Self.q("250m"), "memory": Self.q("120Mi")])
        #expect(s.effectiveRequests == Resources(milliCPU: 2_250, memoryBytes: 1_073_741_824 + 125_829_120))
    }

    @Test func extendedResourcesFollowTheSameRules() {
        var gpuInit = Self.container("warmup")
        gpuInit.resources.requests["nvidia.com/gpu"] = Self.q("2")
        var gpuApp = Self.container("train")
        gpuApp.resources.requests["nvidia.com/gpu"] = Self.q("1")
        let s = Self.pod([gpuApp], init: [gpuInit])
        #expect(s.effectiveRequests.scalar["nvidia.com/gpu"] == 2)
    }

    @Test func emptyPodRequestsNothing() {
        let s = Self.pod([Self.container("a"), Self.container("b")])
        #expect(s.effectiveRequests == .zero)
        #expect(s.requestsNothing)
        #expect(!Self.pod([Self.container("a")], init: [Self.container("i", cpu: "1m")]).requestsNothing)
    }

    /// SetDefaults_Pod: a limit without a request sets the request to the limit (for
    /// containers and init containers), leaving explicit requests alone.
    @Test func limitsBecomeMissingRequests() throws {
        let json = #"""
            {"containers": [{"name": "app", "image": "nginx",
                             "resources": {"limits": {"cpu": "1", "memory": "512Mi"}, "requests": {"cpu": "250m"}}}],
             "initContainers": [{"name": "init", "image": "busybox",
                                 "resources": {"limits": {"cpu": "2", "memory": "64Mi"}}},
                                {"name": "proxy", "image": "envoy", "restartPolicy": "Always",
                                 "resources": {"requests": {"cpu": "100m", "memory": "32Mi"}}}]}
            """#
        let s = try JSONDecoder().decode(PodSpec.self, from: Data(json.utf8))
        #expect(s.containers[0].resources.requests["cpu"]?.milliValue == 250)
        #expect(s.containers[0].resources.requests["memory"]?.value == 536_870_912)
        #expect(s.initContainers[0].resources.requests["cpu"]?.milliValue == 2_000)
        #expect(s.initContainers[1].restartPolicy == "Always")
        // reqs = 250m + 100m = 350m, 512Mi + 32Mi = 544Mi.
        // initUse: init → 2000m / 64Mi; proxy → 100m / 32Mi. Result 2000m / 544Mi.
        #expect(s.effectiveRequests == Resources(milliCPU: 2_000, memoryBytes: 544 * 1_048_576))
        #expect(s.images == ["busybox", "envoy", "nginx"])  // start order: init first
    }
}
