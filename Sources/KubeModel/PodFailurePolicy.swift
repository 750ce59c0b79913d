/// `batch/v1 PodFailurePolicy` (stable since 1.31): rules that decide what a failed pod of a
/// Job means, by its containers' exit codes or its conditions.
public struct PodFailurePolicy: Hashable, Sendable, Decodable, StrictFields {
    public enum Action: String, Hashable, Sendable, CaseIterable {
        case Count, FailIndex, FailJob, Ignore
    }

    /// `onExitCodes`: the operator and values an exit code is checked against, for one named
    /// container or any.
    public struct OnExitCodes: Hashable, Sendable, Decodable, StrictFields {
        public static let typeName = "PodFailurePolicyOnExitCodesRequirement"
        public static let usedFields = ["containerName", "operator", "values"]
        public var containerName: String?
        /// `In` or `NotIn`; kept as written so that validation can name what it refuses.
        public var `operator`: String
        public var values: [Int32]
        public init(containerName: String? = nil, operator op: String, values: [Int32]) {
            self.containerName = containerName; self.operator = op; self.values = values
        }
        enum CodingKeys: String, CodingKey { case containerName, `operator`, values }
        public init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            containerName = try c.decodeIfPresent(String.self, forKey: .containerName)
            self.operator = try c.decodeIfPresent(String.self, forKey: .operator) ?? ""
            values = try c.decodeIfPresent([Int32].self, forKey: .values) ?? []
        }
    }

    /// `onPodConditions[]`: a condition type and status (defaulted to True:
    /// pkg/apis/batch/v1/defaults.go `SetDefaults_PodFailurePolicyOnPodConditionsPattern`).
    public struct OnPodCondition: Hashable, Sendable, Decodable, StrictFields {
        public static let typeName = "PodFailurePolicyOnPodConditionsPattern"
        public static let usedFields = ["type", "status"]
        public var type: String
        public var status: String
        public init(type: String, status: String = "True") { self.type = type; self.status = status }
        enum CodingKeys: String, CodingKey { case type, status }
        public init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
            status = try c.decodeIfPresent(String.self, forKey: .status) ?? "True"
        }
    }

    public struct Rule: Hashable, Sendable, Decodable, StrictFields {
        public static let typeName = "PodFailurePolicyRule"
        public static let usedFields = ["action", "onExitCodes", "onPodConditions"]
        /// As written: an action this version does not know is skipped when matching.
        public var action: String
        public var onExitCodes: OnExitCodes?
        public var onPodConditions: [OnPodCondition]?
        public init(action: String, onExitCodes: OnExitCodes? = nil, onPodConditions: [OnPodCondition]? = nil) {
            self.action = action; self.onExitCodes = onExitCodes; self.onPodConditions = onPodConditions
        }
        enum CodingKeys: String, CodingKey { case action, onExitCodes, onPodConditions }
        public init(from decoder: Decoder) throws {
            try Self.checkFields(decoder)
            let c = try decoder.container(keyedBy: CodingKeys.self)
            action = try c.decodeIfPresent(String.self, forKey: .action) ?? ""
            onExitCodes = try c.decodeIfPresent(OnExitCodes.self, forKey: .onExitCodes)
            onPodConditions = try c.decodeIfPresent([OnPodCondition].self, forKey: .onPodConditions)
        }
    }

    public static let usedFields = ["rules"]
    public var rules: [Rule]
    public init(rules: [Rule]) { self.rules = rules }
    enum CodingKeys: String, CodingKey { case rules }
    public init(from decoder: Decoder) throws {
        try Self.checkFields(decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decodeIfPresent([Rule].self, forKey: .rules) ?? []
    }
}

