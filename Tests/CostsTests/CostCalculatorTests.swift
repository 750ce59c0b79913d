import Catalog
import Costs
import Foundation
import Scenario
import Testing

/// Monthly figures computed by hand from the shipped catalogs (pricing.md), compared with
/// what the billing rules produce.
@Suite struct CostCalculatorTests {
    func referenceText(costs: String) throws -> LoadedScenario {
        let path = Fixtures.scenarioPath("hetzner-k3s-ha.yaml")
        // The reference's own `costs:` block is replaced by the one under test.
        var lines: [String] = [], skipping = false
        for l in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if l.hasPrefix("  costs:") { skipping = true; continue }
            if skipping && l.hasPrefix("    ") { continue }
            skipping = false
            if l.hasPrefix("  workloads:") { lines.append("  costs: \(costs)") }
            lines.append(String(l))
        }
        return try ScenarioLoader.load(text: lines.joined(separator: "\n"), path: path)
    }

    func line(_ o: CostOption, _ prefix: String) -> CostLine? { o.items.first { $0.item.hasPrefix(prefix) } }

    func sumOfItems(_ o: CostOption) -> Double {
        Double(o.items.reduce(Int64(0)) { $0 + Int64(($1.converted * 100).rounded()) }) / 100
    }

    /// 3 × CAX21 + 4 × CAX31 + 7 primary IPv4 at the new-order prices (2026-06-15), asked for
    /// explicitly (no one can order them now): 3 · 10.49 + 4 · 20.99 + 7 · 0.50 = 31.47 +
    /// 83.96 + 3.50 = 118.93 EUR.
    @Test func referenceAtNewOrderPrices() throws {
        let o = try Fixtures.estimate(CostInput(platform: try referenceText(costs: "{priceBasis: new}").platform))
        #expect(o.monthly == 118.93)
        #expect(o.currency == "EUR")
        #expect(line(o, "server cax21")?.amount == 31.47)
        #expect(line(o, "server cax31")?.amount == 83.96)
        #expect(line(o, "primary IPv4")?.quantity == 7)
        #expect(line(o, "primary IPv4")?.amount == 3.50)
        #expect(sumOfItems(o) == o.monthly)
        for item in o.items {
            #expect(item.asOf != nil, "\(item.item) has no as-of date")
            #expect(item.source != nil, "\(item.item) has no source")
        }
        #expect(
            o.notes.contains {
                $0.hasPrefix("cax21, cax31 cannot be ordered now") && $0.contains("this list price holds for no one")
            })
        #expect(o.nodes == [NodeCount(type: "cax21", count: 3, role: "server"), NodeCount(type: "cax31", count: 4)])
    }

    /// Servers created before 2026-06-15 keep the 2026-04-01 price:
    /// 3 · 7.99 + 4 · 15.99 + 3.50 = 23.97 + 63.96 + 3.50 = 91.43 EUR. CAX cannot be ordered
    /// (2026-09-03), so only their owners pay for them: that is also the default basis.
    @Test func referenceAtExistingServerPrices() throws {
        for costs in ["{priceBasis: existing}", "{}"] {
            let o = try Fixtures.estimate(CostInput(platform: try referenceText(costs: costs).platform))
            #expect(o.monthly == 91.43)  // 3 · 7.99 + 4 · 15.99 + 3.50
            #expect(line(o, "server cax21")?.asOf == "2026-04-01")
            #expect(line(o, "server cax21")?.item == "server cax21 (control plane) (existing-server price)")
            #expect(
                o.notes.contains {
                    $0.hasPrefix("cax21, cax31 cannot be ordered now (marked not available for new orders since 2026-09-03")
                })
            #expect(
                o.notes.contains { $0.contains("may be lifted") && $0.contains("priced at what the servers already running pay") }
            )
        }
    }

    /// A plan that keeps the scenario's servers keeps their basis; machines it adds are new
    /// orders: 3 CPX22 kept at 7.99 and 2 more at 19.49 (2026-06-15 list price):
    /// 3 · 7.99 + 2 · 19.49 = 23.97 + 38.98 = 62.95 EUR.
    @Test func addedMachinesAreNewOrders() throws {
        var input = CostInput(
            provider: .hetzner, distribution: .k3s, region: "eu-central", nodes: [NodeCount(type: "cpx22", count: 5)])
        input.settings.priceBasis = .existing
        input.settings.publicIPv4 = false
        input.existing = [NodeCount(type: "cpx22", count: 3)]
        let o = try Fixtures.estimate(input)
        #expect(o.items.map(\.quantity) == [3, 2])
        #expect(o.items.map(\.amount) == [23.97, 38.98])
        #expect(o.items.map(\.asOf) == ["2026-04-01", "2026-06-15"])
        #expect(o.monthly == 62.95)
        input.existing = []
        #expect(try Fixtures.estimate(input).monthly == 97.45)  // 5 · 19.49
    }

    /// Each line is converted and rounded once; the total is the sum of the converted lines:
    /// 31.47 · 1.1567 = 36.40, 83.96 · 1.1567 = 97.12, 3.50 · 1.1567 = 4.05 → 137.57 USD.
    @Test func reportCurrencyConversion() throws {
        var fx: [String: FXUsed] = [:]
        let o = try CostCalculator.estimate(
            CostInput(platform: try referenceText(costs: "{priceBasis: new}").platform), catalog: Fixtures.catalog,
            currency: "USD", fx: &fx)
        #expect(o.items.map(\.converted) == [36.40, 97.12, 4.05])
        #expect(o.monthly == 137.57)
        #expect(fx["EURUSD"]?.rate == 1.1567)
        #expect(fx["EURUSD"]?.date == "2026-08-14")
    }

    /// Hourly billing up to the monthly cap: 100 h of a CAX21 cost 100 · 0.0168 = 1.68 EUR.
    @Test func hetznerHourlyBelowTheCap() throws {
        var input = CostInput(
            provider: .hetzner, distribution: .k3s, region: "eu-central", nodes: [NodeCount(type: "cax21", count: 1)])
        input.settings.hoursPerMonth = 100
        input.settings.publicIPv4 = false
        input.settings.priceBasis = .new
        let o = try Fixtures.estimate(input)
        #expect(o.monthly == 1.68)
    }

    /// EKS in eu-central-1, 3 × m7g.large (0.0978 USD/h):
    /// nodes 3 · 0.0978 · 730 = 214.18; control plane 0.10 · 730 = 73.00; root volumes
    /// 3 · 20 GB · 0.0952 = 5.71; NAT gateway 0.052 · 730 = 37.96; its IPv4 0.005 · 730 = 3.65
    /// → 334.50 USD.
    @Test func eksControlPlaneIsTenCentsTimes730Hours() throws {
        let o = try Fixtures.estimate(
            CostInput(
                provider: .aws, distribution: .eks, region: "eu-central-1",
                nodes: [NodeCount(type: "m7g.large", count: 3)]))
        let cp = try #require(line(o, "EKS control plane"))
        #expect(cp.quantity == 730)
        #expect(cp.unitPrice == 0.10)
        #expect(cp.amount == 73.00)
        #expect(line(o, "instance m7g.large")?.amount == 214.18)
        #expect(line(o, "EBS gp3 root volumes")?.amount == 5.71)
        #expect(line(o, "NAT gateway")?.amount == 37.96)
        #expect(line(o, "public IPv4")?.amount == 3.65)
        #expect(o.monthly == 334.50)
        var extended = CostInput(provider: .aws, distribution: .eks, region: "eu-central-1", nodes: [])
        extended.settings.eksSupport = .extended
        #expect(line(try Fixtures.estimate(extended), "EKS control plane")?.amount == 438.00)
    }

    /// GKE in us-central1, 3 × e2-standard-2 (0.067006 USD/h): nodes 3 · 48.91438 = 146.74;
    /// boot disks 3 · 100 GB · 0.10 = 30.00; fee 0.10 · 730 = 73.00. A zonal cluster gets the
    /// free-tier credit (−73.00): 176.74; a regional one does not: 249.74.
    @Test func gkeFreeTierCoversOneZonalClusterNotARegionalOne() throws {
        func gke(_ mode: CostSettings.GKEMode, freeTier: Bool = true) throws -> CostOption {
            var input = CostInput(
                provider: .gcp, distribution: .gke, region: "us-central1",
                nodes: [NodeCount(type: "e2-standard-2", count: 3)])
            input.settings.gkeMode = mode
            input.settings.gkeFreeTier = freeTier
            return try Fixtures.estimate(input)
        }
        let zonal = try gke(.zonal), regional = try gke(.regional)
        #expect(line(zonal, "GKE cluster management fee")?.amount == 73.00)
        #expect(line(zonal, "GKE free-tier credit")?.amount == -73.00)
        #expect(zonal.monthly == 176.74)
        #expect(line(regional, "GKE cluster management fee")?.amount == 73.00)
        #expect(line(regional, "GKE free-tier credit") == nil)
        #expect(regional.monthly == 249.74)
        #expect(regional.notes.contains { $0.contains("free-tier credit does not apply") })
        #expect(try gke(.zonal, freeTier: false).monthly == 249.74)
    }

    /// LKE, 3 × Linode 8GB (48 USD/month, 0.072/h capped): 144.00; the HA control plane
    /// min(0.09 · 730, 60) = 60.00 → 204.00.
    @Test func lkeControlPlaneFreeOrHighlyAvailable() throws {
        var input = CostInput(
            provider: .linode, distribution: .lke, region: "eu-central", nodes: [NodeCount(type: "g6-standard-4", count: 3)])
        input.controlPlaneHA = false
        #expect(try Fixtures.estimate(input).monthly == 144.00)
        input.controlPlaneHA = true
        let ha = try Fixtures.estimate(input)
        #expect(ha.monthly == 204.00)
        #expect(line(ha, "LKE HA control plane")?.confidence == "verified")
        #expect(line(ha, "LKE HA control plane")?.asOf == "2024-10-31")
    }

    /// WAL archive in S3 eu-central-1: 2 GB/day · 7 days + 10 GB · 2 base backups = 34 GB ·
    /// 0.0245 = 0.83 USD (0.72 EUR); its PUT price is unknown there, so it is listed as
    /// unpriced. Secrets Manager 10 · 0.40 = 4.00 USD (3.46 EUR), 100,000 calls = 0.50 USD
    /// (0.43 EUR); Cloudflare Tunnel 0. Reference (existing-server prices, as CAX cannot be
    /// ordered) + services = 91.43 + 0.72 + 3.46 + 0.43 = 96.04.
    @Test func secondaryServices() throws {
        let s = try referenceText(
            costs: """
                {objectStorage: {service: s3, walGBPerDay: 2, retentionDays: 7, baseBackupGB: 10, baseBackupsRetained: 2}, \
                secretsManager: {secrets: 10, apiCallsPerMonth: 100000}, cloudflareTunnel: true}
                """)
        let o = try Fixtures.estimate(CostInput(platform: s.platform))
        #expect(line(o, "S3 Standard storage")?.quantity == 34)
        #expect(line(o, "S3 Standard storage")?.amount == 0.83)
        #expect(line(o, "S3 Standard storage")?.converted == 0.72)
        #expect(o.unpriced.contains { $0.hasPrefix("S3 PUT requests") })
        #expect(line(o, "AWS Secrets Manager secrets")?.amount == 4.00)
        #expect(line(o, "AWS Secrets Manager API calls")?.amount == 0.50)
        #expect(line(o, "Cloudflare Tunnel")?.amount == 0)
        #expect(o.monthly == 96.04)
        #expect(sumOfItems(o) == o.monthly)
    }

    /// Hetzner Object Storage instead: 6.49 EUR a month covers up to 1 TB.
    @Test func hetznerObjectStorage() throws {
        let s = try referenceText(costs: "{objectStorage: {service: hetzner, walGBPerDay: 2, retentionDays: 7}}")
        let o = try Fixtures.estimate(CostInput(platform: s.platform))
        #expect(line(o, "Hetzner Object Storage")?.amount == 6.49)
        #expect(o.monthly == 97.92)  // 91.43 + 6.49
    }

    /// Ops effort is an assumption reported apart: 10 h · 80 EUR = 800 EUR, not in `monthly` (91.43).
    @Test func opsEffortIsNeverInTheInfrastructureTotal() throws {
        let s = try referenceText(costs: "{ops: {hoursPerMonth: {k3s: 10, eks: 4}, ratePerHour: 80, currency: EUR}}")
        let o = try Fixtures.estimate(CostInput(platform: s.platform))
        #expect(o.monthly == 91.43)
        #expect(o.ops?.amount == 800)
        #expect(o.ops?.assumption.hasPrefix("ASSUMPTION") == true)
        #expect(o.monthlyWithOps == 891.43)
        #expect(!o.items.contains { $0.item.lowercased().contains("ops") })
    }

    /// Traffic within the servers' allowances (7 × 20 TB) costs nothing; above it 1 EUR/TB.
    @Test func hetznerTrafficAllowance() throws {
        let within = try Fixtures.estimate(CostInput(platform: try referenceText(costs: "{egressGBPerMonth: 30000}").platform))
        #expect(within.monthly == 91.43)
        let above = try Fixtures.estimate(CostInput(platform: try referenceText(costs: "{egressGBPerMonth: 153600}").platform))
        #expect(line(above, "outbound traffic")?.quantity == 10)
        #expect(above.monthly == 101.43)  // 91.43 + 10 TB · 1.00
    }

    /// The reference scenario's own assumptions: S3 (1 GB WAL/day · 7 + 5 GB · 2 = 17 GB ·
    /// 0.0245 = 0.42 USD → 0.36 EUR), Secrets Manager (5 · 0.40 = 2.00 USD → 1.73 EUR; 50,000
    /// calls = 0.25 USD → 0.22 EUR), the tunnel (0) and 200 GB egress within the servers'
    /// allowance (0), on the servers at the existing-server price (CAX cannot be ordered):
    /// 91.43 + 0.36 + 1.73 + 0.22 = 93.74 EUR.
    @Test func referenceScenarioWithItsServices() throws {
        let o = try Fixtures.estimate(CostInput(platform: try Fixtures.reference().platform))
        #expect(o.monthly == 93.74)
        #expect(sumOfItems(o) == o.monthly)
        #expect(line(o, "Cloudflare Tunnel")?.amount == 0)
        #expect(line(o, "outbound traffic")?.amount == 0)
    }

    @Test func costSettingsAreStrict() throws {
        #expect(throws: ScenarioError.self) { try referenceText(costs: "{priceBasis: old}") }
        do {
            _ = try referenceText(costs: "{loadBalancer: 1}")
            Issue.record("expected an error")
        } catch let e as ScenarioError {
            #expect(e.field == "spec.costs.loadBalancer")
            #expect(e.message.contains("did you mean \"loadBalancers\""))
            #expect(e.line != nil)
        }
    }
}
