import Foundation
import KubeModel
import Testing

@testable import Scenario

/// Without a load profile a HorizontalPodAutoscaler still holds its target within
/// minReplicas…maxReplicas, as `reconcileAutoscaler` does before it reads any metric, and
/// leaves a target scaled to zero alone. Rows: (replicas written, apiVersion, min, max,
/// replicas simulated).
@Suite struct AutoscalerBoundsTests {
    static func text(replicas: Int, apiVersion: String, min: Int?, max: Int) -> String {
        scenario(
            replacing: [6: "  duration: 5m"],
            append: ["  workloads:"]
                + AdmissionTests.deployment().map {
                    $0 == "          replicas: 2" ? "          replicas: \(replicas)" : $0
                } + [
                    "    - object:",
                    "        apiVersion: \(apiVersion)",
                    "        kind: HorizontalPodAutoscaler",
                    "        metadata: {name: web, namespace: shop}",
                    "        spec:",
                    "          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}",
                    "          maxReplicas: \(max)",
                ] + (min.map { ["          minReplicas: \($0)"] } ?? []))
    }

    @Test(
        arguments: [
            (2, "autoscaling/v2", 3, 10, 3),
            (20, "autoscaling/v2", 3, 10, 10),
            (5, "autoscaling/v1", 3, 10, 5),
            (0, "autoscaling/v2", 3, 10, 0),
            (1, "autoscaling/v1", nil, 4, 1),
        ] as [(Int, String, Int?, Int, Int)])
    func replicasWithinBounds(_ written: Int, _ apiVersion: String, _ min: Int?, _ max: Int, _ simulated: Int) throws {
        let loaded = try ScenarioLoader.load(
            text: Self.text(replicas: written, apiVersion: apiVersion, min: min, max: max), path: "/s/hpa.yaml")
        #expect(loaded.spec.workloads.deployments.first { $0.metadata.name == "web" }?.replicas == simulated)
        let note = try #require(loaded.spec.notes.first { $0.hasPrefix("HorizontalPodAutoscaler shop/web:") })
        #expect(note.contains("replicas fixed at \(simulated) for Deployment/web"))
        #expect(note.contains("as written") == (written != simulated), "\(note)")
    }
}
