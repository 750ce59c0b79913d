import Catalog
import Costs
import Foundation
import Scenario
import Testing

/// `k3sim plan` sizes an autoscaled Deployment for what its HorizontalPodAutoscaler asks at
/// the load's peak. Same cluster as `JobPlanTests` (K3S on Hetzner, no system pods, one
/// SQLite server taking no pods, nothing to survive; pods of 500m): web starts with 1 replica
/// under an HPA of 1–4 replicas at 50 % CPU.
@Suite(.serialized) struct AutoscalerPlanTests {
    static let hpa = """
            - object:
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web, namespace: shop}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 1
                  maxReplicas: 4
                  metrics:
                    - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}
        """

    static func load(peak: String) -> String {
        """
          load:
            - target: deployment/shop/web
              cpu:
                - {at: 0s, cores: 0.1}
                - {at: 5m, cores: \(peak)}
        """
    }

    func plan(_ text: String) throws -> Plan {
        let s = try ScenarioLoader.load(text: text, path: "hpa-plan.yaml")
        var request = ComparisonRequest(
            platform: s.platform, workloadsFor: { s.workloads(for: $0) }, parameters: s.spec.parameters,
            scheduler: s.spec.scheduler, timing: s.spec.timing, providers: [.hetzner], survive: .none,
            currency: "EUR", seed: s.spec.seed)
        request.autoscalers = s.spec.autoscalers
        let result = try Comparison.plans(request, catalog: Fixtures.catalog)
        return try #require(result.plans.first, "\(result.notes)")
    }

    func agents(_ p: Plan) -> String { p.platform.pools.map { "\($0.count)×\($0.type)" }.joined(separator: " + ") }

    /// 1.5 cores at 50 % of 500m ask for ceil(1500 ÷ 250) = 6 pods, held at maxReplicas 4:
    /// 4 × 500m = 2 vCPU, 1 × cpx22 (19.49) rather than 2 × cpx12 (22.98).
    @Test func theLoadsPeakScalesToMaxReplicas() throws {
        let p = try plan(JobPlanTests.scenario(Self.hpa, timing: Self.load(peak: "1.5")))
        #expect(agents(p) == "1×cpx22")
        let e = try #require(p.autoscalersAtPeak?.entries.first)
        #expect(e.replicas == 1 && e.wanted == 6 && e.peakReplicas == 4)
        #expect(
            p.notes.contains(
                "HorizontalPodAutoscalers at peak: deployment/shop/web 1 → 4 replicas (1.5 cores at the load's peak ask for 6; maxReplicas 4)."
            ))
    }

    /// 0.2 cores ask for ceil(200 ÷ 250) = 1 pod: web stays at 1 and fits 1 × cpx12.
    @Test func aSmallPeakKeepsTheReplicas() throws {
        let p = try plan(JobPlanTests.scenario(Self.hpa, timing: Self.load(peak: "0.2")))
        #expect(agents(p) == "1×cpx12")
        #expect(p.autoscalersAtPeak?.entries.first?.peakReplicas == 1)
    }

    /// Without a load the HPA does not scale in the simulation, and the plan keeps 1 replica.
    @Test func withoutALoadNothingScales() throws {
        let p = try plan(JobPlanTests.scenario(Self.hpa))
        #expect(agents(p) == "1×cpx12")
        #expect(p.autoscalersAtPeak == nil)
    }
}
