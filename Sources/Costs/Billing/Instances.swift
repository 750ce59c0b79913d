import Catalog

/// The machines' lines, under the provider's billing model: Hetzner and Linode bill hourly up
/// to the monthly price; AWS and GCP per second (a month of `hoursPerMonth`).
///
/// Which price list applies: machines the scenario already runs keep its `priceBasis`, and
/// without one a type that can no longer be ordered keeps the price its owners pay (Hetzner's
/// existing-server price) rather than a list price nobody can order at; every other machine
/// is a new order at the list price.
enum Instances {
    static func add(_ input: CostInput, _ pc: ProviderCatalog, _ ledger: inout Ledger) {
        var unorderable: [InstanceType] = []
        var kept = Dictionary((input.existing ?? input.nodes).map { ($0.type, $0.count) }, uniquingKeysWith: +)
        for n in input.nodes where n.count > 0 {
            let what =
                n.role == "server"
                ? "server \(n.type) (control plane)" : "\(input.provider == .hetzner ? "server" : "instance") \(n.type)"
            guard let type = pc.instanceType(n.type) else {
                ledger.addUnpriced(
                    what, category: "compute", quantity: Double(n.count), unit: "machine-month",
                    why: "\(n.type) is not in the \(pc.provider) catalog")
                continue
            }
            let owned = min(n.count, kept[n.type] ?? 0)
            kept[n.type] = (kept[n.type] ?? 0) - owned
            let ownedBasis = input.settings.priceBasis ?? (type.orderable ? .new : .existing)
            var groups: [(count: Int, basis: PriceBasis)] = [(owned, ownedBasis), (n.count - owned, .new)].filter { $0.count > 0 }
            if groups.count == 2 && groups[0].basis == groups[1].basis { groups = [(n.count, .new)] }
            for g in groups {
                line(
                    what, count: g.count, type: type, basis: g.basis, explicit: input.settings.priceBasis != nil, input, pc,
                    &ledger)
            }
            if !type.orderable && owned > 0 && !unorderable.contains(type) { unorderable.append(type) }
        }
        if !unorderable.isEmpty {
            ledger.notes.append(unorderableNote(unorderable, basis: input.settings.priceBasis, input.provider))
        }
    }

    static func unorderableNote(_ types: [InstanceType], basis: PriceBasis?, _ provider: Provider) -> String {
        let since = Set(types.compactMap { $0.availability?.asOf }).sorted().joined(separator: ", ")
        let what =
            "\(types.map(\.id).joined(separator: ", ")) cannot be ordered now (marked not available for new orders "
            + "since \(since.isEmpty ? "(see catalog)" : since); such marks may be lifted)"
        if basis == .new {
            return what + ": this list price holds for no one"
                + (provider == .hetzner ? "; servers you already run pay the existing-server price (priceBasis: existing)" : "")
                + ", and `k3sim plan` picks orderable types."
        }
        return what + ": priced at what the servers already running pay; a new cluster cannot have them."
    }

    /// One line: `count` machines of `type` at `basis` (falling back to the list price when
    /// the catalog has no existing-server price).
    static func line(
        _ what: String, count: Int, type: InstanceType, basis wanted: PriceBasis, explicit: Bool,
        _ input: CostInput, _ pc: ProviderCatalog, _ ledger: inout Ledger
    ) {
        let hours = input.settings.hoursPerMonth
        var basis = wanted
        var price = type.price(region: input.region, basis: basis)
        if price == nil && basis == .existing, let p = type.price(region: input.region, basis: .new) {
            price = p
            basis = .new
            if explicit {
                ledger.notes.append("\(type.id) has no price for existing servers in the catalog; the new-order price is used.")
            }
        }
        guard let price else {
            ledger.addUnpriced(
                what, category: "compute", quantity: Double(count), unit: "machine-month",
                why: "no \(type.id) price for \(input.region) in the catalog (add it with --catalog)")
            return
        }
        let cur = pc.currency
        let (unitPrice, how): (Double, String)
        switch (pc.billing.model, price.perHour, price.perMonth) {
        case ("hourly-capped", let h?, let m?):
            unitPrice = min(h * hours, m)
            how = "min(\(num(h)) \(cur)/h × \(num(hours)) h, \(num(m)) \(cur)/month)"
        case (_, let h?, _):
            unitPrice = h * hours
            how = "\(num(h)) \(cur)/h × \(num(hours)) h"
        case (_, nil, let m?):
            unitPrice = m * min(1, hours / pc.billing.hoursPerMonth)
            how =
                "\(num(m)) \(cur)/month"
                + (hours < pc.billing.hoursPerMonth ? " × \(num(hours))/\(num(pc.billing.hoursPerMonth)) h" : "")
        default:
            return
        }
        let label = basis == .existing && price.basis == .existing ? " (existing-server price)" : ""
        ledger.add(
            what + label, category: "compute", quantity: Double(count), unit: "machine-month",
            unitPrice: unitPrice, provenance: Provenance(price), basis: how)
    }
}
