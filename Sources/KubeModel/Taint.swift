/// `v1.TaintEffect`.
public enum TaintEffect: String, Hashable, Sendable, Decodable, CaseIterable {
    case NoSchedule, PreferNoSchedule, NoExecute
}

/// `v1.Taint` on a node.
public struct Taint: Hashable, Sendable, Decodable, StrictFields {
    public var key: String
    public var value: String
    public var effect: TaintEffect
    /// When a NoExecute taint was added, in simulated seconds (`timeAdded` upstream).
    public var timeAddedSeconds: Double?

    public init(key: String, value: String = "", effect: TaintEffect, timeAddedSeconds: Double? = nil) {
        self.key = key; self.value = value; self.effect = effect; self.timeAddedSeconds = timeAddedSeconds
    }

    public static let usedFields = ["key", "value", "effect"]
    public static let ignoredFields = ["timeAdded"]
    enum CodingKeys: String, CodingKey { case key, value, effect }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.decode(String.self, forKey: .key)
        value = try c.opt(String.self, .value) ?? ""
        effect = try c.decode(TaintEffect.self, forKey: .effect)
    }

    /// Same key and effect: the identity of a taint on a node (`MatchTaint`).
    public func sameIdentity(_ other: Taint) -> Bool { key == other.key && effect == other.effect }

    // Well-known taints (k8s.io/api/core/v1/well_known_taints.go).
    public static let notReadyKey = "node.kubernetes.io/not-ready"
    public static let unreachableKey = "node.kubernetes.io/unreachable"
    public static let unschedulableKey = "node.kubernetes.io/unschedulable"
    public static let outOfServiceKey = "node.kubernetes.io/out-of-service"
    public static let memoryPressureKey = "node.kubernetes.io/memory-pressure"
    public static let diskPressureKey = "node.kubernetes.io/disk-pressure"
    public static let pidPressureKey = "node.kubernetes.io/pid-pressure"
    public static let networkUnavailableKey = "node.kubernetes.io/network-unavailable"
}

/// `v1.Toleration` on a pod.
public struct Toleration: Hashable, Sendable, Decodable, StrictFields {
    public enum Operator: String, Hashable, Sendable, Decodable { case Equal, Exists }
    public var key: String
    public var `operator`: Operator
    public var value: String
    /// nil: every effect.
    public var effect: TaintEffect?
    /// Only for NoExecute: how long the pod stays bound after the taint appears; nil is forever.
    public var tolerationSeconds: Int64?

    public init(
        key: String = "", operator op: Operator = .Equal, value: String = "",
        effect: TaintEffect? = nil, tolerationSeconds: Int64? = nil
    ) {
        self.key = key; self.operator = op; self.value = value
        self.effect = effect; self.tolerationSeconds = tolerationSeconds
    }

    public static let usedFields = ["key", "operator", "value", "effect", "tolerationSeconds"]
    enum CodingKeys: String, CodingKey { case key, `operator`, value, effect, tolerationSeconds }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        key = try c.opt(String.self, .key) ?? ""
        // An empty operator means Equal (core/v1 validateTolerations, ToleratesTaint).
        let op = try c.opt(String.self, .operator) ?? ""
        if op.isEmpty {
            `operator` = .Equal
        } else if let o = Operator(rawValue: op) {
            `operator` = o
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .operator, in: c, debugDescription: "operator \"\(op)\" must be Equal or Exists")
        }
        value = try c.opt(String.self, .value) ?? ""
        let effectText = try c.opt(String.self, .effect) ?? ""
        if effectText.isEmpty {
            effect = nil
        } else if let e = TaintEffect(rawValue: effectText) {
            effect = e
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .effect, in: c,
                debugDescription: "effect \"\(effectText)\" must be NoSchedule, PreferNoSchedule or NoExecute")
        }
        tolerationSeconds = try c.opt(Int64.self, .tolerationSeconds)
    }

    /// `Toleration.ToleratesTaint` (k8s.io/api/core/v1/toleration.go): empty effect matches
    /// every effect; empty key with Exists matches every key; Exists ignores the value.
    public func tolerates(_ taint: Taint) -> Bool {
        if let effect, effect != taint.effect { return false }
        if !key.isEmpty && key != taint.key { return false }
        switch `operator` {
        case .Exists: return true
        case .Equal: return value == taint.value
        }
    }
}

extension Array where Element == Toleration {
    /// Whether some toleration tolerates `taint`.
    public func tolerate(_ taint: Taint) -> Bool { contains { $0.tolerates(taint) } }

    /// The taints in `taints` with the given effects that no toleration tolerates
    /// (`v1helper.FindMatchingUntoleratedTaint` generalised).
    public func untolerated(_ taints: [Taint], effects: Set<TaintEffect>) -> [Taint] {
        taints.filter { effects.contains($0.effect) && !tolerate($0) }
    }
}
