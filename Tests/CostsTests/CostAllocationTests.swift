import Catalog
import Costs
import Foundation
import Scenario
import Simulation
import Testing

/// Cost allocation from requests, as OpenCost splits a node priced as a whole: vCPU and GiB
/// in the ratio 0.031611 : 0.004237 (opencost configs/default.json), pods at their node's
/// rates, the rest idle.
@Suite struct CostAllocationTests {
    let loaded: LoadedScenario

    init() throws {
        loaded = try ScenarioLoader.load(
            text: """
                apiVersion: k3sim/v1alpha1
                kind: Scenario
                metadata: {name: allocation}
                spec:
                  duration: 10m
                  platform: {distribution: eks, provider: aws, region: eu-central-1, kubernetesVersion: "1.33"}
                  nodePools: [{name: ng, serverType: m7g.large, count: 3}]
                  workloads:
                    - object:
                        apiVersion: apps/v1
                        kind: Deployment
                        metadata: {name: web, namespace: shop}
                        spec:
                          replicas: 3
                          selector: {matchLabels: {app: web}}
                          template:
                            metadata: {labels: {app: web}}
                            spec: {containers: [{name: web, image: web, resources: {requests: {cpu: 250m, memory: 256Mi}}}]}
                """, path: "/tmp/allocation.yaml")
    }

    func allocation(_ key: CostAllocation.Key) throws -> (CostAllocationReport, machine: Double) {
        let catalog = try PriceCatalog.shipped()
        let pc = try #require(catalog.provider(.aws))
        var fx: [String: FXUsed] = [:]
        let input = CostInput(
            platform: loaded.platform, workloads: loaded.workloads(for: .eks),
            defaultStorageClass: loaded.spec.storage.defaultClass)
        let option = try CostCalculator.estimate(input, catalog: catalog, currency: "USD", fx: &fx)
        let line = try #require(option.items.first { $0.category == "compute" && $0.item.contains("m7g.large") })
        let report = CostAllocation.allocate(
            option, nodes: loaded.spec.nodes, placements: ClusterSimulation.placements(of: loaded.spec),
            catalog: pc, by: key)
        return (report, line.converted / line.quantity)
    }

    @Test func webCostsItsRequestsAtTheNodeRates() throws {
        let (report, machine) = try allocation(.workload)
        // m7g.large: 2 vCPU, 8 GiB. Weight 2 × 0.031611 + 8 × 0.004237 = 0.097118.
        let perCore = machine * 0.031611 / 0.097118, perGiB = machine * 0.004237 / 0.097118
        let web = try #require(report.rows.first { $0.name == "shop/web" })
        #expect(abs(web.cpuCores - 0.75) < 1e-9 && abs(web.memoryGiB - 0.75) < 1e-9)
        #expect(abs(web.monthly - (0.75 * perCore + 0.75 * perGiB)) < 1e-9)
        #expect(abs(report.machines - 3 * machine) < 1e-9)
        #expect(abs(report.rows.reduce(0) { $0 + $1.monthly } + report.idle - report.machines) < 1e-9)
        #expect(report.idle > 0)
    }

    @Test func namespacesSumTheirWorkloads() throws {
        let (byWorkload, _) = try allocation(.workload)
        let (byNamespace, _) = try allocation(.namespace)
        let kubeSystem = byWorkload.rows.filter { $0.name.hasPrefix("kube-system/") }.reduce(0) { $0 + $1.monthly }
        #expect(abs((byNamespace.rows.first { $0.name == "kube-system" }?.monthly ?? -1) - kubeSystem) < 1e-9)
        #expect(byNamespace.rows.map(\.name).sorted() == ["kube-system", "shop"])
        #expect(abs(byNamespace.idle - byWorkload.idle) < 1e-9)
    }
}
