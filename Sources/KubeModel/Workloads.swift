/// `v1.Pod` as a manifest (a bare pod, not owned by a controller).
public struct PodManifest: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var spec: PodSpec
    public static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
    public static let ignoredFields = ["status"]
    enum CodingKeys: String, CodingKey { case metadata, spec }
    public init(metadata: ObjectMeta, spec: PodSpec) { self.metadata = metadata; self.spec = spec }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        spec = try c.decode(PodSpec.self, forKey: .spec)
    }
}

/// `apps/v1 DeploymentStrategy` with defaults RollingUpdate 25%/25%.
public struct DeploymentStrategy: Hashable, Sendable, Decodable, StrictFields {
    public enum Kind: String, Hashable, Sendable, Decodable { case RollingUpdate, Recreate }
    public var type: Kind
    public var maxSurge: IntOrString
    public var maxUnavailable: IntOrString
    /// The manifest wrote `rollingUpdate` (the API server forbids it with `type: Recreate`).
    public var rollingUpdateGiven = false

    public init(
        type: Kind = .RollingUpdate, maxSurge: IntOrString = .string("25%"),
        maxUnavailable: IntOrString = .string("25%")
    ) {
        self.type = type; self.maxSurge = maxSurge; self.maxUnavailable = maxUnavailable
    }

    public static let usedFields = ["type", "rollingUpdate"]
    enum CodingKeys: String, CodingKey { case type, rollingUpdate }
    struct RollingUpdate: Decodable, StrictFields {
        var maxSurge: IntOrString?
        var maxUnavailable: IntOrString?
        static let usedFields = ["maxSurge", "maxUnavailable"]
        enum CodingKeys: String, CodingKey { case maxSurge, maxUnavailable }
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxSurge = try c.opt(IntOrString.self, .maxSurge)
            maxUnavailable = try c.opt(IntOrString.self, .maxUnavailable)
        }
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.opt(Kind.self, .type) ?? .RollingUpdate
        let ru = try c.opt(RollingUpdate.self, .rollingUpdate)
        rollingUpdateGiven = ru != nil
        maxSurge = ru?.maxSurge ?? .string("25%")
        maxUnavailable = ru?.maxUnavailable ?? .string("25%")
    }
}

/// `apps/v1 Deployment` with the apps/v1 defaults (replicas 1, RollingUpdate 25%/25%,
/// revisionHistoryLimit 10, progressDeadlineSeconds 600, minReadySeconds 0).
public struct Deployment: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var replicas: Int
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    public var strategy: DeploymentStrategy
    public var minReadySeconds: Int
    public var revisionHistoryLimit: Int
    public var progressDeadlineSeconds: Int?
    public var paused: Bool

    public init(
        metadata: ObjectMeta, replicas: Int, selector: LabelSelector, template: PodTemplateSpec,
        strategy: DeploymentStrategy = .init(), minReadySeconds: Int = 0
    ) {
        self.metadata = metadata; self.replicas = replicas; self.selector = selector; self.template = template
        self.strategy = strategy; self.minReadySeconds = minReadySeconds; self.revisionHistoryLimit = 10
        self.progressDeadlineSeconds = 600; self.paused = false
    }

    public static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
    public static let ignoredFields = ["status"]
    enum CodingKeys: String, CodingKey { case metadata, spec }
    struct Spec: Decodable, StrictFields {
        static let usedFields = [
            "replicas", "selector", "template", "strategy", "minReadySeconds", "revisionHistoryLimit",
            "paused", "progressDeadlineSeconds",
        ]
        enum CodingKeys: String, CodingKey {
            case replicas, selector, template, strategy, minReadySeconds, revisionHistoryLimit, paused
            case progressDeadlineSeconds
        }
        var replicas: Int?, selector: LabelSelector, template: PodTemplateSpec, strategy: DeploymentStrategy?
        var minReadySeconds: Int?, revisionHistoryLimit: Int?, paused: Bool?, progressDeadlineSeconds: Int?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            replicas = try c.opt(Int.self, .replicas)
            selector = try c.decode(LabelSelector.self, forKey: .selector)
            template = try c.decode(PodTemplateSpec.self, forKey: .template)
            strategy = try c.opt(DeploymentStrategy.self, .strategy)
            minReadySeconds = try c.opt(Int.self, .minReadySeconds)
            revisionHistoryLimit = try c.opt(Int.self, .revisionHistoryLimit)
            paused = try c.opt(Bool.self, .paused)
            progressDeadlineSeconds = try c.opt(Int.self, .progressDeadlineSeconds)
        }
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        let s = try c.decode(Spec.self, forKey: .spec)
        replicas = s.replicas ?? 1
        selector = s.selector
        template = s.template
        strategy = s.strategy ?? .init()
        minReadySeconds = s.minReadySeconds ?? 0
        revisionHistoryLimit = s.revisionHistoryLimit ?? 10
        progressDeadlineSeconds = s.progressDeadlineSeconds ?? 600
        paused = s.paused ?? false
    }
}

