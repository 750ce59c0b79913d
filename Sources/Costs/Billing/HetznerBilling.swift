import Catalog

/// Hetzner Cloud billing (pricing.md §1).
///
/// Servers hourly, every started hour, capped at the monthly price; a primary IPv4 per server; load
/// balancers and IPs billed like servers; volumes per GB-month; backups at 20 % of the server
/// price; outbound traffic beyond each server's included allowance per TB. No control-plane fee:
/// self-managed servers are ordinary servers.
enum HetznerBilling {
    static func bill(_ input: CostInput, _ pc: ProviderCatalog, _ ledger: inout Ledger) {
        let hours = input.settings.hoursPerMonth
        Instances.add(input, pc, &ledger)
        let servers = Double(CostCalculator.machineCount(input))
        if input.settings.publicIPv4 ?? true {
            capped(
                pc.item("primary-ipv4"), id: "primary-ipv4", name: "primary IPv4", quantity: servers, unit: "address-month",
                hours: hours, ledger: &ledger)
        }
        if input.settings.loadBalancers > 0 {
            capped(
                pc.item("lb11"), id: "lb11", name: "load balancer LB11", quantity: Double(input.settings.loadBalancers),
                unit: "lb-month", hours: hours, ledger: &ledger)
        }
        if input.settings.volumeGB > 0 {
            ledger.add(
                item: pc.item("volume"), id: "volume", name: "volumes", category: "storage",
                quantity: input.settings.volumeGB, unit: "GB-month")
        }
        if input.settings.backups {
            let serverAmount = ledger.lines.filter { $0.category == "compute" }.reduce(0) { $0 + $1.amount }
            if let b = pc.item("backup"), let percent = b.price {
                ledger.add(
                    "server backups (\(num(percent)) % of the server price)", category: "storage",
                    quantity: serverAmount, unit: "\(pc.currency) of servers", unitPrice: percent / 100,
                    provenance: Provenance(b))
            } else {
                ledger.addUnpriced(
                    "server backups", category: "storage", quantity: serverAmount, unit: "\(pc.currency) of servers",
                    why: "no backup percentage in the catalog")
            }
        }
        if input.settings.egressGBPerMonth > 0 { traffic(input, pc, &ledger) }
    }

    /// An hourly item capped at its monthly price (IPs, load balancers).
    static func capped(
        _ item: PriceItem?, id: String, name: String, quantity: Double, unit: String, hours: Double,
        ledger: inout Ledger
    ) {
        guard let item, let monthly = item.price else {
            ledger.add(item: item, id: id, name: name, category: "network", quantity: quantity, unit: unit)
            return
        }
        if let h = item.perHour, h * hours < monthly {
            ledger.add(
                name, category: "network", quantity: quantity, unit: unit, unitPrice: h * hours,
                provenance: Provenance(item), basis: "\(num(h)) EUR/h × \(num(hours)) h (below the monthly cap)")
        } else {
            ledger.add(
                name, category: "network", quantity: quantity, unit: unit, unitPrice: monthly, provenance: Provenance(item),
                basis: item.perHour.map { "min(\(num($0)) EUR/h × \(num(hours)) h, \(num(monthly)) EUR/month)" })
        }
    }

    /// Outbound traffic beyond the servers' and load balancers' included allowances.
    ///
    /// Each server's (and LB's) allowance is its own, not pooled; with traffic spread evenly, the
    /// overage is the egress beyond the sum of allowances. 1 TB = 1024 GB here; whether Hetzner
    /// bills fractions of a TB is not in the sources, so the overage is proportional. The allowance
    /// depends on the type and the location; one the catalog does not know leaves the line unpriced
    /// rather than assume the EU figure.
    static func traffic(_ input: CostInput, _ pc: ProviderCatalog, _ ledger: inout Ledger) {
        let region = pc.region(input.region)
        let euZones = Set(pc.regions.filter { $0.geo == "eu" }.flatMap { $0.zones.map(\.id) })
        var includedTB = 0.0
        var unknown: [String] = []
        for n in input.nodes {
            guard let t = pc.instanceType(n.type) else { continue }
            if let tb = t.includedTraffic(region: input.region, inEU: region?.geo == "eu", euZones: euZones) {
                includedTB += Double(n.count) * tb
            } else if !unknown.contains(t.id) {
                unknown.append(t.id)
            }
        }
        let egress = input.settings.egressGBPerMonth
        guard unknown.isEmpty else {
            ledger.addUnpriced(
                "outbound traffic above the included allowance", category: "network", quantity: egress / 1024, unit: "TB",
                why: "the traffic included with \(unknown.joined(separator: ", ")) in \(input.region) is not in the catalog "
                    + "(Hetzner includes less outside the EU)")
            return
        }
        let overTB = max(0, egress / 1024 - includedTB)
        let item = pc.item("traffic-overage", region: input.region)
        ledger.add(
            item: item, id: "traffic-overage", name: "outbound traffic above the included \(num(includedTB)) TB",
            category: "network", quantity: overTB, unit: "TB",
            basis: "\(num(egress)) GB egress, \(num(includedTB)) TB included", region: input.region)
    }
}
