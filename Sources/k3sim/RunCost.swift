import Catalog
import Costs
import Scenario
import Store

/// The cost of a run's own platform (the scenario's machines, as `k3sim cost` prices them,
/// without planning other providers), stored with the run and shown under its summary.
enum RunCost {
    /// Nil when the scenario has no priced machines (explicit nodes only) or cannot be priced;
    /// a run never fails because of its cost.
    static func option(_ loaded: LoadedScenario) -> CostOption? {
        let p = loaded.platform
        guard p.controlPlane != nil || !p.pools.isEmpty, let catalog = try? PriceCatalog.shipped() else { return nil }
        let currency = p.costs.currency ?? catalog.provider(p.provider)?.currency ?? "EUR"
        var fx: [String: FXUsed] = [:]
        let input = CostInput(
            platform: p, workloads: loaded.workloads(for: p.distribution),
            defaultStorageClass: loaded.spec.storage.defaultClass)
        return try? CostCalculator.estimate(input, catalog: catalog, currency: currency, fx: &fx)
    }

    static func stored(_ o: CostOption) -> StoredCostOption {
        StoredCostOption(
            provider: o.provider, distribution: o.distribution, region: o.region, origin: o.origin,
            currency: o.currency, monthly: o.monthly,
            items: o.items.map {
                StoredCostItem(
                    item: $0.item, category: $0.category, quantity: $0.quantity, unit: $0.unit, unitPrice: $0.unitPrice,
                    amount: $0.amount, currency: $0.currency, converted: $0.converted, asOf: $0.asOf,
                    source: $0.source, confidence: $0.confidence)
            })
    }

    static func line(_ o: CostOption) -> String {
        "Monthly cost: \(CostText.total(o)) (\(o.provider) \(o.distribution) \(o.region): "
            + "\(CostText.nodes(o.nodes))\(o.unpriced.isEmpty ? "" : "; \(o.unpriced.count) unpriced item(s)")); "
            + "`k3sim cost` itemizes it and compares providers"
    }
}
