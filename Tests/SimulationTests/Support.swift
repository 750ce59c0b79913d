import Foundation
import KubeModel
import Scenario
import SimKernel

@testable import Simulation

/// Small cluster builders for simulation tests.
enum Support {
    static let scenariosDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    static func scenario(_ name: String) throws -> ClusterSpec {
        try ScenarioLoader.load(path: scenariosDirectory.appendingPathComponent(name).path).spec
    }

    /// The reference topology of the etcd scenarios (3 K3S servers and 3 agents over fsn1,
    /// nbg1, hel1) with the given seed and faults.
    static func etcdScenario(seed: UInt64, faults: [FaultSpec]) throws -> ClusterSpec {
        var spec = try scenario("etcd-leader-loss.yaml")
        spec.seed = seed
        spec.faults = faults
        return spec
    }

    static func node(_ name: String, cpu: Int64 = 4000, memoryGi: Int64 = 8, zone: String = "a") -> NodeSpec {
        NodeSpec(
            name: name, labels: ["kubernetes.io/hostname": name, "topology.kubernetes.io/zone": zone],
            allocatable: Resources(milliCPU: cpu, memoryBytes: memoryGi << 30))
    }

    static func deployment(
        _ name: String, replicas: Int, cpuMilli: Int64 = 100, image: String = "app:1",
        probe: Probe? = nil, strategy: DeploymentStrategy = .init()
    ) -> Deployment {
        let labels = ["app": name]
        let container = Container(
            name: name, image: image,
            resources: ResourceRequirements(requests: [
                "cpu": Quantity(milli: cpuMilli),
                "memory": Quantity(128 << 20),
            ]),
            readinessProbe: probe)
        return Deployment(
            metadata: ObjectMeta(name: name, labels: labels), replicas: replicas,
            selector: LabelSelector(matchLabels: labels),
            template: PodTemplateSpec(
                metadata: ObjectMeta(name: "", labels: labels),
                spec: PodSpec(containers: [container])),
            strategy: strategy)
    }

    /// A DaemonSet `name` with one container of `image` and no requests, labelled `app: name`.
    static func daemonSet(_ name: String, image: String) -> DaemonSet {
        let labels = ["app": name]
        return DaemonSet(
            metadata: ObjectMeta(name: name, labels: labels), selector: LabelSelector(matchLabels: labels),
            template: PodTemplateSpec(
                metadata: ObjectMeta(name: "", labels: labels),
                spec: PodSpec(containers: [Container(name: "a", image: image)])))
    }

    /// Constant timings, so that timelines can be worked out by hand.
    static let constantTiming = PodTimingRule(
        imagePull: .constant(4), containerStart: .constant(1),
        appReady: .constant(0), shutdown: .constant(1))

    /// A record without its wall-clock time, for determinism comparisons.
    static func comparable(_ r: RunRecord) -> RunRecord {
        var c = r
        c.wallSeconds = 0
        return c
    }
}

extension Support {
    /// Decodes a KubeModel value from JSON (they are Decodable, as manifests).
    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }
}
