import Catalog
import KubeModel
import Simulation

/// The scenario document as written (DESIGN.md "Scenario file"), decoded strictly.
struct ScenarioFile: Decodable, StrictFields {
    static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
    static let typeName = "Scenario"
    var apiVersion: String, kind: String, metadata: Metadata, spec: Spec

    init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        apiVersion = try c.req("apiVersion"); kind = try c.req("kind")
        metadata = try c.req("metadata"); spec = try c.req("spec")
    }

    struct Metadata: Decodable, StrictFields {
        static let usedFields = ["name", "description"]
        static let typeName = "metadata"
        var name: String, description: String?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            name = try c.req("name"); description = try c.opt("description")
        }
    }

    struct Spec: Decodable, StrictFields {
        static let usedFields = [
            "duration", "seed", "platform", "controlPlane", "nodePools", "nodes", "workloads",
            "timing", "faults", "scheduler", "costs", "startTime", "load",
        ]
        static let typeName = "spec"
        var duration: DurationValue, seed: UInt64?, platform: Platform, controlPlane: ControlPlane?
        /// `controlPlane` of a managed distribution (eks, gke, lke): only how available it is.
        var managedControlPlane: ManagedControlPlane?
        var nodePools: [NodePool], nodes: [ExplicitNode], workloads: [WorkloadSource], timing: [Timing], faults: [Fault]
        var scheduler: SchedulerConfiguration?
        /// Cost assumptions (`k3sim cost` / `plan`): what a bill depends on besides the machines.
        var costs: CostSettings?
        /// The wall-clock instant (UTC, `2025-01-01T00:00:00Z`) the run starts at: CronJob
        /// schedules are read against it.
        var startTime: String?
        /// Workloads' CPU demand over time, which their HorizontalPodAutoscalers act on.
        var load: [Load]
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            duration = try c.req("duration"); seed = try c.opt("seed"); platform = try c.req("platform")
            if Distribution(rawValue: platform.distribution)?.isManaged == true {
                managedControlPlane = try c.opt("controlPlane")
            } else {
                controlPlane = try c.opt("controlPlane")
            }
            nodePools = try c.opt("nodePools") ?? []
            nodes = try c.opt("nodes") ?? []; workloads = try c.opt("workloads") ?? []
            timing = try c.opt("timing") ?? []; faults = try c.opt("faults") ?? []
            scheduler = try c.opt("scheduler")
            costs = try c.opt("costs")
            startTime = try c.opt("startTime")
            load = try c.opt("load") ?? []
        }
    }

    struct Platform: Decodable, StrictFields {
        static let usedFields = [
            "distribution", "provider", "region", "kubernetesVersion", "settings", "disable",
            "defaultStorageClass",
        ]
        static let typeName = "platform"
        var distribution: String, provider: String, region: String?, kubernetesVersion: String
        var settings: Settings?, disable: [String], defaultStorageClass: String?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            distribution = try c.req("distribution"); provider = try c.req("provider"); region = try c.opt("region")
            kubernetesVersion = try c.req("kubernetesVersion"); settings = try c.opt("settings")
            disable = try c.opt("disable") ?? []
            defaultStorageClass = try c.opt("defaultStorageClass")
        }
    }

    /// Overrides of upstream defaults, named after the real flags (plus the named model
    /// assumptions `nodeBootTime` and `apiLatency`).
    struct Settings: Decodable, StrictFields {
        static let usedFields = [
            "nodeMonitorGracePeriod", "nodeMonitorPeriod", "nodeEvictionRate",
            "secondaryNodeEvictionRate", "unhealthyZoneThreshold", "largeClusterSizeThreshold",
            "defaultNotReadyTolerationSeconds", "defaultUnreachableTolerationSeconds", "nodeLeaseDurationSeconds",
            "nodeBootTime", "apiLatency", "nodeAutoRepair",
        ]
        static let typeName = "settings"
        var values: [String: Any] = [:]
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            for key in ["nodeMonitorGracePeriod", "nodeMonitorPeriod", "nodeBootTime", "apiLatency"] {
                if let v: DurationValue = try c.opt(key) { values[key] = v.time }
            }
            for key in ["nodeEvictionRate", "secondaryNodeEvictionRate", "unhealthyZoneThreshold"] {
                if let v: Double = try c.opt(key) { values[key] = v }
            }
            for key in [
                "largeClusterSizeThreshold", "defaultNotReadyTolerationSeconds",
                "defaultUnreachableTolerationSeconds", "nodeLeaseDurationSeconds",
            ] {
                if let v: Int64 = try c.opt(key) { values[key] = v }
            }
            if let v: Bool = try c.opt("nodeAutoRepair") { values["nodeAutoRepair"] = v }
        }
    }

    struct ControlPlane: Decodable, StrictFields {
        static let usedFields = ["count", "serverType", "locations", "datastore", "schedulable", "etcd"]
        static let typeName = "controlPlane"
        var count: Int, serverType: String, locations: [String], datastore: String, schedulable: Bool
        var etcd: Etcd?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            count = try c.req("count"); serverType = try c.req("serverType"); locations = try c.opt("locations") ?? []
            datastore = try c.opt("datastore") ?? "embedded-etcd"; schedulable = try c.opt("schedulable") ?? true
            etcd = try c.opt("etcd")
        }
    }

    /// The control plane a provider runs: its servers are not the scenario's to choose, only
    /// whether it is replicated (GKE regional vs zonal, LKE's HA control plane).
    struct ManagedControlPlane: Decodable {
        var highAvailability: Bool?
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            for key in c.allKeys where key.stringValue != "highAvailability" {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath + [key],
                        debugDescription:
                            "a managed control plane takes only highAvailability: true|false (the provider runs its servers)"))
            }
            highAvailability = try c.opt("highAvailability")
        }
    }

    /// etcd timing overrides (the K3S defaults are 500 ms / 5000 ms).
    struct Etcd: Decodable, StrictFields {
        static let usedFields = ["heartbeatInterval", "electionTimeout", "memberRoundTrip"]
        static let typeName = "etcd"
        var heartbeatInterval: DurationValue?, electionTimeout: DurationValue?, memberRoundTrip: DurationValue?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            heartbeatInterval = try c.opt("heartbeatInterval"); electionTimeout = try c.opt("electionTimeout")
            memberRoundTrip = try c.opt("memberRoundTrip")
            if let h = heartbeatInterval?.time, let e = electionTimeout?.time, e.microseconds < h.microseconds * 5 {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("electionTimeout"), in: c,
                    debugDescription: "should be at least 5 × heartbeatInterval (etcd's tuning guide: about 10 ×)")
            }
        }
    }

    struct NodePool: Decodable, StrictFields {
        static let usedFields = ["name", "serverType", "count", "locations", "labels", "taints"]
        static let typeName = "nodePool"
        var name: String, serverType: String, count: Int, locations: [String]
        var labels: [String: String], taints: [Taint]
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            name = try c.req("name"); serverType = try c.req("serverType"); count = try c.req("count")
            locations = try c.opt("locations") ?? []; labels = try c.opt("labels") ?? [:]; taints = try c.opt("taints") ?? []
        }
    }

    struct ExplicitNode: Decodable, StrictFields {
        static let usedFields = ["name", "capacity", "allocatable", "labels", "taints", "unschedulable"]
        static let typeName = "node"
        var name: String, capacity: [String: Quantity], allocatable: [String: Quantity]?
        var labels: [String: String], taints: [Taint], unschedulable: Bool
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            name = try c.req("name"); capacity = try c.req("capacity"); allocatable = try c.opt("allocatable")
            labels = try c.opt("labels") ?? [:]; taints = try c.opt("taints") ?? []
            unschedulable = try c.opt("unschedulable") ?? false
        }
    }

    struct WorkloadSource: Decodable, StrictFields {
        static let usedFields = ["file", "object"]
        static let typeName = "workload"
        var file: String?, object: KubeObject?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            file = try c.opt("file"); object = try c.opt("object")
            if (file == nil) == (object == nil) {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath,
                        debugDescription: "give exactly one of file: (a manifest path) or object: (an inline object)"))
            }
        }
    }

    struct Timing: Decodable, StrictFields {
        static let usedFields = [
            "selector", "imagePull", "containerStart", "appReady", "shutdown", "imageSize",
            "runDuration", "failureProbability", "exitCode",
        ]
        static let typeName = "timing"
        var selector: LabelSelector, imagePull: DistributionValue?, containerStart: DistributionValue?
        var appReady: DistributionValue?, shutdown: DistributionValue?, imageSize: Quantity?
        /// A Job pod's run, from container start to its exit; the chance that exit is non-zero.
        var runDuration: DistributionValue?, failureProbability: Double?
        /// The exit code of a failed run (podFailurePolicy's onExitCodes rules read it).
        var exitCode: Int?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            selector = try c.opt("selector") ?? LabelSelector(); imagePull = try c.opt("imagePull")
            containerStart = try c.opt("containerStart"); appReady = try c.opt("appReady"); shutdown = try c.opt("shutdown")
            imageSize = try c.opt("imageSize")
            runDuration = try c.opt("runDuration"); failureProbability = try c.opt("failureProbability")
            exitCode = try c.opt("exitCode")
        }
    }

    struct Fault: Decodable, StrictFields {
        static let usedFields = ["at", "action", "target", "for", "options"]
        static let typeName = "fault"
        var at: DurationValue, action: String, target: String, duration: DurationValue?, options: Options?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            at = try c.req("at"); action = try c.req("action"); target = try c.req("target")
            duration = try c.opt("for"); options = try c.opt("options")
        }
    }

    struct Options: Decodable, StrictFields {
        static let usedFields = [
            "image", "replicas", "count", "timeout", "force", "concurrency", "drain", "restartTime",
            "installAndRebootTime", "postCompleteDelay", "strategy", "provisionTime", "latency", "probe",
            "maxSurge", "maxUnavailable", "maxUnavailablePercentage",
        ]
        static let typeName = "options"
        var image: String?, replicas: Int?, count: Int?, timeout: DurationValue?, force: Bool?
        var concurrency: Int?, drain: Bool?, restartTime: DurationValue?, postCompleteDelay: DurationValue?
        var installAndRebootTime: DurationValue?
        var strategy: String?, provisionTime: DurationValue?, latency: DurationValue?, probe: String?
        var maxSurge: Int?, maxUnavailable: Int?, maxUnavailablePercentage: Int?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            image = try c.opt("image"); replicas = try c.opt("replicas"); count = try c.opt("count")
            timeout = try c.opt("timeout"); force = try c.opt("force"); concurrency = try c.opt("concurrency")
            drain = try c.opt("drain"); restartTime = try c.opt("restartTime"); postCompleteDelay = try c.opt("postCompleteDelay")
            strategy = try c.opt("strategy"); provisionTime = try c.opt("provisionTime"); latency = try c.opt("latency")
            probe = try c.opt("probe"); installAndRebootTime = try c.opt("installAndRebootTime")
            maxSurge = try c.opt("maxSurge"); maxUnavailable = try c.opt("maxUnavailable")
            maxUnavailablePercentage = try c.opt("maxUnavailablePercentage")
            if let s = strategy, UpgradePlan.Strategy(rawValue: s) == nil {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("strategy"), in: c, debugDescription: "must be in-place, surge or reboot")
            }
            if let k = concurrency, k < 1 {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("concurrency"), in: c, debugDescription: "must be at least 1")
            }
        }
    }

    /// One workload's total CPU demand: steps in time order.
    struct Load: Decodable, StrictFields {
        static let usedFields = ["target", "cpu"]
        static let typeName = "load"
        var target: String, cpu: [CPUStep]
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            target = try c.req("target"); cpu = try c.req("cpu")
            if cpu.isEmpty {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("cpu"), in: c, debugDescription: "needs at least one step {at:, cores:}")
            }
        }
    }

    struct CPUStep: Decodable, StrictFields {
        static let usedFields = ["at", "cores"]
        static let typeName = "cpu step"
        var at: DurationValue, cores: Double
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            at = try c.req("at"); cores = try c.req("cores")
            if !(cores >= 0) || !cores.isFinite {
                throw DecodingError.dataCorruptedError(
                    forKey: AnyCodingKey("cores"), in: c, debugDescription: "must be a number of cores, 0 or more")
            }
        }
    }
}
