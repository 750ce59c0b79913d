import Catalog
import Costs
import Scenario
import Testing

/// The planner compares like with like: a scenario whose control plane survives no server
/// loss is compared with zonal GKE and LKE without HA, a highly available one with regional
/// GKE and LKE's HA control plane; EKS has only the highly available kind.
@Suite(.serialized) struct ControlPlaneAvailabilityTests {
    /// The platform tests' scenario (a Deployment of 3 small pods) on `platform` with `machines`.
    func scenario(_ platform: String, _ machines: String) throws -> LoadedScenario {
        try PlatformScenarioTests().load(platform, extra: machines)
    }

    func k3s(servers: Int) throws -> LoadedScenario {
        try scenario(
            "distribution: k3s, provider: hetzner, region: eu-central",
            """
              controlPlane: {count: \(servers), serverType: cpx22, locations: [fsn1, nbg1, hel1], schedulable: false, \
            datastore: \(servers == 1 ? "sqlite" : "embedded-etcd")}
              nodePools: [{name: agents, serverType: cpx32, count: 2, locations: [fsn1, nbg1]}]
            """)
    }

    func plans(_ s: LoadedScenario, _ providers: [Provider]) throws -> [Plan] {
        let r = ComparisonRequest(
            platform: s.platform, workloadsFor: { s.workloads(for: $0) }, parameters: s.spec.parameters,
            timing: s.spec.timing, providers: providers, survive: .node, currency: "USD")
        let result = try Comparison.plans(r, catalog: Fixtures.catalog)
        #expect(result.notes.isEmpty, "\(result.notes)")
        return result.plans
    }

    func line(_ o: CostOption, _ prefix: String) -> CostLine? { o.items.first { $0.item.hasPrefix(prefix) } }

    /// One K3S server: zonal GKE, whose fee 0.10 USD × 730 h = 73.00 the free-tier credit
    /// (up to 74.40) covers in full; LKE's free control plane (0.00, no HA line).
    @Test func oneServerIsComparedWithZonalGKEAndLKEWithoutHA() throws {
        let s = try k3s(servers: 1)
        #expect(s.platform.highlyAvailableControlPlane == false)
        let p = try plans(s, [.gcp, .linode])
        let gke = try #require(p.first { $0.platform.distribution == .gke }).cost
        #expect(line(gke, "GKE cluster management fee (zonal)")?.amount == 73.00)
        #expect(line(gke, "GKE free-tier credit")?.amount == -73.00)
        let lke = try #require(p.first { $0.platform.distribution == .lke })
        #expect(lke.platform.managedHighAvailability == false)
        #expect(line(lke.cost, "LKE control plane (free)")?.amount == 0)
        #expect(line(lke.cost, "LKE HA control plane") == nil)
    }

    /// Three servers: regional GKE (73.00, no credit) and LKE HA (min(0.09 × 730, 60) = 60.00).
    @Test func threeServersAreComparedWithRegionalGKEAndLKEHA() throws {
        let p = try plans(try k3s(servers: 3), [.gcp, .linode])
        let gke = try #require(p.first { $0.platform.distribution == .gke }).cost
        #expect(line(gke, "GKE cluster management fee (regional)")?.amount == 73.00)
        #expect(line(gke, "GKE free-tier credit") == nil)
        let lke = try #require(p.first { $0.platform.distribution == .lke }).cost
        #expect(line(lke, "LKE HA control plane")?.amount == 60.00)
    }

    /// EKS has one kind of control plane; the plan says that it is more than a single server.
    @Test func eksIsAlwaysHighlyAvailableAndSaysSo() throws {
        let eks = try #require(try plans(try k3s(servers: 1), [.aws]).first)
        #expect(line(eks.cost, "EKS control plane")?.amount == 73.00)
        #expect(eks.notes.contains { $0.contains("EKS's always is") })
        #expect(eks.cost.notes.contains { $0.contains("always highly available") })
    }

    /// `spec.controlPlane.highAvailability` on a managed platform reaches the bill:
    /// a zonal GKE cluster with 2 × e2-standard-2 in europe-west1 gets the credit.
    @Test func managedScenarioSaysHowAvailableItsControlPlaneIs() throws {
        let pools = "  nodePools: [{name: pool, serverType: e2-standard-2, count: 2}]"
        let zonal = try scenario(
            "distribution: gke, provider: gcp, region: europe-west1",
            "  controlPlane: {highAvailability: false}\n" + pools)
        #expect(zonal.platform.managedHighAvailability == false)
        #expect(zonal.platform.highlyAvailableControlPlane == false)
        let o = try Fixtures.estimate(CostInput(platform: zonal.platform))
        #expect(line(o, "GKE cluster management fee (zonal)") != nil)
        #expect(line(o, "GKE free-tier credit")?.amount == -73.00)
        let regional = try scenario(
            "distribution: gke, provider: gcp, region: europe-west1",
            "  controlPlane: {highAvailability: true}\n" + pools)
        #expect(
            line(try Fixtures.estimate(CostInput(platform: regional.platform)), "GKE cluster management fee (regional)") != nil)
        let plain = try scenario("distribution: gke, provider: gcp, region: europe-west1", pools)
        #expect(plain.platform.managedHighAvailability == nil)
        #expect(plain.platform.highlyAvailableControlPlane)
    }

    @Test func managedControlPlaneErrorsArePositioned() throws {
        func error(_ platform: String, _ cp: String) -> ScenarioError? {
            do { _ = try scenario(platform, cp); return nil } catch let e as ScenarioError { return e } catch { return nil }
        }
        let eks = error("distribution: eks, provider: aws, region: eu-central-1", "  controlPlane: {highAvailability: false}")
        #expect(eks?.field == "spec.controlPlane.highAvailability")
        #expect(eks?.line == 7)
        #expect(eks?.message.contains("always highly available") == true)
        let servers = error(
            "distribution: lke, provider: linode, region: eu-central", "  controlPlane: {count: 3, serverType: g6-standard-2}")
        #expect(servers?.field == "spec.controlPlane.count")
        #expect(servers?.message.contains("takes only highAvailability") == true)
        let bad = error("distribution: gke, provider: gcp, region: europe-west1", "  controlPlane: {highAvailability: maybe}")
        #expect(bad?.field == "spec.controlPlane.highAvailability")
        let selfManaged = error(
            "distribution: k3s, provider: hetzner, region: eu-central",
            "  controlPlane: {count: 1, serverType: cpx22, highAvailability: true}")
        #expect(selfManaged?.message.contains("unknown field \"highAvailability\"") == true)
    }
}