/// `apps/v1 ReplicaSet` as a manifest, or a `v1 ReplicationController` (the same controller
/// with an equality-based selector), which `kind` names.
public struct ReplicaSetManifest: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var replicas: Int
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    public var minReadySeconds: Int
    /// `ReplicaSet` or `ReplicationController`, as the user wrote it (records and notes say it).
    public var kind = "ReplicaSet"

    public init(
        metadata: ObjectMeta, replicas: Int, selector: LabelSelector, template: PodTemplateSpec,
        minReadySeconds: Int = 0, kind: String = "ReplicaSet"
    ) {
        self.metadata = metadata; self.replicas = replicas; self.selector = selector; self.template = template
        self.minReadySeconds = minReadySeconds; self.kind = kind
    }
    public static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
    public static let ignoredFields = ["status"]
    enum CodingKeys: String, CodingKey { case metadata, spec }
    struct Spec: Decodable, StrictFields {
        static let usedFields = ["replicas", "selector", "template", "minReadySeconds"]
        enum CodingKeys: String, CodingKey { case replicas, selector, template, minReadySeconds }
        var replicas: Int?, selector: LabelSelector, template: PodTemplateSpec, minReadySeconds: Int?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            replicas = try c.opt(Int.self, .replicas)
            selector = try c.decode(LabelSelector.self, forKey: .selector)
            template = try c.decode(PodTemplateSpec.self, forKey: .template)
            minReadySeconds = try c.opt(Int.self, .minReadySeconds)
        }
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        let s = try c.decode(Spec.self, forKey: .spec)
        replicas = s.replicas ?? 1; selector = s.selector; template = s.template
        minReadySeconds = s.minReadySeconds ?? 0
    }
}

