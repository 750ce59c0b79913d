/// `v1.PodSpec`, with the API server's defaults applied at decode time
/// (terminationGracePeriodSeconds 30, schedulerName default-scheduler, restartPolicy Always).
public struct PodSpec: Hashable, Sendable, Decodable, StrictFields {
    public var containers: [Container]
    public var initContainers: [Container]
    public var nodeName: String?
    public var nodeSelector: [String: String]
    public var affinity: Affinity?
    public var tolerations: [Toleration]
    public var topologySpreadConstraints: [TopologySpreadConstraint]
    public var priorityClassName: String?
    /// Resolved from priorityClassName by the Priority admission plugin when not given.
    public var priority: Int32?
    public var preemptionPolicy: String?
    public var terminationGracePeriodSeconds: Int64
    public var schedulerName: String
    public var restartPolicy: String
    public var overhead: [String: Quantity]
    public var hostNetwork: Bool
    public var volumes: [PodVolume]
    /// `runtimeClassName`: its RuntimeClass's overhead and scheduling are added at admission.
    public var runtimeClassName: String?
    /// Names of `schedulingGates`: while any remains the scheduler leaves the pod alone.
    public var schedulingGates: [String]
    /// Fields read only so that the run can name them as not simulated: `readinessGates`,
    /// pod-level `resources`, `resourceClaims`.
    public var unsimulatedFields: [String] = []

    public init(
        containers: [Container], nodeName: String? = nil, nodeSelector: [String: String] = [:],
        tolerations: [Toleration] = [], priorityClassName: String? = nil,
        terminationGracePeriodSeconds: Int64 = 30
    ) {
        self.containers = containers; self.initContainers = []; self.nodeName = nodeName
        self.nodeSelector = nodeSelector; self.affinity = nil; self.tolerations = tolerations
        self.topologySpreadConstraints = []; self.priorityClassName = priorityClassName; self.priority = nil
        self.preemptionPolicy = nil; self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.schedulerName = "default-scheduler"; self.restartPolicy = "Always"; self.overhead = [:]
        self.hostNetwork = false; self.volumes = []; self.runtimeClassName = nil; self.schedulingGates = []
    }

