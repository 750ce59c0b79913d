import KubeModel

/// The scenario's `spec.costs`: everything a bill depends on besides the machines, each an
/// explicit assumption with a stated default, so that no figure is mixed in silently.
///
/// Decoded strictly (unknown fields are errors with their position), like the rest of the
/// scenario file.
public struct CostSettings: Sendable, Equatable, Decodable, StrictFields {
    public static let typeName = "costs"
    public static let usedFields = [
        "priceBasis", "currency", "hoursPerMonth", "publicIPv4", "loadBalancers", "volumeGB", "rootVolumeGB",
        "backups", "egressGBPerMonth", "natGateways", "eksSupport", "gkeMode", "gkeFreeTier", "lkeHighAvailability",
        "objectStorage", "secretsManager", "cloudflareTunnel", "ops",
    ]

    public enum EKSSupport: String, Sendable, Equatable, CaseIterable { case standard, extended }
    /// GKE cluster kind: zonal (the free-tier credit covers one per billing account),
    /// regional (replicated control plane, pays the fee), or Autopilot (billed per pod request).
    public enum GKEMode: String, Sendable, Equatable, CaseIterable { case zonal, regional, autopilot }

    /// Which Hetzner price the machines the scenario already runs pay (planned additions are new orders).
    ///
    /// `existing` servers keep the 2026-04-01 price; `new` orders pay the list price. nil: `new`,
    /// except for types that can no longer be ordered, which only their owners pay for, at
    /// `existing`.
    public var priceBasis: PriceBasis?
    /// Report currency (EUR or USD); the CLI's `--currency` wins.
    public var currency: String?
    /// Hours a machine runs per month (730: the AWS/GCP convention; Hetzner caps at the monthly price).
    public var hoursPerMonth: Double = 730
    /// A public IPv4 per node.
    ///
    /// Default: yes on Hetzner (primary IPv4), no on AWS (private nodes behind a NAT gateway), not
    /// billed separately on GCP and Linode.
    public var publicIPv4: Bool?
    /// Provider load balancers (Hetzner LB11, AWS ALB, Linode NodeBalancer).
    ///
    /// 0 with Cloudflare Tunnel.
    public var loadBalancers: Int = 0
    /// Persistent block storage (volumes, EBS, PD, Linode Block Storage), GB.
    public var volumeGB: Double = 0
    /// Root/boot disk per node, GB.
    ///
    /// Default: 20 (EKS managed node groups), 100 (GKE); Hetzner and Linode include the disk in the
    /// server price.
    public var rootVolumeGB: Double?
    /// Hetzner server backups (+20 % of the server price).
    public var backups: Bool = false
    /// Outbound internet traffic per month, GB (through Cloudflare Tunnel this is the tunnel's traffic).
    ///
    /// 0 unless given: egress is then not counted.
    public var egressGBPerMonth: Double = 0
    /// AWS NAT gateways (default 1: private nodes need one for outbound traffic).
    public var natGateways: Int?
    public var eksSupport: EKSSupport = .standard
    /// nil: regional when the scenario's control plane is highly available, else zonal.
    public var gkeMode: GKEMode?
    /// Whether this cluster may use the billing account's free-tier credit (false when another
    /// zonal cluster already uses it).
    public var gkeFreeTier: Bool = true
    /// nil: HA when the scenario's control plane is highly available.
    public var lkeHighAvailability: Bool?
    public var objectStorage: ObjectStorageSettings?
    public var secretsManager: SecretsManagerSettings?
    /// Cloudflare Tunnel in front of the services (free; shown as a line).
    public var cloudflareTunnel: Bool = false
    /// Ops effort: off unless given, and reported apart from the infrastructure cost.
    public var ops: OpsSettings?

    public init() {}

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        if let v: String = try c.opt("priceBasis") { priceBasis = try Self.choice(v, "priceBasis", decoder) as PriceBasis }
        if let v: String = try c.opt("currency") {
            guard ["EUR", "USD"].contains(v) else { throw Self.bad(decoder, "currency", "must be EUR or USD") }
            currency = v
        }
        if let v: Double = try c.opt("hoursPerMonth") {
            guard v > 0, v <= 744 else { throw Self.bad(decoder, "hoursPerMonth", "must be between 0 and 744 (31 days)") }
            hoursPerMonth = v
        }
        publicIPv4 = try c.opt("publicIPv4")
        loadBalancers = try Self.nonNegative(c.opt("loadBalancers") ?? 0, "loadBalancers", decoder)
        volumeGB = try Self.nonNegative(c.opt("volumeGB") ?? 0, "volumeGB", decoder)
        if let v: Double = try c.opt("rootVolumeGB") { rootVolumeGB = try Self.nonNegative(v, "rootVolumeGB", decoder) }
        backups = try c.opt("backups") ?? false
        egressGBPerMonth = try Self.nonNegative(c.opt("egressGBPerMonth") ?? 0, "egressGBPerMonth", decoder)
        if let v: Int = try c.opt("natGateways") { natGateways = try Self.nonNegative(v, "natGateways", decoder) }
        if let v: String = try c.opt("eksSupport") { eksSupport = try Self.choice(v, "eksSupport", decoder) }
        if let v: String = try c.opt("gkeMode") { gkeMode = try Self.choice(v, "gkeMode", decoder) as GKEMode }
        gkeFreeTier = try c.opt("gkeFreeTier") ?? true
        lkeHighAvailability = try c.opt("lkeHighAvailability")
        objectStorage = try c.opt("objectStorage")
        secretsManager = try c.opt("secretsManager")
        cloudflareTunnel = try c.opt("cloudflareTunnel") ?? false
        ops = try c.opt("ops")
    }

    static func bad(_ decoder: Decoder, _ key: String, _ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: decoder.codingPath + [AnyCodingKey(key)], debugDescription: message))
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ v: String, _ key: String, _ decoder: Decoder) throws -> T
    where T.RawValue == String {
        guard let t = T(rawValue: v) else {
            throw bad(decoder, key, "must be " + T.allCases.map(\.rawValue).joined(separator: " or "))
        }
        return t
    }

    static func nonNegative<T: Numeric & Comparable>(_ v: T, _ key: String, _ decoder: Decoder) throws -> T {
        guard v >= 0 else { throw bad(decoder, key, "must be 0 or more") }
        return v
    }
}

