import Catalog

/// Akamai/Linode (pricing.md §4): Linodes hourly up to the monthly price; the LKE control
/// plane free, or the HA control plane as a billable option; NodeBalancers and Block Storage;
/// transfer pooled per account (each node adds its allowance), overage per GB.
enum LinodeBilling {
    static func bill(_ input: CostInput, _ pc: ProviderCatalog, _ ledger: inout Ledger) {
        let s = input.settings, hours = s.hoursPerMonth
        Instances.add(input, pc, &ledger)
        if input.distribution == .lke {
            let ha = s.lkeHighAvailability ?? input.controlPlaneHA
            let id = ha ? "lke-ha-control-plane" : "lke-control-plane"
            let name = ha ? "LKE HA control plane" : "LKE control plane (free)"
            capped(
                pc.item(id), id: id, name: name, category: "control-plane", quantity: 1, unit: "cluster-month",
                hours: hours, ledger: &ledger)
        }
        if s.loadBalancers > 0 {
            capped(
                pc.item("nodebalancer"), id: "nodebalancer", name: "NodeBalancer", category: "network",
                quantity: Double(s.loadBalancers), unit: "lb-month", hours: hours, ledger: &ledger)
        }
        if s.volumeGB > 0 {
            ledger.add(
                item: pc.item("block-storage"), id: "block-storage", name: "Block Storage", category: "storage",
                quantity: s.volumeGB, unit: "GB-month")
        }
        if s.egressGBPerMonth > 0 {
            var poolTB = 0.0
            for n in input.nodes { poolTB += Double(n.count) * (pc.instanceType(n.type)?.includedTrafficTB ?? 0) }
            let overGB = max(0, s.egressGBPerMonth - poolTB * 1024)
            ledger.add(
                item: pc.item("transfer-overage"), id: "transfer-overage",
                name: "transfer above the pooled \(num(poolTB)) TB", category: "network", quantity: overGB, unit: "GB",
                basis: "\(num(s.egressGBPerMonth)) GB egress, \(num(poolTB)) TB pooled")
        }
    }

    static func capped(
        _ item: PriceItem?, id: String, name: String, category: String, quantity: Double, unit: String,
        hours: Double, ledger: inout Ledger
    ) {
        guard let item, let monthly = item.price else {
            ledger.add(item: item, id: id, name: name, category: category, quantity: quantity, unit: unit)
            return
        }
        let unitPrice = item.perHour.map { min($0 * hours, monthly) } ?? monthly
        ledger.add(
            name, category: category, quantity: quantity, unit: unit, unitPrice: unitPrice, provenance: Provenance(item),
            basis: item.perHour.map { "min(\(num($0)) USD/h × \(num(hours)) h, \(num(monthly)) USD/month)" })
    }
}
