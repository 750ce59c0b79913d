import Foundation
import Simulation
import Testing

@testable import Scenario

/// `spec.load`: a workload's CPU demand, joined with its HorizontalPodAutoscaler (metrics and
/// behaviour decoded from autoscaling/v2, defaults filled in), and its positioned errors.
@Suite struct LoadProfileTests {
    static let hpa = [
        "    - object:",
        "        apiVersion: autoscaling/v2",
        "        kind: HorizontalPodAutoscaler",
        "        metadata: {name: web, namespace: shop}",
        "        spec:",
        "          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}",
        "          minReplicas: 2",
        "          maxReplicas: 8",
        "          metrics:",
        "          - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}",
        "          - {type: Pods, pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: 100}}}",
        "          behavior: {scaleDown: {stabilizationWindowSeconds: 60, policies: [{type: Pods, value: 1, periodSeconds: 30}]}}",
    ]

    static func text(hpa: Bool = true, load: [String]) -> String {
        scenario(
            replacing: [6: "  duration: 30m"],
            append: ["  workloads:"] + AdmissionTests.deployment() + (hpa ? Self.hpa : []) + ["  load:"] + load)
    }

    @Test func loadJoinsItsAutoscaler() throws {
        let loaded = try ScenarioLoader.load(
            text: Self.text(load: [
                "    - target: deployment/shop/web",
                "      cpu: [{at: 0s, cores: 0.3}, {at: 10m, cores: 1.5}]",
            ]), path: "/s/a.yaml")
        let a = try #require(loaded.spec.autoscalers.first)
        #expect(a.name == "shop/web" && a.target == .deployment(namespace: "shop", name: "web"))
        #expect(a.minReplicas == 2 && a.maxReplicas == 8 && a.cpu == .utilization(percent: 60))
        #expect(a.load.steps == [.init(at: .zero, millicores: 300), .init(at: .seconds(600), millicores: 1500)])
        #expect(a.behavior.scaleUp == .defaultScaleUp)
        #expect(
            a.behavior.scaleDown
                == ScalingRules(stabilizationWindowSeconds: 60, policies: [.init(type: .Pods, value: 1, periodSeconds: 30)]))
        let note = try #require(loaded.spec.notes.first { $0.hasPrefix("HorizontalPodAutoscaler shop/web:") })
        #expect(
            note.contains("between 2 and 8 towards 60 % CPU utilisation") && note.contains("metrics not modelled: Pods"),
            "\(note)")
        #expect(!note.contains("no load profile"))
    }

    @Test func loadWithoutAutoscalerIsNoted() throws {
        let loaded = try ScenarioLoader.load(
            text: Self.text(
                hpa: false,
                load: [
                    "    - target: deployment/shop/web",
                    "      cpu: [{at: 0s, cores: 0.3}]",
                ]), path: "/s/a.yaml")
        #expect(loaded.spec.autoscalers.first?.name == "")
        #expect(
            loaded.spec.notes.contains(
                "Load on deployment/shop/web: no HorizontalPodAutoscaler scales it; its CPU utilisation is reported and its replicas stay fixed."
            ))
    }

    /// The load's lines start after the scenario, the Deployment (10 lines), the HPA (12) and `load:`.
    static let firstLoadLine = baseScenarioLines.count + 1 + 10 + 12 + 2

    @Test func unknownTargetIsAPositionedError() {
        let e = loadError(Self.text(load: ["    - target: deployment/shop/api", "      cpu: [{at: 0s, cores: 1}]"]))
        expectError(
            e, line: Self.firstLoadLine, column: 15, field: "spec.load[0].target",
            contains: ["no Deployment shop/api", "shop/web"])
        let kind = loadError(Self.text(load: ["    - target: daemonset/shop/web", "      cpu: [{at: 0s, cores: 1}]"]))
        expectError(
            kind, line: Self.firstLoadLine, column: 15, field: "spec.load[0].target", contains: ["deployment/NAMESPACE/NAME"])
    }

    @Test func stepsOutOfOrderAndNegativeCoresAreErrors() {
        let order = loadError(
            Self.text(load: [
                "    - target: deployment/shop/web", "      cpu:",
                "        - {at: 5m, cores: 1}", "        - {at: 1m, cores: 2}",
            ]))
        expectError(order, line: Self.firstLoadLine + 3, column: 16, field: "spec.load[0].cpu[1].at", contains: ["time order"])
        let negative = loadError(Self.text(load: ["    - target: deployment/shop/web", "      cpu: [{at: 0s, cores: -1}]"]))
        expectError(
            negative, line: Self.firstLoadLine + 1, column: 29, field: "spec.load[0].cpu[0].cores", contains: ["0 or more"])
        let late = loadError(Self.text(load: ["    - target: deployment/shop/web", "      cpu: [{at: 30m, cores: 1}]"]))
        expectError(late, line: Self.firstLoadLine + 1, column: 18, field: "spec.load[0].cpu[0].at", contains: ["end of the run"])
        let unknown = loadError(
            Self.text(load: ["    - target: deployment/shop/web", "      memory: []", "      cpu: [{at: 0s, cores: 1}]"]))
        #expect(unknown?.field == "spec.load[0].memory", "\(String(describing: unknown))")
    }
}
