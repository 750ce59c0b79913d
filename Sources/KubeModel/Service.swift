/// `v1 Service`, of which only its selector matters here.
///
/// The scheduler's default topology spread deduces its selector from the Services that select a
/// pod. Every other field of the real API is accepted.
public struct Service: Hashable, Sendable, Decodable, StrictFields {
    public var metadata: ObjectMeta
    public var selector: [String: String]

    public init(metadata: ObjectMeta, selector: [String: String]) { self.metadata = metadata; self.selector = selector }

    public static let usedFields = ["apiVersion", "kind", "metadata", "spec"]
    public static let ignoredFields = ["status"]

    struct Spec: Decodable, StrictFields {
        static let typeName = "ServiceSpec"
        static let usedFields = ["selector"]
        static let ignoredFields = [
            "ports", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP",
            "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy", "healthCheckNodePort",
            "publishNotReadyAddresses", "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy",
            "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution",
        ]
        var selector: [String: String]
        init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            selector = try decoder.container(keyedBy: AnyCodingKey.self).opt("selector") ?? [:]
        }
    }

    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        metadata = try c.req("metadata")
        selector = (try c.opt("spec", as: Spec.self))?.selector ?? [:]
    }
}