/// Object storage for CloudNativePG's WAL archive and base backups, sized from explicit
/// figures: stored GB = WAL per day × retention days + base backup size × backups kept;
/// PUT requests = one per WAL segment (16 MB by default) archived.
public struct ObjectStorageSettings: Sendable, Equatable, Decodable, StrictFields {
    public static let typeName = "objectStorage"
    public static let usedFields = [
        "service", "region", "walGBPerDay", "retentionDays", "baseBackupGB",
        "baseBackupsRetained", "walSegmentMB",
    ]
    public enum Service: String, Sendable, Equatable, CaseIterable { case s3, hetzner }
    public var service: Service = .s3
    /// S3 region (default: the AWS region near the cluster).
    public var region: String?
    public var walGBPerDay: Double = 0
    public var retentionDays: Double = 7
    public var baseBackupGB: Double = 0
    public var baseBackupsRetained: Int = 1
    public var walSegmentMB: Double = 16

    public init(
        service: Service = .s3, region: String? = nil, walGBPerDay: Double, retentionDays: Double,
        baseBackupGB: Double, baseBackupsRetained: Int = 1, walSegmentMB: Double = 16
    ) {
        self.service = service; self.region = region; self.walGBPerDay = walGBPerDay; self.retentionDays = retentionDays
        self.baseBackupGB = baseBackupGB; self.baseBackupsRetained = baseBackupsRetained; self.walSegmentMB = walSegmentMB
    }

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        if let v: String = try c.opt("service") { service = try CostSettings.choice(v, "service", decoder) }
        region = try c.opt("region")
        walGBPerDay = try CostSettings.nonNegative(c.req("walGBPerDay"), "walGBPerDay", decoder)
        retentionDays = try CostSettings.nonNegative(c.opt("retentionDays") ?? 7, "retentionDays", decoder)
        baseBackupGB = try CostSettings.nonNegative(c.opt("baseBackupGB") ?? 0, "baseBackupGB", decoder)
        baseBackupsRetained = try CostSettings.nonNegative(c.opt("baseBackupsRetained") ?? 1, "baseBackupsRetained", decoder)
        if let v: Double = try c.opt("walSegmentMB") {
            guard v > 0 else { throw CostSettings.bad(decoder, "walSegmentMB", "must be positive") }
            walSegmentMB = v
        }
    }

    /// GB held in the bucket at steady state.
    public var storedGB: Double { walGBPerDay * retentionDays + baseBackupGB * Double(baseBackupsRetained) }
}

/// AWS Secrets Manager (External Secrets' backend in the reference architecture).
public struct SecretsManagerSettings: Sendable, Equatable, Decodable, StrictFields {
    public static let typeName = "secretsManager"
    public static let usedFields = ["secrets", "apiCallsPerMonth"]
    public var secrets: Int
    public var apiCallsPerMonth: Double

    public init(secrets: Int, apiCallsPerMonth: Double) { self.secrets = secrets; self.apiCallsPerMonth = apiCallsPerMonth }

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        secrets = try CostSettings.nonNegative(c.req("secrets"), "secrets", decoder)
        apiCallsPerMonth = try CostSettings.nonNegative(c.opt("apiCallsPerMonth") ?? 0, "apiCallsPerMonth", decoder)
    }
}

/// Ops effort, a labelled assumption (no public source gives hours per cluster; pricing.md §7):
/// hours per month per distribution × an hourly rate.
public struct OpsSettings: Sendable, Equatable, Decodable, StrictFields {
    public static let typeName = "ops"
    public static let usedFields = ["hoursPerMonth", "ratePerHour", "currency", "note"]
    /// Distribution (k3s, eks, ...) → hours per month.
    public var hoursPerMonth: [String: Double]
    public var ratePerHour: Double
    public var currency: String
    public var note: String?

    public init(hoursPerMonth: [String: Double], ratePerHour: Double, currency: String, note: String? = nil) {
        self.hoursPerMonth = hoursPerMonth; self.ratePerHour = ratePerHour; self.currency = currency; self.note = note
    }

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        hoursPerMonth = try c.req("hoursPerMonth")
        for (k, v) in hoursPerMonth {
            guard Distribution(rawValue: k) != nil else {
                throw CostSettings.bad(
                    decoder, "hoursPerMonth",
                    "\"\(k)\" is not a distribution ("
                        + Distribution.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            guard v >= 0 else { throw CostSettings.bad(decoder, "hoursPerMonth", "hours must be 0 or more") }
        }
        ratePerHour = try CostSettings.nonNegative(c.req("ratePerHour"), "ratePerHour", decoder)
        currency = try c.req("currency")
        guard ["EUR", "USD"].contains(currency) else { throw CostSettings.bad(decoder, "currency", "must be EUR or USD") }
        note = try c.opt("note")
    }
}