/// `apps/v1 DaemonSet`.
public struct DaemonSet: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    public var minReadySeconds: Int
    public var maxUnavailable: IntOrString
    public var maxSurge: IntOrString

    public init(metadata: ObjectMeta, selector: LabelSelector, template: PodTemplateSpec) {
        self.metadata = metadata; self.selector = selector; self.template = template
        self.minReadySeconds = 0; self.maxUnavailable = .int(1); self.maxSurge = .int(0)
    }

    public static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
    public static let ignoredFields = ["status"]
    enum CodingKeys: String, CodingKey { case metadata, spec }
    struct Spec: Decodable, StrictFields {
        static let usedFields = ["selector", "template", "updateStrategy", "minReadySeconds", "revisionHistoryLimit"]
        enum CodingKeys: String, CodingKey { case selector, template, updateStrategy, minReadySeconds }
        var selector: LabelSelector, template: PodTemplateSpec, updateStrategy: UpdateStrategy?, minReadySeconds: Int?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            selector = try c.decode(LabelSelector.self, forKey: .selector)
            template = try c.decode(PodTemplateSpec.self, forKey: .template)
            updateStrategy = try c.opt(UpdateStrategy.self, .updateStrategy)
            minReadySeconds = try c.opt(Int.self, .minReadySeconds)
        }
    }
    struct UpdateStrategy: Decodable, StrictFields {
        static let usedFields = ["type", "rollingUpdate"]
        enum CodingKeys: String, CodingKey { case type, rollingUpdate }
        var maxUnavailable: IntOrString?, maxSurge: IntOrString?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            _ = try c.opt(String.self, .type)
            let ru = try c.opt(DeploymentStrategy.RollingUpdate.self, .rollingUpdate)
            maxUnavailable = ru?.maxUnavailable; maxSurge = ru?.maxSurge
        }
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        let s = try c.decode(Spec.self, forKey: .spec)
        selector = s.selector; template = s.template; minReadySeconds = s.minReadySeconds ?? 0
        maxUnavailable = s.updateStrategy?.maxUnavailable ?? .int(1)
        maxSurge = s.updateStrategy?.maxSurge ?? .int(0)
    }
}

/// `apps/v1 StatefulSet`: decoded now, simulated by the stateful-workloads issue.
public struct StatefulSet: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var replicas: Int
    public var selector: LabelSelector
    public var template: PodTemplateSpec
    public var serviceName: String?
    public var podManagementPolicy: String
    public var volumeClaimTemplates: [PersistentVolumeClaim]
    public var minReadySeconds: Int
    /// `RollingUpdate` (default) or `OnDelete`; pods with an ordinal ≥ `partition` are updated.
    public var updateStrategyType: String
    public var partition: Int
    public static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
    public static let ignoredFields = ["status"]
    enum CodingKeys: String, CodingKey { case metadata, spec }
    struct Spec: Decodable, StrictFields {
        static let usedFields = [
            "replicas", "selector", "template", "serviceName", "podManagementPolicy", "volumeClaimTemplates",
            "updateStrategy", "revisionHistoryLimit", "minReadySeconds", "persistentVolumeClaimRetentionPolicy",
            "ordinals",
        ]
        enum CodingKeys: String, CodingKey {
            case replicas, selector, template, serviceName, podManagementPolicy, volumeClaimTemplates, minReadySeconds
            case updateStrategy
        }
        var replicas: Int?, selector: LabelSelector, template: PodTemplateSpec, serviceName: String?
        var podManagementPolicy: String?, volumeClaimTemplates: [PersistentVolumeClaim], minReadySeconds: Int?
        var updateStrategy: StatefulSetUpdateStrategy?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            replicas = try c.opt(Int.self, .replicas)
            selector = try c.decode(LabelSelector.self, forKey: .selector)
            template = try c.decode(PodTemplateSpec.self, forKey: .template)
            serviceName = try c.opt(String.self, .serviceName)
            podManagementPolicy = try c.opt(String.self, .podManagementPolicy)
            volumeClaimTemplates = try c.opt([PersistentVolumeClaim].self, .volumeClaimTemplates) ?? []
            minReadySeconds = try c.opt(Int.self, .minReadySeconds)
            updateStrategy = try c.opt(StatefulSetUpdateStrategy.self, .updateStrategy)
        }
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        let s = try c.decode(Spec.self, forKey: .spec)
        replicas = s.replicas ?? 1; selector = s.selector; template = s.template
        serviceName = s.serviceName; podManagementPolicy = s.podManagementPolicy ?? "OrderedReady"
        volumeClaimTemplates = s.volumeClaimTemplates; minReadySeconds = s.minReadySeconds ?? 0
        updateStrategyType = s.updateStrategy?.type ?? "RollingUpdate"
        partition = s.updateStrategy?.partition ?? 0
    }
}

