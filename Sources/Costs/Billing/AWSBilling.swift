import Catalog

/// AWS (pricing.md §2): EC2 per second, a month of 730 h; the EKS cluster fee per hour
/// (standard or extended support); every public IPv4 per hour (NAT gateway and load balancer
/// addresses included); NAT gateway per hour and per GB processed; ALB per hour and LCU-hour;
/// EBS gp3 per GB-month (node root volumes and persistent volumes); internet egress by tier.
enum AWSBilling {
    /// Root volume of an EKS managed node group node when the scenario does not say (20 GiB,
    /// the node group default; assumption, see CostSettings.rootVolumeGB).
    static let defaultRootVolumeGB = 20.0
    /// Load balancer capacity units per hour assumed for an ALB (light traffic; assumption).
    static let assumedLCUs = 1.0
    /// Public addresses of an ALB: one per availability zone, at least two zones.
    static let albAddresses = 2.0

    static func bill(_ input: CostInput, _ pc: ProviderCatalog, _ ledger: inout Ledger) {
        let s = input.settings, hours = s.hoursPerMonth, region = input.region
        Instances.add(input, pc, &ledger)
        let machines = Double(CostCalculator.machineCount(input))
        if input.distribution == .eks {
            let tier = s.eksSupport == .extended ? "eks-extended" : "eks-standard"
            ledger.add(
                item: pc.item(tier), id: tier, name: "EKS control plane (\(s.eksSupport.rawValue) support)",
                category: "control-plane", quantity: hours, unit: "cluster-hour")
            ledger.notes.append(
                "EKS's control plane is always highly available (AWS runs it over three availability zones); "
                    + "there is no cheaper single-zone kind.")
        }
        let rootGB = s.rootVolumeGB ?? defaultRootVolumeGB
        if rootGB > 0 && machines > 0 {
            ledger.add(
                item: pc.item("ebs-gp3", region: region), id: "ebs-gp3", name: "EBS gp3 root volumes",
                category: "storage", quantity: machines * rootGB, unit: "GB-month",
                basis: "\(num(machines)) nodes × \(num(rootGB)) GB", region: region)
        }
        if s.volumeGB > 0 {
            ledger.add(
                item: pc.item("ebs-gp3", region: region), id: "ebs-gp3", name: "EBS gp3 persistent volumes",
                category: "storage", quantity: s.volumeGB, unit: "GB-month", region: region)
        }
        // Private nodes reach the internet through their zone's NAT gateway: surviving a zone
        // takes one per zone, or the loss of the gateway's zone cuts the others off.
        let nat = Double(s.natGateways ?? max(1, input.zonesToSurvive ?? 1))
        if nat > 0 {
            ledger.add(
                item: pc.item("nat-gateway", region: region), id: "nat-gateway", name: "NAT gateway",
                category: "network", quantity: nat * hours, unit: "gateway-hour",
                basis: "\(num(nat)) × \(num(hours)) h", region: region)
            if s.egressGBPerMonth > 0 {
                ledger.add(
                    item: pc.item("nat-gateway-data", region: region), id: "nat-gateway-data",
                    name: "NAT gateway data processed", category: "network", quantity: s.egressGBPerMonth,
                    unit: "GB", region: region)
            }
        }
        let lbs = Double(s.loadBalancers)
        if lbs > 0 {
            ledger.add(
                item: pc.item("alb", region: region), id: "alb", name: "Application Load Balancer",
                category: "network", quantity: lbs * hours, unit: "lb-hour", region: region)
            ledger.add(
                item: pc.item("alb-lcu", region: region), id: "alb-lcu", name: "ALB capacity units",
                category: "network", quantity: lbs * assumedLCUs * hours, unit: "LCU-hour",
                basis: "\(num(assumedLCUs)) LCU assumed", region: region)
        }
        let nodeIPs = (s.publicIPv4 ?? false) ? machines : 0
        let ips = nodeIPs + nat + lbs * albAddresses
        if ips > 0 {
            ledger.add(
                item: pc.item("public-ipv4"), id: "public-ipv4", name: "public IPv4 addresses",
                category: "network", quantity: ips * hours, unit: "address-hour",
                basis:
                    "\(num(ips)) addresses (\(num(nodeIPs)) nodes, \(num(nat)) NAT, \(num(lbs * albAddresses)) ALB) × \(num(hours)) h"
            )
        }
        if s.egressGBPerMonth > 0 { egress(s.egressGBPerMonth, pc, &ledger) }
        if s.natGateways == nil && input.zonesToSurvive != nil {
            ledger.notes.append(
                "\(num(nat)) NAT gateways, one per zone: private nodes (and cloudflared's outbound connections) "
                    + "must keep their way out when a zone is lost; set costs.natGateways to change it.")
        } else if s.natGateways == nil && nat > 0 {
            ledger.notes.append(
                "1 NAT gateway assumed (private nodes need one for outbound traffic); set costs.natGateways to change it.")
        }
    }

    static func egress(_ gb: Double, _ pc: ProviderCatalog, _ ledger: inout Ledger) {
        guard let item = pc.item("egress"), let tiers = item.tiers else {
            ledger.addUnpriced(
                "internet egress", category: "network", quantity: gb, unit: "GB", why: "no egress tiers in the catalog")
            return
        }
        let (amount, how) = CostCalculator.tiered(gb, tiers)
        ledger.add(
            "internet egress", category: "network", quantity: gb, unit: "GB", unitPrice: gb > 0 ? amount / gb : 0,
            provenance: Provenance(item), basis: how)
    }
}
