/// The price catalogs as data: what can be bought from a provider (instance types with their
/// shape, where they are offered and whether they can be ordered today) and what it costs,
/// every price with its as-of date, source and confidence. How a bill is computed from these
/// lives in the Costs module; this module only describes.
///
/// The shipped files (`Resources/*.json`, one per provider) are derived from
/// `../shared/reference/pricing-catalog.json` by `tools/derive-price-catalogs.py`.

/// How sure a price is, after the reference's legend in pricing.md.
///
/// Verified in a first-party source or two agreeing ones; derived by arithmetic from a verified
/// figure; one secondary source; from memory (verify before use); two sources disagree; not
/// verified at all; or given by the user's own catalog (`--catalog`, for instance a negotiated
/// price).
public enum Confidence: String, Codable, Sendable, Equatable, CaseIterable {
    case verified, derived, secondary, memory, conflict, unverified, user
}

/// Which price list applies to a server: Hetzner's 2026-06-15 increase applies to new orders
/// and rescales only, so servers that already exist keep the 2026-04-01 price.
public enum PriceBasis: String, Codable, Sendable, Equatable, CaseIterable {
    case new, existing
}

/// One price of an instance type: per hour and/or per month, for a region (nil: everywhere
/// the type is offered) and a basis (nil: both).
public struct TypePrice: Codable, Sendable, Equatable {
    public var basis: PriceBasis?
    public var region: String?
    public var perHour: Double?
    public var perMonth: Double?
    public var asOf: String?
    public var source: String?
    public var confidence: Confidence
    public var note: String?

    public init(
        basis: PriceBasis? = nil, region: String? = nil, perHour: Double? = nil, perMonth: Double? = nil,
        asOf: String? = nil, source: String? = nil, confidence: Confidence, note: String? = nil
    ) {
        self.basis = basis; self.region = region; self.perHour = perHour; self.perMonth = perMonth
        self.asOf = asOf; self.source = source; self.confidence = confidence; self.note = note
    }

    /// True when the row has a usable number.
    public var isPriced: Bool { perHour != nil || perMonth != nil }
}

/// Whether and since when a type can (not) be ordered, with the evidence.
public struct Availability: Codable, Sendable, Equatable {
    public var asOf: String?
    public var note: String?
    public var source: String?
    public init(asOf: String? = nil, note: String? = nil, source: String? = nil) {
        self.asOf = asOf; self.note = note; self.source = source
    }
}

/// A server or instance type.
public struct InstanceType: Codable, Sendable, Equatable {
    public var id: String
    public var family: String?
    /// `kubernetes.io/arch` value: arm64 or amd64.
    public var arch: String
    public var cpuType: String?
    public var vcpu: Int
    public var memoryGiB: Double
    public var diskGB: Int?
    /// Zones or regions (Hetzner: locations) where the type is offered.
    public var offeredIn: [String]
    /// False when new orders are not possible (existing servers keep running and billing).
    public var orderable: Bool
    public var availability: Availability?
    /// Outbound traffic included per server and month (Hetzner, Linode), in TB.
    ///
    /// On Hetzner it depends on the location too (since 2024-08 far less in the US and Singapore):
    /// this is the EU figure for types offered in the EU, else the figure where the type is
    /// offered.
    public var includedTrafficTB: Double?
    /// Region → included TB where it differs from `includedTrafficTB`.
    public var includedTrafficTBByRegion: [String: Double]?
    /// Max pods the platform allows on this type (EKS: ENI limits), nil: the kubelet default.
    public var maxPods: Int?
    public var maxPodsSource: String?
    public var prices: [TypePrice]
    public var note: String?

    public init(
        id: String, family: String? = nil, arch: String, cpuType: String? = nil, vcpu: Int, memoryGiB: Double,
        diskGB: Int? = nil, offeredIn: [String], orderable: Bool = true, availability: Availability? = nil,
        includedTrafficTB: Double? = nil, maxPods: Int? = nil, maxPodsSource: String? = nil,
        prices: [TypePrice] = [], note: String? = nil
    ) {
        self.id = id; self.family = family; self.arch = arch; self.cpuType = cpuType; self.vcpu = vcpu
        self.memoryGiB = memoryGiB; self.diskGB = diskGB; self.offeredIn = offeredIn; self.orderable = orderable
        self.availability = availability; self.includedTrafficTB = includedTrafficTB; self.maxPods = maxPods
        self.maxPodsSource = maxPodsSource; self.prices = prices; self.note = note
    }

    public var memoryBytes: Int64 { Int64((memoryGiB * 1024 * 1024 * 1024).rounded()) }

    /// Included traffic in a region, when the catalog knows it: a figure for the region, or
    /// the type's own figure where it holds — in the EU, or anywhere when the type is offered
    /// in no EU location (`euZones`), so that its figure is not the EU one.
    public func includedTraffic(region: String, inEU: Bool, euZones: Set<String>) -> Double? {
        if let r = includedTrafficTBByRegion?[region] { return r }
        return inEU || !offeredIn.contains(where: euZones.contains) ? includedTrafficTB : nil
    }

