import Catalog

/// The reference architecture's services outside the cluster (pricing.md §6).
///
/// They are the same for every platform option so that options differ only by what differs: object
/// storage for CloudNativePG's WAL archive and base backups (AWS S3 or Hetzner Object Storage), AWS
/// Secrets Manager behind External Secrets, and Cloudflare Tunnel in front of the services. Each
/// appears only when the scenario's `spec.costs` names it.
enum SecondaryServices {
    static func bill(_ input: CostInput, _ catalog: PriceCatalog, _ ledger: inout Ledger) {
        let s = input.settings
        if let os = s.objectStorage { objectStorage(os, input, catalog, &ledger) }
        if let sm = s.secretsManager, let aws = catalog.provider(.aws) {
            ledger.add(
                item: aws.item("secrets-manager-secret"), id: "secrets-manager-secret",
                name: "AWS Secrets Manager secrets", category: "services", quantity: Double(sm.secrets),
                unit: "secret-month", currency: aws.currency)
            if sm.apiCallsPerMonth > 0 {
                ledger.add(
                    item: aws.item("secrets-manager-calls"), id: "secrets-manager-calls",
                    name: "AWS Secrets Manager API calls", category: "services", quantity: sm.apiCallsPerMonth / 10_000,
                    unit: "10,000 calls", basis: "\(num(sm.apiCallsPerMonth)) calls", currency: aws.currency)
            }
        }
        if s.cloudflareTunnel, let cf = catalog.providers["cloudflare"] {
            ledger.add(
                item: cf.item("tunnel"), id: "tunnel", name: "Cloudflare Tunnel", category: "services", quantity: 1,
                unit: "month", currency: cf.currency)
        }
    }

    /// The S3 region: the one given, else the cluster's own on AWS, else the first AWS region
    /// on the same continent as the cluster.
    static func s3Region(_ os: ObjectStorageSettings, _ input: CostInput, _ catalog: PriceCatalog) -> String? {
        if let r = os.region { return r }
        if input.provider == .aws { return input.region }
        let geo = catalog.provider(input.provider)?.region(input.region)?.geo
        return catalog.provider(.aws)?.regions.first { $0.geo == geo }?.id ?? catalog.provider(.aws)?.regions.first?.id
    }

    static func objectStorage(
        _ os: ObjectStorageSettings, _ input: CostInput, _ catalog: PriceCatalog,
        _ ledger: inout Ledger
    ) {
        let stored = os.storedGB
        let sizing =
            "\(num(os.walGBPerDay)) GB WAL/day × \(num(os.retentionDays)) days + \(num(os.baseBackupGB)) GB base backup × \(os.baseBackupsRetained)"
        switch os.service {
        case .hetzner:
            guard let h = catalog.provider(.hetzner) else { return }
            let base = h.item("object-storage")
            ledger.add(
                item: base, id: "object-storage", name: "Hetzner Object Storage (WAL and base backups)",
                category: "services", quantity: 1, unit: "month", basis: sizing + " = \(num(stored)) GB stored",
                currency: h.currency)
            let included = base?.includedStorageGB ?? 0
            if stored > included {
                ledger.add(
                    item: h.item("object-storage-overage"), id: "object-storage-overage",
                    name: "Hetzner Object Storage above \(num(included)) GB", category: "services",
                    quantity: stored - included, unit: "GB-month", currency: h.currency)
            }
        case .s3:
            guard let aws = catalog.provider(.aws), let region = s3Region(os, input, catalog) else { return }
            ledger.add(
                item: aws.item("s3-standard", region: region), id: "s3-standard",
                name: "S3 Standard storage (WAL and base backups)", category: "services", quantity: stored,
                unit: "GB-month", basis: sizing, region: region, currency: aws.currency)
            // One PUT per archived WAL segment; base backups are a few multipart uploads (ignored).
            let days = input.settings.hoursPerMonth / 24
            let puts = os.walGBPerDay * 1024 / os.walSegmentMB * days
            if puts > 0 {
                ledger.add(
                    item: aws.item("s3-put", region: region), id: "s3-put", name: "S3 PUT requests (WAL segments)",
                    category: "services", quantity: puts / 1000, unit: "1,000 requests",
                    basis:
                        "\(num(os.walGBPerDay)) GB/day ÷ \(num(os.walSegmentMB)) MB segments × \(num((days * 100).rounded() / 100)) days",
                    region: region, currency: aws.currency)
            }
        }
    }
}

/// Ops effort: hours × rate, a labelled assumption reported beside the infrastructure cost.
enum OpsEffort {
    static func cost(
        _ ops: OpsSettings?, distribution: Distribution, currency: String, catalog: PriceCatalog,
        fx: inout [String: FXUsed]
    ) throws -> OpsCost? {
        guard let ops, let hours = ops.hoursPerMonth[distribution.rawValue] else { return nil }
        guard let conv = catalog.conversion(from: ops.currency, to: currency) else {
            throw CostError("no exchange rate from \(ops.currency) to \(currency) for the ops rate")
        }
        if let r = conv.rate { fx[r.base + r.quote] = FXUsed(rate: r.rate, date: r.date, source: r.source) }
        let amount = Ledger.round2(hours * ops.ratePerHour)
        return OpsCost(
            hours: hours, ratePerHour: ops.ratePerHour, amount: amount, currency: ops.currency,
            converted: Ledger.round2(amount * conv.factor),
            assumption: "ASSUMPTION (not a price): \(num(hours)) h/month × \(num(ops.ratePerHour)) \(ops.currency)/h"
                + (ops.note.map { "; \($0)" } ?? "") + ". No public source gives hours per cluster (pricing.md §7).")
    }
}
