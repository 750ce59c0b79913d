import Foundation
import KubeModel
import Simulation
import Testing

@testable import Scenario

/// Jobs, CronJobs and their scenario fields as the loader reads them: the batch/v1 defaults,
/// strict fields, the API server's refusals, the timing fields `runDuration` and
/// `failureProbability`, and `spec.startTime`.
struct JobScenarioTests {
    static let job =
        "{apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {template: {spec: {containers: [{name: c, image: i}], restartPolicy: Never}}}}"

    /// SetDefaults_Job: parallelism and completions 1 when neither is written, backoffLimit 6,
    /// NonIndexed; parallelism alone leaves completions unset (a work queue). SetDefaults_CronJob:
    /// Allow, history limits 3 and 1.
    @Test func batchDefaults() throws {
        let loaded = try ScenarioLoader.load(
            text: scenario(append: [
                "  workloads:", "    - object: \(Self.job)",
                "    - object: {apiVersion: batch/v1, kind: Job, metadata: {name: q}, spec: {parallelism: 3, template: {spec: {containers: [{name: c, image: i}], restartPolicy: Never}}}}",
                "    - object: {apiVersion: batch/v1, kind: CronJob, metadata: {name: c}, spec: {schedule: \"@daily\", jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: i}], restartPolicy: OnFailure}}}}}}",
            ]),
            path: "/s.yaml")
        let jobs = loaded.spec.workloads.jobs
        #expect(jobs.map(\.spec.parallelism) == [1, 3])
        #expect(jobs.map(\.spec.completions) == [1, nil])
        #expect(jobs.map(\.spec.backoffLimit) == [6, 6])
        #expect(jobs[0].spec.completionMode == .NonIndexed)
        let c = try #require(loaded.spec.workloads.cronJobs.first)
        #expect(c.concurrencyPolicy == .Allow && c.successfulJobsHistoryLimit == 3 && c.failedJobsHistoryLimit == 1)
        #expect(loaded.spec.startTime == 1_735_689_600)
    }

    @Test func misspelledJobFieldIsRefused() {
        let e = loadError(
            scenario(append: [
                "  workloads:",
                "    - object: {apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {backofLimit: 2, template: {spec: {containers: [{name: c, image: i}], restartPolicy: Never}}}}",
            ]))
        #expect(
            e?.description.contains("unknown field \"backofLimit\" in JobSpec (did you mean \"backoffLimit\"?)") == true,
            "\(String(describing: e))")
    }

    /// validateJobSpec: an Indexed Job without completions (parallelism written, so the
    /// defaulting leaves completions unset).
    @Test func indexedJobNeedsCompletions() {
        let e = loadError(
            scenario(append: [
                "  workloads:",
                "    - object: {apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {completionMode: Indexed, parallelism: 2, template: {spec: {containers: [{name: c, image: i}], restartPolicy: Never}}}}",
            ]))
        #expect(e?.field == "spec.workloads[0].object.spec.completions", "\(String(describing: e))")
        #expect(e?.description.contains("Required value: when completion mode is Indexed") == true, "\(String(describing: e))")
    }

    @Test func failureProbabilityMustBeAProbability() {
        let e = loadError(
            scenario(append: [
                "  workloads:", "    - object: \(Self.job)",
                "  timing:", "    - {runDuration: 1m, failureProbability: 1.5}",
            ]))
        expectError(
            e, line: 18, column: 45, field: "spec.timing[0].failureProbability", contains: ["1.5 must be between 0 and 1"])
    }

    @Test func startTimeMustBeAUTCInstant() throws {
        let e = loadError(scenario(append: ["  startTime: \"2025-06-01 02:00\""]))
        expectError(e, line: 15, column: 14, field: "spec.startTime", contains: ["is not a UTC instant"])
        let ok = try ScenarioLoader.load(text: scenario(append: ["  startTime: \"2025-06-01T01:55:00Z\""]), path: "/s.yaml")
        #expect(ok.spec.startTime == 1_748_742_900)
    }

    /// The notes name what a Job's fields ask for that the run leaves out.
    @Test func unmodelledJobFieldsAreNoted() throws {
        let loaded = try ScenarioLoader.load(
            text: scenario(append: [
                "  workloads:",
                "    - object: {apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {podFailurePolicy: {rules: [{action: FailIndex, onExitCodes: {operator: In, values: [3]}}]}, template: {spec: {containers: [{name: c, image: i}], restartPolicy: Never}}}}",
            ]),
            path: "/s.yaml")
        #expect(
            loaded.spec.notes.contains(
                "Job default/j: podFailurePolicy's FailIndex rules count the failure like Count; backoffLimitPerIndex is not modelled."
            ))
        #expect(!loaded.spec.notes.contains { $0.contains("not simulated") && $0.contains("Job") })
    }
}
