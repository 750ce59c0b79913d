import KubeModel

/// A user's catalog (`--catalog FILE`): negotiated prices, newer prices, types or rates the shipped catalogs lack.
///
/// YAML or JSON, decoded strictly like a scenario (the Scenario module reads the file so that
/// errors carry file:line:column). Only what it names changes: a price row replaces the row with
/// the same basis and region, an item the item with the same id and region; everything else keeps
/// the shipped value.
///
/// ```yaml
/// apiVersion: k3sim/v1alpha1
/// kind: PriceCatalog
/// providers:
///   - provider: hetzner
///     instanceTypes:
///       - id: cpx32
///         prices: [{basis: new, region: eu-central, perMonth: 30.00, asOf: "2026-11-01", source: contract 42}]
///     items:
///       - {id: primary-ipv4, price: 0.40}
/// fx:
///   - {base: EUR, quote: USD, rate: 1.10, date: "2026-11-20", source: ECB}
/// ```
public struct CatalogOverride: Decodable, Sendable, StrictFields {
    public static let typeName = "PriceCatalog"
    public static let usedFields = ["apiVersion", "kind", "metadata", "providers", "fx"]
    public var providers: [ProviderOverride]
    public var fx: [FXRate]

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let api: String = try c.req("apiVersion"), kind: String = try c.req("kind")
        guard api == "k3sim/v1alpha1" else { throw Self.bad(decoder, "apiVersion", "must be k3sim/v1alpha1") }
        guard kind == "PriceCatalog" else { throw Self.bad(decoder, "kind", "must be PriceCatalog") }
        _ = try c.opt("metadata", as: IgnoredValue.self)
        providers = try c.opt("providers") ?? []
        fx = try c.opt("fx", as: [FXOverride].self)?.map(\.rate) ?? []
    }

    static func bad(_ decoder: Decoder, _ key: String, _ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: decoder.codingPath + [AnyCodingKey(key)], debugDescription: message))
    }
}

public struct ProviderOverride: Decodable, Sendable, StrictFields {
    public static let typeName = "provider"
    public static let usedFields = ["provider", "currency", "instanceTypes", "items"]
    public var provider: String
    public var currency: String?
    public var instanceTypes: [TypeOverride]
    public var items: [ItemOverride]
    /// Where this entry sits in the file, for semantic errors.
    var codingPath: [AnyCodingKey]

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        provider = try c.req("provider"); currency = try c.opt("currency")
        instanceTypes = try c.opt("instanceTypes") ?? []; items = try c.opt("items") ?? []
        codingPath = decoder.codingPath.map { AnyCodingKey(key: $0) }
    }
}

public struct TypeOverride: Decodable, Sendable, StrictFields {
    public static let typeName = "instanceType"
    public static let usedFields = [
        "id", "family", "arch", "vcpu", "memoryGiB", "offeredIn", "orderable", "maxPods",
        "includedTrafficTB", "prices", "note",
    ]
    public var id: String
    public var family: String?, arch: String?, vcpu: Int?, memoryGiB: Double?, offeredIn: [String]?
    public var orderable: Bool?, maxPods: Int?, includedTrafficTB: Double?, note: String?
    public var prices: [TypePrice]
    var codingPath: [AnyCodingKey]

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        id = try c.req("id"); family = try c.opt("family"); arch = try c.opt("arch")
        vcpu = try c.opt("vcpu"); memoryGiB = try c.opt("memoryGiB"); offeredIn = try c.opt("offeredIn")
        orderable = try c.opt("orderable"); maxPods = try c.opt("maxPods"); includedTrafficTB = try c.opt("includedTrafficTB")
        note = try c.opt("note")
        prices = try c.opt("prices", as: [PriceOverride].self)?.map(\.price) ?? []
        if let arch, !["arm64", "amd64"].contains(arch) { throw CatalogOverride.bad(decoder, "arch", "must be arm64 or amd64") }
        if let v = vcpu, v < 1 { throw CatalogOverride.bad(decoder, "vcpu", "must be at least 1") }
        if let m = memoryGiB, m <= 0 { throw CatalogOverride.bad(decoder, "memoryGiB", "must be positive") }
        try CatalogChecks.amount(decoder, "memoryGiB", memoryGiB)
        try CatalogChecks.amount(decoder, "includedTrafficTB", includedTrafficTB)
        try CatalogChecks.count(decoder, "vcpu", vcpu)
        try CatalogChecks.count(decoder, "maxPods", maxPods)
        codingPath = decoder.codingPath.map { AnyCodingKey(key: $0) }
    }
}

/// A price row of a user's catalog; confidence defaults to `user`.
struct PriceOverride: Decodable, StrictFields {
    static let typeName = "price"
    static let usedFields = ["basis", "region", "perHour", "perMonth", "asOf", "source", "confidence", "note"]
    var price: TypePrice

