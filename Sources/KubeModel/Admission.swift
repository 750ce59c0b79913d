/// `v1 LimitRange`: the per-container defaults the LimitRanger admission plugin applies,
/// after the API's own defaulting of the object (`SetDefaults_LimitRangeItem` in k8s
/// `pkg/apis/core/v1/defaults.go`: a missing default limit is the max, a missing default
/// request is the default limit, else the min).
public struct LimitRange: Hashable, Sendable, Decodable {
    public var metadata: ObjectMeta
    /// `default`: limits given to containers without one.
    public var defaultLimits: [String: Quantity] = [:]
    /// `defaultRequest`: requests given to containers without one.
    public var defaultRequests: [String: Quantity] = [:]

    public init(metadata: ObjectMeta, defaultLimits: [String: Quantity] = [:], defaultRequests: [String: Quantity] = [:]) {
        self.metadata = metadata; self.defaultLimits = defaultLimits; self.defaultRequests = defaultRequests
    }

    struct Item: Decodable, StrictFields {
        static let typeName = "LimitRangeItem"
        static let usedFields = ["type", "default", "defaultRequest", "max", "min", "maxLimitRequestRatio"]
        var type: String, defaults: [String: Quantity], defaultRequest: [String: Quantity]
        var max: [String: Quantity], min: [String: Quantity]
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: AnyCodingKey.self)
            type = try c.req("type")
            defaults = try c.opt("default") ?? [:]; defaultRequest = try c.opt("defaultRequest") ?? [:]
            max = try c.opt("max") ?? [:]; min = try c.opt("min") ?? [:]
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        metadata = try c.req("metadata")
        struct Spec: Decodable { var limits: [Item] }
        let spec: Spec = try c.req("spec")
        for item in spec.limits where item.type == "Container" {
            var limits = item.defaults, requests = item.defaultRequest
            for (k, v) in item.max where limits[k] == nil { limits[k] = v }
            for (k, v) in limits where requests[k] == nil { requests[k] = v }
            for (k, v) in item.min where requests[k] == nil { requests[k] = v }
            defaultLimits.merge(limits) { a, _ in a }
            defaultRequests.merge(requests) { a, _ in a }
        }
    }
}

/// `node.k8s.io/v1 RuntimeClass`: the pod overhead and scheduling the RuntimeClass admission
/// plugin adds to pods that name it.
public struct RuntimeClass: Hashable, Sendable, Decodable {
    public var metadata: ObjectMeta
    public var handler: String
    /// `overhead.podFixed`.
    public var podFixedOverhead: [String: Quantity]
    public var nodeSelector: [String: String]
    public var tolerations: [Toleration]

    public init(name: String, handler: String, podFixedOverhead: [String: Quantity] = [:]) {
        metadata = ObjectMeta(name: name, namespace: ""); self.handler = handler; self.podFixedOverhead = podFixedOverhead
        nodeSelector = [:]; tolerations = []
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        metadata = try c.req("metadata")
        handler = try c.req("handler")
        struct Overhead: Decodable { var podFixed: [String: Quantity]? }
        struct Scheduling: Decodable { var nodeSelector: [String: String]?, tolerations: [Toleration]? }
        podFixedOverhead = (try c.opt("overhead", as: Overhead.self))?.podFixed ?? [:]
        let scheduling: Scheduling? = try c.opt("scheduling")
        nodeSelector = scheduling?.nodeSelector ?? [:]
        tolerations = scheduling?.tolerations ?? []
    }
}