/// `StatefulSetUpdateStrategy`: type and the rolling update's partition.
struct StatefulSetUpdateStrategy: Decodable, StrictFields {
    static let typeName = "StatefulSetUpdateStrategy"
    static let usedFields = ["type", "rollingUpdate"]
    var type: String?, partition: Int?
    struct Rolling: Decodable, StrictFields {
        static let typeName = "RollingUpdateStatefulSetStrategy"
        static let usedFields = ["partition", "maxUnavailable"]
        var partition: Int?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            partition = try decoder.container(keyedBy: AnyCodingKey.self).opt("partition")
        }
    }
    init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        type = try c.opt("type")
        partition = (try c.opt("rollingUpdate", as: Rolling.self))?.partition
    }
}

/// `policy/v1 PodDisruptionBudget`.
public struct PodDisruptionBudget: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var selector: LabelSelector?
    public var minAvailable: IntOrString?
    public var maxUnavailable: IntOrString?
    public var unhealthyPodEvictionPolicy: String

    public init(
        metadata: ObjectMeta, selector: LabelSelector?, minAvailable: IntOrString? = nil,
        maxUnavailable: IntOrString? = nil, unhealthyPodEvictionPolicy: String = "IfHealthyBudget"
    ) {
        self.metadata = metadata; self.selector = selector; self.minAvailable = minAvailable
        self.maxUnavailable = maxUnavailable; self.unhealthyPodEvictionPolicy = unhealthyPodEvictionPolicy
    }
    public static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
    public static let ignoredFields = ["status"]
    enum CodingKeys: String, CodingKey { case metadata, spec }
    struct Spec: Decodable, StrictFields {
        static let usedFields = ["selector", "minAvailable", "maxUnavailable", "unhealthyPodEvictionPolicy"]
        enum CodingKeys: String, CodingKey { case selector, minAvailable, maxUnavailable, unhealthyPodEvictionPolicy }
        var selector: LabelSelector?, minAvailable: IntOrString?, maxUnavailable: IntOrString?
        var unhealthyPodEvictionPolicy: String?
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            selector = try c.opt(LabelSelector.self, .selector)
            minAvailable = try c.opt(IntOrString.self, .minAvailable)
            maxUnavailable = try c.opt(IntOrString.self, .maxUnavailable)
            unhealthyPodEvictionPolicy = try c.opt(String.self, .unhealthyPodEvictionPolicy)
        }
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        let s = try c.decode(Spec.self, forKey: .spec)
        selector = s.selector; minAvailable = s.minAvailable; maxUnavailable = s.maxUnavailable
        unhealthyPodEvictionPolicy = s.unhealthyPodEvictionPolicy ?? "IfHealthyBudget"
    }
}

/// `scheduling.k8s.io/v1 PriorityClass`.
public struct PriorityClass: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var value: Int32
    public var globalDefault: Bool
    public var preemptionPolicy: String
    public init(name: String, value: Int32) {
        metadata = ObjectMeta(name: name, namespace: ""); self.value = value; globalDefault = false
        preemptionPolicy = "PreemptLowerPriority"
    }
    public static let usedFields = ["apiVersion", "kind", "metadata", "value", "globalDefault", "preemptionPolicy"]
    public static let ignoredFields = ["description"]
    enum CodingKeys: String, CodingKey { case metadata, value, globalDefault, preemptionPolicy }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.decode(ObjectMeta.self, forKey: .metadata)
        value = try c.decode(Int32.self, forKey: .value)
        globalDefault = try c.opt(Bool.self, .globalDefault) ?? false
        preemptionPolicy = try c.opt(String.self, .preemptionPolicy) ?? "PreemptLowerPriority"
    }

    /// The built-in classes (k8s.io/api/scheduling/v1 constants).
    public static let systemClusterCritical = PriorityClass(name: "system-cluster-critical", value: 2_000_000_000)
    public static let systemNodeCritical = PriorityClass(name: "system-node-critical", value: 2_000_001_000)
}
