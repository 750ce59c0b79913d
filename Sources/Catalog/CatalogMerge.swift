import KubeModel

extension PriceCatalog {
    /// The catalog with a user's catalog applied (see `CatalogOverride`).
    ///
    /// Errors are `DecodingError.dataCorrupted` with the coding path of the offending entry, so
    /// that the file reader reports them with line and column like any other error in the file.
    public func merging(_ o: CatalogOverride, file: String) throws -> PriceCatalog {
        var out = self
        out.overrides.append(file)
        let defaultSource = "user catalog \(file)"
        for p in o.providers {
            guard var pc = out.providers[p.provider] else {
                throw Self.error(
                    p.codingPath + [AnyCodingKey("provider")],
                    "unknown provider \"\(p.provider)\" (known: \(out.providers.keys.sorted().joined(separator: ", ")))")
            }
            if let c = p.currency, c != pc.currency {
                throw Self.error(
                    p.codingPath + [AnyCodingKey("currency")],
                    "\(pc.provider) prices are in \(pc.currency); give them in \(pc.currency) (exchange rates go under fx)")
            }
            for t in p.instanceTypes { try Self.merge(t, into: &pc, file: file) }
            for it in p.items { Self.merge(it, into: &pc, source: defaultSource) }
            out.providers[p.provider] = pc
        }
        for r in o.fx {
            out.rates.removeAll { ($0.base == r.base && $0.quote == r.quote) || ($0.base == r.quote && $0.quote == r.base) }
            out.rates.append(FXRate(base: r.base, quote: r.quote, rate: r.rate, date: r.date, source: r.source ?? defaultSource))
        }
        return out
    }

    /// A user's instance type: fields it sets replace the catalog's, its price rows replace
    /// those of the same basis and region; a type the catalog lacks must be complete.
    private static func merge(_ t: TypeOverride, into pc: inout ProviderCatalog, file: String) throws {
        let defaultSource = "user catalog \(file)"
        var rows = t.prices
        for i in rows.indices where rows[i].source == nil { rows[i].source = defaultSource }
        if let i = pc.instanceTypes.firstIndex(where: { $0.id == t.id.lowercased() }) {
            var e = pc.instanceTypes[i]
            if let v = t.family { e.family = v }
            if let v = t.arch { e.arch = v }
            if let v = t.vcpu { e.vcpu = v }
            if let v = t.memoryGiB { e.memoryGiB = v }
            if let v = t.offeredIn { e.offeredIn = v }
            if let v = t.orderable {
                e.orderable = v; e.availability = Availability(note: "set by \(file)", source: defaultSource)
            }
            if let v = t.maxPods { e.maxPods = v; e.maxPodsSource = defaultSource }
            if let v = t.includedTrafficTB { e.includedTrafficTB = v }
            if let v = t.note { e.note = v }
            for row in rows {
                if let j = e.prices.firstIndex(where: { $0.basis == row.basis && $0.region == row.region }) {
                    e.prices[j] = row
                } else {
                    e.prices.append(row)
                }
            }
            pc.instanceTypes[i] = e
        } else {
            guard let arch = t.arch, let vcpu = t.vcpu, let mem = t.memoryGiB, let offered = t.offeredIn, !rows.isEmpty
            else {
                throw Self.error(
                    t.codingPath + [AnyCodingKey("id")],
                    "\(t.id) is not a \(pc.provider) type in the catalog; a new type needs arch, vcpu, memoryGiB, offeredIn and prices"
                )
            }
            pc.instanceTypes.append(
                InstanceType(
                    id: t.id.lowercased(), family: t.family, arch: arch, vcpu: vcpu,
                    memoryGiB: mem, offeredIn: offered, orderable: t.orderable ?? true,
                    includedTrafficTB: t.includedTrafficTB, maxPods: t.maxPods,
                    maxPodsSource: t.maxPods.map { _ in defaultSource }, prices: rows,
                    note: t.note))
        }
    }

    /// A user's price item: replaces the fields it sets of the item with its id and region,
    /// or is added.
    private static func merge(_ it: ItemOverride, into pc: inout ProviderCatalog, source defaultSource: String) {
        if let i = pc.items.firstIndex(where: { $0.id == it.id && $0.region == it.region }) {
            var e = pc.items[i]
            if let v = it.description { e.description = v }
            if let v = it.unit { e.unit = v }
            if it.price != nil || it.perHour != nil || it.tiers != nil {
                e.price = it.price ?? e.price
                e.perHour = it.perHour ?? (it.price != nil ? nil : e.perHour)
                e.tiers = it.tiers ?? e.tiers
                e.asOf = it.asOf; e.source = it.source ?? defaultSource; e.confidence = it.confidence
            }
            if let v = it.note { e.note = v }
            if let v = it.includedStorageGB { e.includedStorageGB = v }
            if let v = it.includedEgressGB { e.includedEgressGB = v }
            pc.items[i] = e
        } else {
            pc.items.append(
                PriceItem(
                    id: it.id, region: it.region, description: it.description ?? it.id,
                    unit: it.unit ?? "month", price: it.price, perHour: it.perHour, tiers: it.tiers,
                    asOf: it.asOf, source: it.source ?? defaultSource, confidence: it.confidence,
                    note: it.note, includedStorageGB: it.includedStorageGB,
                    includedEgressGB: it.includedEgressGB))
        }
    }

    static func error(_ path: [AnyCodingKey], _ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: path, debugDescription: message))
    }
}
