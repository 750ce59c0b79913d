import Catalog
import KubeModel

/// Google Cloud (pricing.md §3): Compute Engine per second; the GKE management fee per
/// cluster-hour for every cluster; the free-tier credit (74.40 USD a month, one per billing
/// account) covers one zonal Standard or Autopilot cluster but never a regional one;
/// Autopilot bills pod requests instead of nodes; boot and persistent disks per GB-month;
/// internet egress by tier.
enum GCPBilling {
    /// GKE's default boot disk: 100 GB pd-balanced (assumption unless rootVolumeGB is set).
    static let defaultBootDiskGB = 100.0

    static func mode(_ input: CostInput) -> CostSettings.GKEMode {
        input.settings.gkeMode ?? (input.controlPlaneHA ? .regional : .zonal)
    }

    static func bill(_ input: CostInput, _ pc: ProviderCatalog, _ ledger: inout Ledger) {
        let s = input.settings, hours = s.hoursPerMonth, region = input.region
        let mode = input.distribution == .gke ? mode(input) : nil
        if mode == .autopilot {
            autopilot(input, pc, &ledger)
        } else {
            Instances.add(input, pc, &ledger)
            let machines = Double(CostCalculator.machineCount(input))
            let boot = s.rootVolumeGB ?? defaultBootDiskGB
            if boot > 0 && machines > 0 {
                ledger.add(
                    item: pc.item("pd-balanced", region: region), id: "pd-balanced", name: "pd-balanced boot disks",
                    category: "storage", quantity: machines * boot, unit: "GB-month",
                    basis: "\(num(machines)) nodes × \(num(boot)) GB", region: region)
            }
        }
        if let mode {
            let fee = pc.item("gke-cluster-fee")
            ledger.add(
                item: fee, id: "gke-cluster-fee", name: "GKE cluster management fee (\(mode.rawValue))",
                category: "control-plane", quantity: hours, unit: "cluster-hour")
            let feeAmount = ledger.lines.last?.amount ?? 0
            if mode == .regional {
                ledger.notes.append(
                    "Regional GKE cluster: the free-tier credit does not apply (it covers one zonal or Autopilot cluster per billing account)."
                )
            } else if !s.gkeFreeTier {
                ledger.notes.append(
                    "Free-tier credit not applied: costs.gkeFreeTier is false (another cluster of the billing account uses it).")
            } else if let credit = pc.item("gke-free-tier-credit"), let max = credit.price {
                let c = min(max, feeAmount)
                ledger.add(
                    "GKE free-tier credit (one \(mode.rawValue) cluster per billing account)", category: "credit",
                    quantity: 1, unit: "month", unitPrice: -c, provenance: Provenance(credit),
                    basis: "min(\(num(max)) USD credit, fee)")
            }
        }
        if mode != nil { cloudNAT(input, pc, &ledger) }
        if s.volumeGB > 0 {
            ledger.add(
                item: pc.item("pd-balanced", region: region), id: "pd-balanced", name: "pd-balanced persistent disks",
                category: "storage", quantity: s.volumeGB, unit: "GB-month", region: region)
        }
        if s.loadBalancers > 0 {
            ledger.addUnpriced(
                "Cloud Load Balancing", category: "network", quantity: Double(s.loadBalancers), unit: "lb-month",
                why: "no GCP load balancer price in the catalog (add one with --catalog)")
        }
        if s.egressGBPerMonth > 0 {
            guard let item = pc.item("egress"), let tiers = item.tiers else { return }
            let (amount, how) = CostCalculator.tiered(s.egressGBPerMonth, tiers)
            ledger.add(
                "internet egress (Premium Tier)", category: "network", quantity: s.egressGBPerMonth, unit: "GB",
                unitPrice: amount / s.egressGBPerMonth, provenance: Provenance(item), basis: how)
        }
    }

    /// Cloud NAT for nodes without external IPs.
    ///
    /// Nodes without external IPs (GKE's private nodes, and Autopilot's) reach the internet,
    /// cloudflared's outbound connections included, through Cloud NAT, as AWS's private nodes do
    /// through a NAT gateway. With `publicIPv4: true` the nodes' external IPs are used instead.
    static func cloudNAT(_ input: CostInput, _ pc: ProviderCatalog, _ ledger: inout Ledger) {
        let s = input.settings, region = input.region
        if s.publicIPv4 == true {
            ledger.notes.append(
                "Nodes use external IPs for outbound traffic (costs.publicIPv4: true); their price is not in the catalog.")
            return
        }
        ledger.add(
            item: pc.item("cloud-nat", region: region), id: "cloud-nat", name: "Cloud NAT gateway (outbound for private nodes)",
            category: "network", quantity: s.hoursPerMonth, unit: "gateway-hour", region: region)
        if s.egressGBPerMonth > 0 {
            ledger.add(
                item: pc.item("cloud-nat-data", region: region), id: "cloud-nat-data", name: "Cloud NAT data processed",
                category: "network", quantity: s.egressGBPerMonth, unit: "GB", region: region)
        }
    }

    /// Autopilot: vCPU-hours and GiB-hours of the pods' requests (system pods are not billed).
    ///
    /// Google Cloud's billing "GB" of memory is a gibibyte, 2³⁰ bytes ("disk size, machine type
    /// memory, and network usage are calculated in JEDEC binary gigabytes (GB), or IEC gibibytes
    /// (GiB)", cloud.google.com/compute/disks-image-pricing), so requests count in GiB, not 10⁹
    /// bytes.
    static func autopilot(_ input: CostInput, _ pc: ProviderCatalog, _ ledger: inout Ledger) {
        let hours = input.settings.hoursPerMonth
        let vcpu = Double(input.podRequests.milliCPU) / 1000
        let gb = Double(input.podRequests.memoryBytes) / 1_073_741_824
        ledger.add(
            item: pc.item("autopilot-vcpu", region: input.region), id: "autopilot-vcpu",
            name: "Autopilot pod vCPU", category: "compute", quantity: vcpu * hours, unit: "vCPU-hour",
            basis: "\(num(vcpu)) vCPU requested × \(num(hours)) h", region: input.region)
        ledger.add(
            item: pc.item("autopilot-memory", region: input.region), id: "autopilot-memory",
            name: "Autopilot pod memory", category: "compute", quantity: gb * hours, unit: "GiB-hour",
            basis: "\(num((gb * 1000).rounded() / 1000)) GiB requested × \(num(hours)) h", region: input.region)
        ledger.notes.append(
            "Autopilot bills pod requests (rounded up to its 0.25 vCPU steps in reality; not modelled) instead of nodes.")
    }
}