    public static let usedFields = [
        "containers", "initContainers", "nodeName", "nodeSelector", "affinity", "tolerations",
        "topologySpreadConstraints", "priorityClassName", "priority", "preemptionPolicy",
        "terminationGracePeriodSeconds", "schedulerName", "restartPolicy", "overhead", "hostNetwork", "volumes",
        "runtimeClassName", "schedulingGates", "readinessGates", "resources", "resourceClaims",
    ]
    public static let ignoredFields = [
        "ephemeralContainers", "activeDeadlineSeconds", "dnsPolicy", "serviceAccountName",
        "serviceAccount", "automountServiceAccountToken", "hostPID", "hostIPC", "shareProcessNamespace",
        "securityContext", "imagePullSecrets", "hostname", "subdomain", "hostAliases", "dnsConfig",
        "enableServiceLinks", "setHostnameAsFQDN", "os", "hostUsers", "hostnameOverride", "workloadRef",
    ]
    enum CodingKeys: String, CodingKey {
        case containers, initContainers, nodeName, nodeSelector, affinity, tolerations
        case topologySpreadConstraints, priorityClassName, priority, preemptionPolicy
        case terminationGracePeriodSeconds, schedulerName, restartPolicy, overhead, hostNetwork, volumes
        case runtimeClassName, schedulingGates, readinessGates, resources, resourceClaims
    }
    struct SchedulingGate: Decodable, StrictFields {
        static let typeName = "PodSchedulingGate"
        static let usedFields = ["name"]
        var name: String
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            name = try decoder.container(keyedBy: AnyCodingKey.self).req("name")
        }
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        containers = try c.decode([Container].self, forKey: .containers)
        initContainers = try c.opt([Container].self, .initContainers) ?? []
        nodeName = try c.opt(String.self, .nodeName)
        nodeSelector = try c.opt([String: String].self, .nodeSelector) ?? [:]
        affinity = try c.opt(Affinity.self, .affinity)
        tolerations = try c.opt([Toleration].self, .tolerations) ?? []
        topologySpreadConstraints = try c.opt([TopologySpreadConstraint].self, .topologySpreadConstraints) ?? []
        priorityClassName = try c.opt(String.self, .priorityClassName)
        priority = try c.opt(Int32.self, .priority)
        preemptionPolicy = try c.opt(String.self, .preemptionPolicy)
        terminationGracePeriodSeconds = try c.opt(Int64.self, .terminationGracePeriodSeconds) ?? 30
        schedulerName = try c.opt(String.self, .schedulerName) ?? "default-scheduler"
        restartPolicy = try c.opt(String.self, .restartPolicy) ?? "Always"
        overhead = try c.opt([String: Quantity].self, .overhead) ?? [:]
        hostNetwork = try c.opt(Bool.self, .hostNetwork) ?? false
        volumes = try c.opt([PodVolume].self, .volumes) ?? []
        runtimeClassName = try c.opt(String.self, .runtimeClassName)
        schedulingGates = (try c.opt([SchedulingGate].self, .schedulingGates) ?? []).map(\.name)
        for (key, field) in [
            (CodingKeys.readinessGates, "readinessGates"), (.resources, "resources"), (.resourceClaims, "resourceClaims"),
        ]
        where try c.contains(key) && !c.decodeNil(forKey: key) {
            unsimulatedFields.append(field)
        }
    }

    /// The PersistentVolumeClaims the pod mounts.
    public var claimNames: [String] { volumes.compactMap(\.claimName) }

    /// The pod's effective request, as the scheduler computes it
    /// (k8s.io/component-helpers/resource `PodRequests`): the larger of the app containers
    /// plus restartable (sidecar) init containers, and each ordinary init container plus the
    /// sidecars started before it; then the RuntimeClass overhead.
    public var effectiveRequests: Resources {
        var sidecarsSoFar = Resources.zero
        var initPeak = Resources.zero
        for ic in initContainers {
            let r = Resources(ic.resources.requests)
            if ic.restartPolicy == "Always" {
                sidecarsSoFar.add(r)
                initPeak = initPeak.max(sidecarsSoFar)
            } else {
                initPeak = initPeak.max(sidecarsSoFar + r)
            }
        }
        var total = sidecarsSoFar
        for c in containers { total.add(Resources(c.resources.requests)) }
        var result = total.max(initPeak)
        result.add(Resources(overhead))
        return result
    }

    /// The pod's limits as the quota counts them (`PodLimits`): app containers and sidecars
    /// summed, the larger of that and each init container, then the overhead.
    public var effectiveLimits: Resources {
        var sidecars = Resources.zero, initPeak = Resources.zero
        for ic in initContainers {
            let r = Resources(ic.resources.limits)
            if ic.restartPolicy == "Always" {
                sidecars.add(r); initPeak = initPeak.max(sidecars)
            } else {
                initPeak = initPeak.max(sidecars + r)
            }
        }
        var total = sidecars
        for c in containers { total.add(Resources(c.resources.limits)) }
        var result = total.max(initPeak)
        result.add(Resources(overhead))
        return result
    }

    /// Whether the pod requests nothing at all (BestEffort for scheduling purposes).
    public var requestsNothing: Bool {
        (containers + initContainers).allSatisfy { $0.resources.requests.isEmpty }
    }

    /// The images the pod pulls, in start order.
    public var images: [String] { (initContainers + containers).map(\.image).filter { !$0.isEmpty } }

    /// The readiness probe of the first container that has one (the pod is Ready when all
    /// containers are; the simulation models one gating probe per pod).
    public var readinessProbe: Probe? { containers.lazy.compactMap(\.readinessProbe).first }
}

/// `v1.PodTemplateSpec`.
public struct PodTemplateSpec: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var spec: PodSpec
    public init(metadata: ObjectMeta, spec: PodSpec) { self.metadata = metadata; self.spec = spec }
    public static let usedFields = ["metadata", "spec"]
    enum CodingKeys: String, CodingKey { case metadata, spec }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try c.opt(ObjectMeta.self, .metadata) ?? ObjectMeta(name: "")
        spec = try c.decode(PodSpec.self, forKey: .spec)
    }
}