    /// The price row for a region and basis, or nil when nothing is priced.
    ///
    /// An exact region match beats a row for every region; a row for the basis beats a row for
    /// both.
    public func price(region: String, basis: PriceBasis) -> TypePrice? {
        let rows = prices.filter { ($0.region == nil || $0.region == region) && ($0.basis == nil || $0.basis == basis) }
        return rows.filter(\.isPriced).max { a, b in rank(a, basis) < rank(b, basis) }
    }

    private func rank(_ p: TypePrice, _ basis: PriceBasis) -> Int {
        (p.region != nil ? 2 : 0) + (p.basis == basis ? 1 : 0)
    }
}

/// A tier of a tiered price (egress): the price of each unit up to `upToGB` (nil: no end).
public struct PriceTier: Codable, Sendable, Equatable {
    public var upToGB: Double?
    public var price: Double
    public init(upToGB: Double?, price: Double) { self.upToGB = upToGB; self.price = price }
}

/// Any other billable thing: an IP address, a load balancer, storage per GB, a cluster fee.
///
/// `price` nil means the value is not known: a named parameter the user must supply (`--catalog`),
/// never silently zero.
public struct PriceItem: Codable, Sendable, Equatable {
    public var id: String
    public var region: String?
    public var description: String
    public var unit: String
    public var price: Double?
    public var perHour: Double?
    public var tiers: [PriceTier]?
    public var asOf: String?
    public var source: String?
    public var confidence: Confidence
    public var note: String?
    public var includedStorageGB: Double?
    public var includedEgressGB: Double?

    public init(
        id: String, region: String? = nil, description: String, unit: String, price: Double?,
        perHour: Double? = nil, tiers: [PriceTier]? = nil, asOf: String? = nil, source: String? = nil,
        confidence: Confidence, note: String? = nil, includedStorageGB: Double? = nil,
        includedEgressGB: Double? = nil
    ) {
        self.id = id; self.region = region; self.description = description; self.unit = unit; self.price = price
        self.perHour = perHour; self.tiers = tiers; self.asOf = asOf; self.source = source
        self.confidence = confidence; self.note = note; self.includedStorageGB = includedStorageGB
        self.includedEgressGB = includedEgressGB
    }
}

/// A zone (AWS/GCP availability zone, Hetzner location) and the `topology.kubernetes.io/zone`
/// label it gives nodes when that differs from its id (Hetzner: the datacenter).
public struct Zone: Codable, Sendable, Equatable {
    public var id: String
    public var label: String?
    public init(id: String, label: String? = nil) { self.id = id; self.label = label }
}

/// A region and its zones (on Hetzner a region is a network zone such as eu-central).
///
/// `geo` (eu, us, ap) pairs regions of different providers when the same workload is compared
/// elsewhere.
public struct Region: Codable, Sendable, Equatable {
    public var id: String
    public var name: String?
    public var geo: String
    public var zones: [Zone]
    public init(id: String, name: String? = nil, geo: String, zones: [Zone]) {
        self.id = id; self.name = name; self.geo = geo; self.zones = zones
    }
}

/// The provider's billing convention.
public struct Billing: Codable, Sendable, Equatable {
    /// `hourly-capped` (hourly, capped at the monthly price), `per-second`, `monthly`.
    public var model: String
    /// The month the figures assume (730 h: AWS and GCP's convention).
    public var hoursPerMonth: Double
    public var source: String?
    public var note: String?
}

/// One provider's catalog file.
public struct ProviderCatalog: Codable, Sendable, Equatable {
    public var schemaVersion: Int
    public var provider: String
    public var name: String
    public var currency: String
    public var asOf: String
    public var source: String?
    public var notes: [String]
    public var billing: Billing
    /// Which items are the control-plane fees (`standard`, `extended`, `ha`, `fee`, `freeTier`).
    public var controlPlane: [String: String]?
    public var regions: [Region]
    public var instanceTypes: [InstanceType]
    public var items: [PriceItem]

    public func instanceType(_ id: String) -> InstanceType? {
        instanceTypes.first { $0.id == id.lowercased() }
    }

    public func region(_ id: String) -> Region? { regions.first { $0.id == id } }

    /// The region a zone belongs to.
    public func region(ofZone zone: String) -> Region? { regions.first { $0.zones.contains { $0.id == zone } } }

    /// The item for a region: an exact region match, else the item without a region.
    public func item(_ id: String, region: String? = nil) -> PriceItem? {
        let rows = items.filter { $0.id == id }
        return rows.first { $0.region != nil && $0.region == region } ?? rows.first { $0.region == nil }
    }

    /// Whether `type` is offered in `zone` of `region`.
    public func offers(_ type: InstanceType, zone: String, region: String) -> Bool {
        type.offeredIn.contains(zone) || type.offeredIn.contains(region)
    }
}

/// A dated exchange rate: 1 `base` = `rate` `quote`.
public struct FXRate: Codable, Sendable, Equatable {
    public var base: String
    public var quote: String
    public var rate: Double
    public var date: String
    public var source: String?
    public init(base: String, quote: String, rate: Double, date: String, source: String? = nil) {
        self.base = base; self.quote = quote; self.rate = rate; self.date = date; self.source = source
    }
}

struct FXFile: Codable {
    var schemaVersion: Int
    var rates: [FXRate]
}