/// What the policy reads of a failed pod: its containers' terminated states and its
/// conditions.
public struct FailedPodStatus: Hashable, Sendable {
    public struct ContainerState: Hashable, Sendable {
        public var name: String
        /// Nil while the container has not terminated (nothing to match).
        public var exitCode: Int32?
        public init(name: String, exitCode: Int32?) { self.name = name; self.exitCode = exitCode }
    }
    public var namespace: String
    public var name: String
    public var containers: [ContainerState]
    public var initContainers: [ContainerState]
    /// (type, status) in the pod's order.
    public var conditions: [OnPodConditionStatus]

    public struct OnPodConditionStatus: Hashable, Sendable {
        public var type: String, status: String
        public init(type: String, status: String) { self.type = type; self.status = status }
    }

    public init(
        namespace: String, name: String, containers: [ContainerState] = [], initContainers: [ContainerState] = [],
        conditions: [OnPodConditionStatus] = []
    ) {
        self.namespace = namespace; self.name = name; self.containers = containers
        self.initContainers = initContainers; self.conditions = conditions
    }
}

/// The outcome of matching a failed pod (kubernetes pkg/controller/job/pod_failure_policy.go
/// `matchPodFailurePolicy`): the Job's failure message when a FailJob rule matched, whether
/// the failure counts toward backoffLimit (not when an Ignore rule matched), and the action.
public struct PodFailurePolicyMatch: Hashable, Sendable {
    public var jobFailureMessage: String?
    public var countFailed: Bool
    public var action: PodFailurePolicy.Action?
    public init(jobFailureMessage: String? = nil, countFailed: Bool, action: PodFailurePolicy.Action? = nil) {
        self.jobFailureMessage = jobFailureMessage; self.countFailed = countFailed; self.action = action
    }
}

extension PodFailurePolicy {
    /// The first rule, in order, whose requirement the pod meets and whose action is known decides.
    ///
    /// No match counts the failure. An exit-code rule looks at the app containers first, then the
    /// init containers, at the first terminated one with a non-zero code whose name fits; a
    /// condition rule at the first of the pod's conditions equal in type and status to one of its
    /// patterns.
    public static func match(_ policy: PodFailurePolicy?, _ pod: FailedPodStatus) -> PodFailurePolicyMatch {
        guard let policy else { return PodFailurePolicyMatch(countFailed: true) }
        for (index, rule) in policy.rules.enumerated() {
            guard let action = Action(rawValue: rule.action) else { continue }
            let message: String
            if let codes = rule.onExitCodes {
                guard let c = matchingContainer(pod.containers, codes) ?? matchingContainer(pod.initContainers, codes) else {
                    continue
                }
                message =
                    "Container \(c.name) for pod \(pod.namespace)/\(pod.name) failed with exit code \(c.exitCode ?? 0) "
                    + "matching FailJob rule at index \(index)"
            } else if let patterns = rule.onPodConditions {
                guard
                    let condition = pod.conditions.first(where: { c in
                        patterns.contains { $0.type == c.type && $0.status == c.status }
                    })
                else { continue }
                message =
                    "Pod \(pod.namespace)/\(pod.name) has condition \(condition.type) matching FailJob rule at index \(index)"
            } else {
                continue
            }
            switch action {
            case .Ignore: return PodFailurePolicyMatch(countFailed: false, action: .Ignore)
            case .FailJob: return PodFailurePolicyMatch(jobFailureMessage: message, countFailed: true, action: .FailJob)
            case .Count, .FailIndex: return PodFailurePolicyMatch(countFailed: true, action: action)
            }
        }
        return PodFailurePolicyMatch(countFailed: true)
    }

    static func matchingContainer(
        _ states: [FailedPodStatus.ContainerState], _ r: OnExitCodes
    ) -> FailedPodStatus.ContainerState? {
        states.first { s in
            guard let code = s.exitCode, code != 0, r.containerName == nil || r.containerName == s.name else { return false }
            switch r.operator {
            case "In": return r.values.contains(code)
            case "NotIn": return !r.values.contains(code)
            default: return false
            }
        }
    }
}
