/// `v1.Probe` timing fields, with the API defaults.
///
/// The defaults are those of core/v1 defaults.go: period 10 s, timeout 1 s, successThreshold 1,
/// failureThreshold 3, initialDelay 0. The handler (httpGet, exec, and so on) is accepted and not
/// modelled: a probe succeeds once the container's application answers (see the Simulation's pod
/// timing).
public struct Probe: Hashable, Sendable, Decodable, StrictFields {
    public var initialDelaySeconds: Int
    public var periodSeconds: Int
    public var timeoutSeconds: Int
    public var successThreshold: Int
    public var failureThreshold: Int
    public var terminationGracePeriodSeconds: Int64?

    public init(
        initialDelaySeconds: Int = 0, periodSeconds: Int = 10, timeoutSeconds: Int = 1,
        successThreshold: Int = 1, failureThreshold: Int = 3
    ) {
        self.initialDelaySeconds = initialDelaySeconds; self.periodSeconds = periodSeconds
        self.timeoutSeconds = timeoutSeconds; self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold; self.terminationGracePeriodSeconds = nil
    }

    public static let usedFields = [
        "initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold",
        "terminationGracePeriodSeconds",
    ]
    public static let ignoredFields = ["exec", "httpGet", "tcpSocket", "grpc"]
    enum CodingKeys: String, CodingKey {
        case initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold
        case terminationGracePeriodSeconds
    }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // 0 counts as 1; a negative value is kept as written, for validation to refuse
        // (validateProbe: "must be greater than or equal to 0") instead of silently becoming 1.
        func atLeastOne(_ v: Int) -> Int { v < 0 ? v : max(1, v) }
        initialDelaySeconds = try c.opt(Int.self, .initialDelaySeconds) ?? 0
        periodSeconds = atLeastOne(try c.opt(Int.self, .periodSeconds) ?? 10)
        timeoutSeconds = atLeastOne(try c.opt(Int.self, .timeoutSeconds) ?? 1)
        successThreshold = atLeastOne(try c.opt(Int.self, .successThreshold) ?? 1)
        failureThreshold = atLeastOne(try c.opt(Int.self, .failureThreshold) ?? 3)
        terminationGracePeriodSeconds = try c.opt(Int64.self, .terminationGracePeriodSeconds)
    }
}
