import Catalog
import Costs
import Testing

/// Billing rules that depend on how the cluster reaches the internet and on how providers
/// name and count things; figures by hand from the shipped catalogs.
@Suite struct NetworkAndPlanRulesTests {
    func line(_ o: CostOption, _ prefix: String) -> CostLine? { o.items.first { $0.item.hasPrefix(prefix) } }

    /// Surviving the loss of one of 3 zones takes a NAT gateway in each: 3 · 0.052 · 730 =
    /// 113.88 USD, and their addresses 3 · 0.005 · 730 = 10.95 USD; otherwise one (37.96, 3.65).
    @Test func awsNeedsANATGatewayPerZoneToSurviveAZone() throws {
        var input = CostInput(
            provider: .aws, distribution: .eks, region: "eu-central-1", nodes: [NodeCount(type: "t4g.medium", count: 3)])
        let one = try Fixtures.estimate(input)
        #expect(line(one, "NAT gateway")?.amount == 37.96)
        input.zonesToSurvive = 3
        let three = try Fixtures.estimate(input)
        #expect(line(three, "NAT gateway")?.quantity == 2190)
        #expect(line(three, "NAT gateway")?.amount == 113.88)
        #expect(line(three, "public IPv4")?.amount == 10.95)
        #expect(three.notes.contains { $0.hasPrefix("3 NAT gateways, one per zone") })
        input.settings.natGateways = 1
        #expect(line(try Fixtures.estimate(input), "NAT gateway")?.amount == 37.96)
    }

    /// GKE nodes without external IPs need Cloud NAT for cloudflared's outbound connections;
    /// the catalog has no Cloud NAT price, so the line is unpriced and the total a lower bound.
    @Test func gkeNodesNeedCloudNAT() throws {
        var input = CostInput(
            provider: .gcp, distribution: .gke, region: "us-central1", nodes: [NodeCount(type: "e2-standard-2", count: 3)])
        input.settings.gkeMode = .zonal
        let o = try Fixtures.estimate(input)
        let nat = try #require(line(o, "Cloud NAT gateway"))
        #expect(nat.priced == false && nat.quantity == 730)
        #expect(o.complete == false)
        #expect(o.monthly == 176.74)  // unchanged: 146.74 nodes + 30.00 disks + 73.00 fee − 73.00 credit
        input.settings.publicIPv4 = true
        #expect(line(try Fixtures.estimate(input), "Cloud NAT") == nil)
    }

    /// Autopilot bills requests per GiB-hour: 2 vCPU · 0.0445 · 730 = 64.97 USD and
    /// 2 GiB (2 · 2³⁰ bytes, not 2.147 GB) · 0.0049225 · 730 = 7.19 USD.
    @Test func autopilotMemoryIsBilledPerGiB() throws {
        var input = CostInput(provider: .gcp, distribution: .gke, region: "us-central1", nodes: [])
        input.settings.gkeMode = .autopilot
        input.podRequests.milliCPU = 2000
        input.podRequests.memoryBytes = 2 << 30
        let o = try Fixtures.estimate(input)
        #expect(line(o, "Autopilot pod vCPU")?.amount == 64.97)
        let mem = try #require(line(o, "Autopilot pod memory"))
        #expect(mem.quantity == 1460)
        #expect(mem.unit == "GiB-hour")
        #expect(mem.amount == 7.19)
    }

    /// Hetzner's included traffic depends on the type and the location: the EU figure (20 TB
    /// for cpx22) holds in eu-central, and 3 · 20 = 60 TB covers 10,240 GB; in Singapore the
    /// catalog has no figure for cpx22, so the line is unpriced rather than assumed. cpx11,
    /// offered only in the US, keeps its own 1 TB there: 2 servers, 3,072 GB → 1 TB over at
    /// 1.00 EUR = 1.00 EUR.
    @Test func hetznerIncludedTrafficDependsOnTheLocation() throws {
        func estimate(_ type: String, _ count: Int, _ region: String, egressGB: Double) throws -> CostOption {
            var input = CostInput(
                provider: .hetzner, distribution: .k3s, region: region, nodes: [NodeCount(type: type, count: count)])
            input.settings.egressGBPerMonth = egressGB
            return try Fixtures.estimate(input)
        }
        let eu = try estimate("cpx22", 3, "eu-central", egressGB: 10_240)
        #expect(line(eu, "outbound traffic above the included 60 TB")?.amount == 0)
        let sin = try estimate("cpx22", 3, "ap-southeast", egressGB: 10_240)
        let traffic = try #require(line(sin, "outbound traffic above the included allowance"))
        #expect(traffic.priced == false && traffic.quantity == 10)
        #expect(sin.complete == false)
        let us = try estimate("cpx11", 2, "us-east", egressGB: 3_072)
        #expect(line(us, "outbound traffic above the included 2 TB")?.quantity == 1)
        #expect(line(us, "outbound traffic above the included 2 TB")?.amount == 1.00)
    }

    /// Linode's API names dedicated plans g6-dedicated-N (Dedicated 8GB: 4 vCPU, 8 GB).
    @Test func linodeDedicatedPlanIds() throws {
        let pc = try #require(Fixtures.catalog.provider(.linode))
        let t = try #require(pc.instanceType("g6-dedicated-4"))
        #expect(t.vcpu == 4 && t.memoryGiB == 8)
        #expect(pc.instanceType("g7-dedicated-4") == nil)
    }
}
