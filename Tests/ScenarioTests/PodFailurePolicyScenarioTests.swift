import Foundation
import KubeModel
import Simulation
import Testing

@testable import Scenario

/// A Job's podFailurePolicy as the loader reads it, and what the API server refuses
/// (batch `validatePodFailurePolicy`); the timing rule's `exitCode`.
struct PodFailurePolicyScenarioTests {
    /// A Job (lines 15–27) whose policy rule is `rule` and whose pods restart `restart`.
    static func job(rule: String, restart: String = "Never") -> [String] {
        [
            "  workloads:",
            "    - object:",
            "        apiVersion: batch/v1",
            "        kind: Job",
            "        metadata: {name: j}",
            "        spec:",
            "          podFailurePolicy:",
            "            rules:",
            "              - \(rule)",
            "          template:",
            "            spec:",
            "              restartPolicy: \(restart)",
            "              containers: [{name: c, image: i}]",
        ]
    }

    static let ignoreDisruptions = "{action: Ignore, onPodConditions: [{type: DisruptionTarget}]}"

    @Test func policyIsRead() throws {
        let loaded = try ScenarioLoader.load(
            text: scenario(
                append: Self.job(rule: "{action: FailJob, onExitCodes: {containerName: c, operator: NotIn, values: [0, 143]}}")),
            path: "/s.yaml")
        let rule = try #require(loaded.spec.workloads.jobs.first?.spec.podFailurePolicy?.rules.first)
        #expect(rule.action == "FailJob")
        #expect(rule.onExitCodes == .init(containerName: "c", operator: "NotIn", values: [0, 143]))
        #expect(loaded.spec.notes.allSatisfy { !$0.contains("podFailurePolicy") })
    }

    /// `only "Never" is supported when podFailurePolicy is specified`, at the restartPolicy.
    @Test func onFailurePodsAreRefused() {
        let e = loadError(scenario(append: Self.job(rule: Self.ignoreDisruptions, restart: "OnFailure")))
        expectError(
            e, line: 26, column: 30, field: "spec.workloads[0].object.spec.template.spec.restartPolicy",
            contains: ["Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified"])
    }

    @Test func unknownActionIsRefused() {
        let e = loadError(scenario(append: Self.job(rule: "{action: Skip, onExitCodes: {operator: In, values: [1]}}")))
        expectError(
            e, line: 23, column: 26, field: "spec.workloads[0].object.spec.podFailurePolicy.rules[0].action",
            contains: ["Unsupported value: \"Skip\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\""])
    }

    @Test func unknownOperatorAndRepeatedValuesAreRefused() {
        let op = loadError(scenario(append: Self.job(rule: "{action: Count, onExitCodes: {operator: Equals, values: [1]}}")))
        expectError(
            op, line: 23, column: 57, field: "spec.workloads[0].object.spec.podFailurePolicy.rules[0].onExitCodes.operator",
            contains: ["Unsupported value: \"Equals\": supported values: \"In\", \"NotIn\""])
        let dup = loadError(scenario(append: Self.job(rule: "{action: Count, onExitCodes: {operator: In, values: [11, 11]}}")))
        #expect(dup?.field == "spec.workloads[0].object.spec.podFailurePolicy.rules[0].onExitCodes.values[1]")
        #expect(dup?.message.contains("Duplicate value: 11") == true, "\(String(describing: dup))")
    }

    @Test func aRuleNeedsExactlyOneRequirement() {
        let none = loadError(scenario(append: Self.job(rule: "{action: FailJob}")))
        #expect(none?.field == "spec.workloads[0].object.spec.podFailurePolicy.rules[0]")
        #expect(
            none?.message.contains("Invalid value: specifying one of OnExitCodes and OnPodConditions is required") == true,
            "\(String(describing: none))")
        let both = loadError(
            scenario(
                append: Self.job(
                    rule:
                        "{action: Ignore, onExitCodes: {operator: In, values: [1]}, onPodConditions: [{type: DisruptionTarget}]}")
            ))
        #expect(both?.message.contains("specifying both OnExitCodes and OnPodConditions is not supported") == true)
    }

    @Test func exitCodeIsAFailedRunsCode() throws {
        let loaded = try ScenarioLoader.load(
            text: scenario(
                append: Self.job(rule: Self.ignoreDisruptions) + ["  timing:", "    - {runDuration: 1m, exitCode: 42}"]),
            path: "/s.yaml")
        #expect(loaded.spec.timing.first?.exitCode == 42)
        let e = loadError(
            scenario(
                append: Self.job(rule: Self.ignoreDisruptions) + [
                    "  timing:", "    - {runDuration: 1m, failureProbability: 1, exitCode: 0}",
                ]))
        expectError(
            e, line: 29, column: 58, field: "spec.timing[0].exitCode",
            contains: ["0 must be between 1 and 255 (a failed run's exit code)"])
    }
}