    init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        var basis: PriceBasis?
        if let b: String = try c.opt("basis") {
            guard let v = PriceBasis(rawValue: b) else { throw CatalogOverride.bad(decoder, "basis", "must be new or existing") }
            basis = v
        }
        let perHour: Double? = try c.opt("perHour"), perMonth: Double? = try c.opt("perMonth")
        guard perHour != nil || perMonth != nil else {
            throw CatalogOverride.bad(decoder, "perMonth", "a price needs perMonth or perHour")
        }
        for (k, v) in [("perHour", perHour), ("perMonth", perMonth)] where (v ?? 0) < 0 {
            throw CatalogOverride.bad(decoder, k, "must be 0 or more")
        }
        for (k, v) in [("perHour", perHour), ("perMonth", perMonth)] { try CatalogChecks.amount(decoder, k, v) }
        try CatalogChecks.date(decoder, "asOf", try c.opt("asOf"))
        price = TypePrice(
            basis: basis, region: try c.opt("region"), perHour: perHour, perMonth: perMonth,
            asOf: try c.opt("asOf"), source: try c.opt("source"),
            confidence: try ItemOverride.confidence(c, decoder), note: try c.opt("note"))
    }
}

public struct ItemOverride: Decodable, Sendable, StrictFields {
    public static let typeName = "item"
    public static let usedFields = [
        "id", "region", "description", "unit", "price", "perHour", "tiers", "asOf", "source",
        "confidence", "note", "includedStorageGB", "includedEgressGB",
    ]
    public var id: String
    public var region: String?
    public var description: String?, unit: String?
    public var price: Double?, perHour: Double?, tiers: [PriceTier]?
    public var asOf: String?, source: String?, confidence: Confidence, note: String?
    public var includedStorageGB: Double?, includedEgressGB: Double?

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        id = try c.req("id"); region = try c.opt("region"); description = try c.opt("description"); unit = try c.opt("unit")
        price = try c.opt("price"); perHour = try c.opt("perHour");
        tiers = try c.opt("tiers", as: [TierOverride].self)?.map(\.tier)
        asOf = try c.opt("asOf"); source = try c.opt("source"); note = try c.opt("note")
        includedStorageGB = try c.opt("includedStorageGB"); includedEgressGB = try c.opt("includedEgressGB")
        confidence = try Self.confidence(c, decoder)
        for (k, v) in [("price", price), ("perHour", perHour)] where (v ?? 0) < 0 {
            throw CatalogOverride.bad(decoder, k, "must be 0 or more")
        }
        for (k, v) in [
            ("price", price), ("perHour", perHour), ("includedStorageGB", includedStorageGB),
            ("includedEgressGB", includedEgressGB),
        ] {
            try CatalogChecks.amount(decoder, k, v)
        }
        try CatalogChecks.date(decoder, "asOf", asOf)
    }

    static func confidence(_ c: KeyedDecodingContainer<AnyCodingKey>, _ decoder: Decoder) throws -> Confidence {
        guard let s: String = try c.opt("confidence") else { return .user }
        guard let v = Confidence(rawValue: s) else {
            throw CatalogOverride.bad(
                decoder, "confidence", "must be one of " + Confidence.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return v
    }
}

struct TierOverride: Decodable, StrictFields {
    static let typeName = "tier"
    static let usedFields = ["upToGB", "price"]
    var tier: PriceTier
    init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        tier = PriceTier(upToGB: try c.opt("upToGB"), price: try c.req("price"))
        try CatalogChecks.amount(decoder, "upToGB", tier.upToGB)
        try CatalogChecks.amount(decoder, "price", tier.price)
    }
}

struct FXOverride: Decodable, StrictFields {
    static let typeName = "fx"
    static let usedFields = ["base", "quote", "rate", "date", "source"]
    var rate: FXRate
    init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let r: Double = try c.req("rate")
        guard r > 0 else { throw CatalogOverride.bad(decoder, "rate", "must be positive") }
        guard r.isFinite, r <= CatalogChecks.maxRate else {
            throw CatalogOverride.bad(decoder, "rate", "\(r) must be finite and at most 1e6")
        }
        let base: String = try c.req("base"), quote: String = try c.req("quote")
        try CatalogChecks.currency(decoder, "base", base)
        try CatalogChecks.currency(decoder, "quote", quote)
        guard base != quote else {
            throw CatalogOverride.bad(
                decoder, "quote", "must differ from base (\(base)): a rate converts one currency into another")
        }
        let date: String = try c.req("date")
        try CatalogChecks.date(decoder, "date", date)
        rate = FXRate(base: base, quote: quote, rate: r, date: date, source: try c.opt("source"))
    }
}

extension AnyCodingKey {
    init(key: CodingKey) {
        self.init(key.stringValue)
        intValue = key.intValue
    }
}
