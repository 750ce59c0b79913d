import Foundation
import Testing

@testable import KubeModel

/// kubernetes pkg/controller/job/pod_failure_policy_test.go `TestMatchPodFailurePolicy`,
/// restated as data: each case's rules, the failed pod's containers and conditions, and the
/// expected failure message, whether the failure counts, and the action.
struct PodFailurePolicyTests {
    typealias Rule = PodFailurePolicy.Rule
    typealias State = FailedPodStatus.ContainerState

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var rules: [Rule]?
        var containers: [State] = []
        var initContainers: [State] = []
        var conditions: [(String, String)] = []
        var message: String?
        var countFailed: Bool
        var action: PodFailurePolicy.Action?
        var testDescription: String { name }
    }

    static func codes(_ action: String, _ op: String, _ values: [Int32]) -> Rule {
        Rule(action: action, onExitCodes: .init(operator: op, values: values))
    }

    static func condition(_ action: String, status: String = "True", type: String = "DisruptionTarget") -> Rule {
        Rule(action: action, onPodConditions: [.init(type: type, status: status)])
    }

    static let main2 = [State(name: "main-container", exitCode: 2)]
    static let disrupted = [("DisruptionTarget", "True")]
    static func failJob(_ code: Int, _ index: Int) -> String {
        "Container main-container for pod default/mypod failed with exit code \(code) matching FailJob rule at index \(index)"
    }

    static let cases: [Case] = [
        Case(
            name: "unknown action for rule matching by exit codes - skip rule with unknown action",
            rules: [codes("UnknownAction", "In", [1, 2]), codes("FailJob", "In", [2, 3])], containers: main2,
            message: failJob(2, 1), countFailed: true, action: .FailJob),
        Case(
            name: "unknown action for rule matching by pod conditions - skip rule with unknown action",
            rules: [condition("UnkonwnAction"), condition("Ignore")], conditions: disrupted,
            countFailed: false, action: .Ignore),
        Case(
            name: "unknown operator - rule with unknown action is skipped for onExitCodes",
            rules: [codes("Ignore", "UnknownOperator", [1, 2]), codes("FailJob", "In", [2, 3])], containers: main2,
            message: failJob(2, 1), countFailed: true, action: .FailJob),
        Case(
            name: "no policy rules", rules: nil, containers: [State(name: "", exitCode: 2)], countFailed: true),
        Case(
            name: "ignore rule matched for exit codes", rules: [codes("Ignore", "In", [1, 2, 3])],
            containers: [State(name: "", exitCode: 2)], countFailed: false, action: .Ignore),
        Case(
            name: "ignore rule matched on negative exit codes - needed for Windows support",
            rules: [codes("Ignore", "In", [-1_073_741_676, -1_073_741_510])],
            containers: [State(name: "", exitCode: -1_073_741_510)], countFailed: false, action: .Ignore),
        Case(
            name: "FailJob rule matched for exit codes", rules: [codes("FailJob", "In", [1, 2, 3])], containers: main2,
            message: failJob(2, 0), countFailed: true, action: .FailJob),
        Case(
            name: "successful containers are skipped by the rules", rules: [codes("FailJob", "NotIn", [111])],
            containers: [State(name: "main-container", exitCode: 111), State(name: "suppport-container", exitCode: 0)],
            initContainers: [State(name: "init-container", exitCode: 0)], countFailed: true),
        Case(
            name: "FailIndex rule matched for exit codes", rules: [codes("FailIndex", "In", [1, 2, 3])],
            containers: [State(name: "", exitCode: 2)], countFailed: true, action: .FailIndex),
        Case(
            name: "pod failure policy with NotIn operator and value 0", rules: [codes("FailJob", "NotIn", [0])],
            containers: [State(name: "main-container", exitCode: 1), State(name: "suppport-container", exitCode: 0)],
            message: failJob(1, 0), countFailed: true, action: .FailJob),
        Case(
            name: "second jobfail rule matched for exit codes",
            rules: [codes("Count", "In", [1, 2, 3]), codes("FailJob", "In", [4, 5, 6])],
            containers: [State(name: "main-container", exitCode: 6)], message: failJob(6, 1), countFailed: true,
            action: .FailJob),
        Case(
            name: "count rule matched for exit codes", rules: [codes("Count", "In", [1, 2, 3])],
            containers: [State(name: "foo", exitCode: nil), State(name: "bar", exitCode: 2)], countFailed: true,
            action: .Count),
        Case(
            name: "FailIndex rule matched for pod conditions", rules: [condition("FailIndex")], conditions: disrupted,
            countFailed: true, action: .FailIndex),
        Case(
            name: "ignore rule matched for pod conditions", rules: [condition("Ignore")], conditions: disrupted,
            countFailed: false, action: .Ignore),
        Case(
            name: "ignore rule matches by the status=False", rules: [condition("Ignore", status: "False")],
            conditions: [("DisruptionTarget", "False")], countFailed: false, action: .Ignore),
        Case(
            name: "ignore rule matches by the status=Unknown", rules: [condition("Ignore", status: "Unknown")],
            conditions: [("DisruptionTarget", "Unknown")], countFailed: false, action: .Ignore),
        Case(
            name: "ignore rule does not match when status for pattern is False, but actual True",
            rules: [condition("Ignore", status: "False")], conditions: disrupted, countFailed: true),
        Case(
            name: "ignore rule does not match when status for pattern is True, but actual False",
            rules: [condition("Ignore")], conditions: [("DisruptionTarget", "False")], countFailed: true),
        Case(
            name: "job fail rule matched for pod conditions", rules: [condition("FailJob")], conditions: disrupted,
            message: "Pod default/mypod has condition DisruptionTarget matching FailJob rule at index 0",
            countFailed: true, action: .FailJob),
        Case(
            name: "count rule matched for pod conditions", rules: [condition("Count")], conditions: disrupted,
            countFailed: true, action: .Count),
        Case(
            name: "no rule matched",
            rules: [
                codes("Count", "NotIn", [8]), codes("Ignore", "In", [1, 2, 3]), codes("FailJob", "NotIn", [5, 6, 7]),
                condition("Count", type: "ResourceLimitExceeded"), condition("Ignore"),
            ],
            containers: [State(name: "", exitCode: 32)], countFailed: true, action: .Count),
    ]

    @Test(arguments: cases)
    func matchPodFailurePolicy(_ c: Case) {
        let pod = FailedPodStatus(
            namespace: "default", name: "mypod", containers: c.containers, initContainers: c.initContainers,
            conditions: c.conditions.map { .init(type: $0.0, status: $0.1) })
        let m = PodFailurePolicy.match(c.rules.map { PodFailurePolicy(rules: $0) }, pod)
        #expect(m.jobFailureMessage == c.message)
        #expect(m.countFailed == c.countFailed)
        #expect(m.action == c.action)
    }

    /// A rule for one container looks at that container only; init containers are looked at
    /// after the app containers.
    @Test func containerNameAndInitContainers() {
        let rule = Rule(action: "FailJob", onExitCodes: .init(containerName: "setup", operator: "In", values: [3]))
        let pod = FailedPodStatus(
            namespace: "ns", name: "p", containers: [State(name: "main", exitCode: 3)],
            initContainers: [State(name: "setup", exitCode: 3)])
        let m = PodFailurePolicy.match(PodFailurePolicy(rules: [rule]), pod)
        #expect(m.jobFailureMessage == "Container setup for pod ns/p failed with exit code 3 matching FailJob rule at index 0")
        let other = FailedPodStatus(namespace: "ns", name: "p", containers: [State(name: "main", exitCode: 3)])
        #expect(PodFailurePolicy.match(PodFailurePolicy(rules: [rule]), other).action == nil)
    }

    /// `status` defaults to True (batch/v1 `SetDefaults_Job`); unknown fields are refused.
    @Test func decodingDefaultsTheConditionStatus() throws {
        let json = #"{"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}"#
        let p = try JSONDecoder().decode(PodFailurePolicy.self, from: Data(json.utf8))
        #expect(p.rules.first?.onPodConditions == [.init(type: "DisruptionTarget", status: "True")])
        let bad = #"{"rules": [{"action": "Ignore", "onExitCode": {"operator": "In", "values": [1]}}]}"#
        #expect(throws: UnknownFieldError.self) { try JSONDecoder().decode(PodFailurePolicy.self, from: Data(bad.utf8)) }
    }
}
