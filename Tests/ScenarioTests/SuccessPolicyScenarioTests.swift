import Foundation
import KubeModel
import Testing

@testable import Scenario

/// A Job's successPolicy as the loader reads it, and what the API server refuses
/// (batch `validateSuccessPolicy`).
struct SuccessPolicyScenarioTests {
    static func job(mode: String, policy: String) -> [String] {
        [
            "  workloads:",
            "    - object:",
            "        apiVersion: batch/v1",
            "        kind: Job",
            "        metadata: {name: j}",
            "        spec:",
            "          completionMode: \(mode)",
            "          completions: 5",
            "          parallelism: 5",
            "          successPolicy: \(policy)",
            "          template:",
            "            spec:",
            "              restartPolicy: Never",
            "              containers: [{name: c, image: i}]",
        ]
    }

    @Test func policyIsRead() throws {
        let loaded = try ScenarioLoader.load(
            text: scenario(
                append: Self.job(mode: "Indexed", policy: "{rules: [{succeededIndexes: \"0,2-3\", succeededCount: 2}]}")),
            path: "/s.yaml")
        let rule = try #require(loaded.spec.workloads.jobs.first?.spec.successPolicy?.rules.first)
        #expect(rule == .init(succeededIndexes: "0,2-3", succeededCount: 2))
        #expect(loaded.spec.notes.allSatisfy { !$0.contains("successPolicy") })
    }

    @Test func onlyIndexedJobs() {
        let e = loadError(scenario(append: Self.job(mode: "NonIndexed", policy: "{rules: [{succeededCount: 1}]}")))
        expectError(
            e, line: 21, column: 27, field: "spec.workloads[0].object.spec.completionMode",
            contains: ["Invalid value: \"NonIndexed\": requires indexed completion mode"])
    }

    @Test func countsWithinCompletionsAndIndexes() {
        let many = loadError(scenario(append: Self.job(mode: "Indexed", policy: "{rules: [{succeededCount: 6}]}")))
        #expect(many?.field == "spec.workloads[0].object.spec.successPolicy.rules[0].succeededCount")
        #expect(many?.message.contains("must be less than or equal to 5 (the number of specified completions)") == true)
        let named = loadError(
            scenario(append: Self.job(mode: "Indexed", policy: "{rules: [{succeededIndexes: \"1-2\", succeededCount: 3}]}")))
        #expect(
            named?.message.contains(
                "must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)")
                == true, "\(String(describing: named))")
        let none = loadError(scenario(append: Self.job(mode: "Indexed", policy: "{rules: [{}]}")))
        #expect(none?.field == "spec.workloads[0].object.spec.successPolicy.rules[0]")
        #expect(none?.message.contains("at least one of succeededCount or succeededIndexes must be specified") == true)
    }
}
