/// `v1 ResourceQuota`: the hard limits the ResourceQuota admission plugin holds a namespace's
/// pods to, and the scopes that choose which pods count.
public struct ResourceQuota: Hashable, Sendable, Decodable {
    public var metadata: ObjectMeta
    public var hard: [String: Quantity]
    /// `scopes` and `scopeSelector` as (scope name, operator, values).
    public var scopes: [ScopeRequirement]

    public struct ScopeRequirement: Hashable, Sendable, Decodable {
        public var scopeName: String
        public var `operator`: String
        public var values: [String]
        public init(scopeName: String, operator op: String = "Exists", values: [String] = []) {
            self.scopeName = scopeName; self.operator = op; self.values = values
        }
        enum CodingKeys: String, CodingKey { case scopeName, `operator`, values }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            scopeName = try c.decode(String.self, forKey: .scopeName)
            `operator` = try c.decode(String.self, forKey: .operator)
            values = try c.decodeIfPresent([String].self, forKey: .values) ?? []
        }
    }

    public init(metadata: ObjectMeta, hard: [String: Quantity], scopes: [ScopeRequirement] = []) {
        self.metadata = metadata; self.hard = hard; self.scopes = scopes
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        metadata = try c.req("metadata")
        struct Selector: Decodable { var matchExpressions: [ScopeRequirement]? }
        struct Spec: Decodable { var hard: [String: Quantity]?, scopes: [String]?, scopeSelector: Selector? }
        let spec: Spec? = try c.opt("spec")
        hard = spec?.hard ?? [:]
        scopes = (spec?.scopes ?? []).map { ScopeRequirement(scopeName: $0) } + (spec?.scopeSelector?.matchExpressions ?? [])
    }

    /// Scopes k3sim evaluates: PriorityClass, BestEffort, NotBestEffort, and
    /// NotTerminating / Terminating (no pod here has activeDeadlineSeconds).
    public var scopesUnderstood: Bool {
        scopes.allSatisfy {
            ["PriorityClass", "BestEffort", "NotBestEffort", "Terminating", "NotTerminating"].contains($0.scopeName)
        }
    }

    /// Whether a pod counts against this quota (pkg/quota/v1/evaluator/core/pods.go
    /// `podMatchesScopeFunc`): every scope must match.
    public func matches(_ spec: PodSpec) -> Bool {
        scopes.allSatisfy { s in
            switch s.scopeName {
            case "BestEffort": return spec.requestsNothing && spec.containers.allSatisfy { $0.resources.limits.isEmpty }
            case "NotBestEffort": return !(spec.requestsNothing && spec.containers.allSatisfy { $0.resources.limits.isEmpty })
            case "Terminating": return false
            case "NotTerminating": return true
            case "PriorityClass":
                let name = spec.priorityClassName ?? ""
                switch s.operator {
                case "In": return s.values.contains(name)
                case "NotIn": return !s.values.contains(name)
                case "Exists": return !name.isEmpty
                case "DoesNotExist": return name.isEmpty
                default: return false
                }
            default: return false
            }
        }
    }
}

/// How the pod evaluator counts a pod against a quota (pkg/quota/v1/evaluator/core/pods.go
/// `PodUsageFunc`): `pods` and `count/pods` 1; `requests.*` (and the bare names) from the
/// pod's requests, `limits.*` from its limits, overhead included. CPU in millicores, the
/// rest in whole units.
extension ResourceQuota {
    public static let podResources: Set<String> = [
        "pods", "count/pods", "cpu", "requests.cpu", "limits.cpu", "memory", "requests.memory", "limits.memory",
        "ephemeral-storage", "requests.ephemeral-storage", "limits.ephemeral-storage",
    ]

    public static func usage(of spec: PodSpec) -> [String: Int64] {
        let r = spec.effectiveRequests, l = spec.effectiveLimits
        return [
            "pods": 1, "count/pods": 1,
            "cpu": r.milliCPU, "requests.cpu": r.milliCPU, "limits.cpu": l.milliCPU,
            "memory": r.memoryBytes, "requests.memory": r.memoryBytes, "limits.memory": l.memoryBytes,
            "ephemeral-storage": r.ephemeralStorageBytes, "requests.ephemeral-storage": r.ephemeralStorageBytes,
            "limits.ephemeral-storage": l.ephemeralStorageBytes,
        ]
    }

    /// The hard limits on pods, in the units of `usage(of:)`.
    public var podHard: [String: Int64] {
        var result: [String: Int64] = [:]
        for (name, q) in hard where Self.podResources.contains(name) {
            result[name] = name.hasSuffix("cpu") ? q.milliValue : q.value
        }
        return result
    }

    /// A value as the API prints a quantity: millicores as `500m` or whole cores, bytes with
    /// the largest binary suffix that divides them, counts as numbers.
    public static func format(_ name: String, _ v: Int64) -> String {
        if name.hasSuffix("cpu") { return v % 1000 == 0 ? "\(v / 1000)" : "\(v)m" }
        guard name.hasSuffix("memory") || name.hasSuffix("storage"), v != 0 else { return "\(v)" }
        for (suffix, shift) in [("Ei", 60), ("Pi", 50), ("Ti", 40), ("Gi", 30), ("Mi", 20), ("Ki", 10)]
        where v % (Int64(1) << shift) == 0 {
            return "\(v >> shift)\(suffix)"
        }
        return "\(v)"
    }

    /// `CheckRequest` (plugin/pkg/admission/resourcequota/controller.go): the resources this pod
    /// asks for and the quota limits are compared with what the namespace already uses; the
    /// refusal names the exceeded ones, sorted, as `prettyPrint` does.
    public func refusal(requested: [String: Int64], used: [String: Int64]) -> String? {
        let hardValues = podHard
        let exceeded = hardValues.filter { k, hard in
            (requested[k] ?? 0) != 0 && (used[k] ?? 0) + (requested[k] ?? 0) > hard
        }.keys.sorted()
        guard !exceeded.isEmpty else { return nil }
        func print(_ values: [String: Int64]) -> String {
            exceeded.map { "\($0)=\(Self.format($0, values[$0] ?? 0))" }.joined(separator: ",")
        }
        return
            "exceeded quota: \(metadata.name), requested: \(print(requested)), used: \(print(used)), limited: \(print(hardValues))"
    }
}
