/// `v1.ResourceRequirements`.
public struct ResourceRequirements: Hashable, Sendable, Decodable, StrictFields {
    public var requests: [String: Quantity]
    public var limits: [String: Quantity]

    public init(requests: [String: Quantity] = [:], limits: [String: Quantity] = [:]) {
        self.requests = requests; self.limits = limits
    }

    public static let usedFields = ["requests", "limits"]
    public static let ignoredFields = ["claims"]
    enum CodingKeys: String, CodingKey { case requests, limits }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        limits = try c.opt([String: Quantity].self, .limits) ?? [:]
        // API defaulting: a limit without a request sets the request to the limit.
        var req = try c.opt([String: Quantity].self, .requests) ?? [:]
        for (k, v) in limits where req[k] == nil { req[k] = v }
        requests = req
    }
}

/// `v1.ContainerPort`: host ports matter to scheduling (NodePorts filter).
public struct ContainerPort: Hashable, Sendable, Decodable, StrictFields {
    public var containerPort: Int
    public var hostPort: Int?
    public var `protocol`: String

    public static let usedFields = ["containerPort", "hostPort", "protocol"]
    public static let ignoredFields = ["name", "hostIP"]
    enum CodingKeys: String, CodingKey { case containerPort, hostPort, `protocol` }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        containerPort = try c.decode(Int.self, forKey: .containerPort)
        hostPort = try c.opt(Int.self, .hostPort)
        `protocol` = try c.opt(String.self, .protocol) ?? "TCP"
    }
}

/// `v1.Container`.
public struct Container: Hashable, Sendable, Decodable, StrictFields {
    public var name: String
    public var image: String
    public var resources: ResourceRequirements
    public var ports: [ContainerPort]
    public var readinessProbe: Probe?
    public var livenessProbe: Probe?
    public var startupProbe: Probe?
    /// `Always` on an init container makes it a sidecar (restartable init container).
    public var restartPolicy: String?
    /// `lifecycle.preStop` is set.
    public var hasPreStopHook = false
    /// `lifecycle.preStop.sleep.seconds`: the one hook whose duration the manifest gives.
    public var preStopSleepSeconds: Int64?

    public init(
        name: String, image: String, resources: ResourceRequirements = .init(),
        readinessProbe: Probe? = nil
    ) {
        self.name = name; self.image = image; self.resources = resources; self.ports = []
        self.readinessProbe = readinessProbe; self.livenessProbe = nil; self.startupProbe = nil
        self.restartPolicy = nil
    }

    public static let usedFields = [
        "name", "image", "resources", "ports", "readinessProbe", "livenessProbe", "startupProbe", "restartPolicy",
        "lifecycle",
    ]
    public static let ignoredFields = [
        "command", "args", "workingDir", "envFrom", "env", "resizePolicy", "restartPolicyRules", "volumeMounts",
        "volumeDevices", "terminationMessagePath", "terminationMessagePolicy", "imagePullPolicy",
        "securityContext", "stdin", "stdinOnce", "tty",
    ]
    enum CodingKeys: String, CodingKey {
        case name, image, resources, ports, readinessProbe, livenessProbe, startupProbe, restartPolicy, lifecycle
    }
    struct Lifecycle: Decodable {
        struct Handler: Decodable {
            struct Sleep: Decodable { var seconds: Int64? }
            var sleep: Sleep?
        }
        var preStop: Handler?
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        image = try c.opt(String.self, .image) ?? ""
        resources = try c.opt(ResourceRequirements.self, .resources) ?? .init()
        ports = try c.opt([ContainerPort].self, .ports) ?? []
        readinessProbe = try c.opt(Probe.self, .readinessProbe)
        livenessProbe = try c.opt(Probe.self, .livenessProbe)
        startupProbe = try c.opt(Probe.self, .startupProbe)
        restartPolicy = try c.opt(String.self, .restartPolicy)
        let preStop = (try c.opt(Lifecycle.self, .lifecycle))?.preStop
        hasPreStopHook = preStop != nil
        preStopSleepSeconds = preStop?.sleep?.seconds
    }
}
