/// CloudNativePG `postgresql.cnpg.io/v1 Cluster`: the fields that shape its availability.
///
/// Fields and defaults follow cloudnative-pg/cloudnative-pg api/v1/cluster_types.go, v1.30. Decoded
/// leniently: a custom resource's other fields (and those of other CNPG versions) are accepted
/// without being listed.
public struct CNPGCluster: Hashable, Sendable, Decodable {
    public var metadata: ObjectMeta
    public var instances: Int
    public var imageName: String
    public var storageBytes: Int64
    public var storageClass: String?
    public var resources: ResourceRequirements
    public var enablePodAntiAffinity: Bool
    /// `preferred` (default) or `required`.
    public var podAntiAffinityType: String
    public var topologyKey: String
    public var enablePDB: Bool
    public var failoverDelaySeconds: Int
    public var switchoverDelaySeconds: Int
    public var stopDelaySeconds: Int64
    /// Archives WAL to an object store: `backup.barmanObjectStore`, or a CNPG-I plugin marked
    /// `isWALArchiver` (the Barman Cloud Plugin).
    public var archivesWAL: Bool
    /// `.spec.probes.liveness.isolationCheck.enabled` (default true since v1.27,
    /// api/v1/cluster_defaults.go): a primary cut off from the API server and the other
    /// instances fails its liveness probe.
    public var isolationCheck: Bool

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        metadata = try c.req("metadata")
        let spec: Spec = try c.req("spec")
        instances = spec.instances
        imageName = spec.imageName ?? "ghcr.io/cloudnative-pg/postgresql:17"
        storageBytes = spec.storage?.size?.value ?? (1 << 30)
        storageClass = spec.storage?.storageClass
        resources = spec.resources ?? .init()
        enablePodAntiAffinity = spec.affinity?.enablePodAntiAffinity ?? true
        podAntiAffinityType = spec.affinity?.podAntiAffinityType ?? "preferred"
        topologyKey = spec.affinity?.topologyKey ?? "kubernetes.io/hostname"
        enablePDB = spec.enablePDB ?? true
        failoverDelaySeconds = spec.failoverDelay ?? 0
        switchoverDelaySeconds = spec.switchoverDelay ?? 3600
        stopDelaySeconds = spec.stopDelay ?? 1800
        archivesWAL = spec.archivesWAL
        isolationCheck = spec.probes?.liveness?.isolationCheck?.enabled ?? true
    }

    struct Spec: Decodable {
        var instances: Int
        var imageName: String?
        var storage: Storage?
        var resources: ResourceRequirements?
        var affinity: Affinity?
        var enablePDB: Bool?
        var failoverDelay: Int?
        var switchoverDelay: Int?
        var stopDelay: Int64?
        var archivesWAL = false
        struct Backup: Decodable { var barmanObjectStore: AnyValue? }
        struct Plugin: Decodable { var isWALArchiver: Bool? }
        struct AnyValue: Decodable { init(from decoder: Decoder) throws {} }
        var probes: Probes?
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            instances = try c.req("instances")
            guard instances >= 1 else {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("instances"), in: c, debugDescription: "must be at least 1")
            }
            imageName = try c.opt("imageName"); storage = try c.opt("storage"); resources = try c.opt("resources")
            affinity = try c.opt("affinity"); enablePDB = try c.opt("enablePDB"); failoverDelay = try c.opt("failoverDelay")
            switchoverDelay = try c.opt("switchoverDelay"); stopDelay = try c.opt("stopDelay")
            let backup: Backup? = try c.opt("backup"), plugins: [Plugin]? = try c.opt("plugins")
            archivesWAL = backup?.barmanObjectStore != nil || (plugins ?? []).contains { $0.isWALArchiver == true }
            probes = try c.opt("probes")
        }
    }
    /// `probes.liveness.isolationCheck.enabled`, the one probe setting the simulation reads.
    struct Probes: Decodable {
        var liveness: Liveness?
        init(from decoder: Decoder) throws { liveness = try decoder.container(keyedBy: AnyCodingKey.self).opt("liveness") }
    }
    struct Liveness: Decodable {
        var isolationCheck: IsolationCheck?
        init(from decoder: Decoder) throws {
            isolationCheck = try decoder.container(keyedBy: AnyCodingKey.self).opt("isolationCheck")
        }
    }
    struct IsolationCheck: Decodable {
        var enabled: Bool?
        init(from decoder: Decoder) throws { enabled = try decoder.container(keyedBy: AnyCodingKey.self).opt("enabled") }
    }
    struct Storage: Decodable {
        var size: Quantity?, storageClass: String?
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            size = try c.opt("size"); storageClass = try c.opt("storageClass")
        }
    }
    struct Affinity: Decodable {
        var enablePodAntiAffinity: Bool?, podAntiAffinityType: String?, topologyKey: String?
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            enablePodAntiAffinity = try c.opt("enablePodAntiAffinity"); podAntiAffinityType = try c.opt("podAntiAffinityType")
            topologyKey = try c.opt("topologyKey")
        }
    }
}
