import Testing

@testable import Scenario
@testable import Simulation

/// crash-container and fail-probe in scenario files: targets, options and positioned errors.
struct ContainerFaultTests {
    func withFault(_ lines: [String], liveness: Bool = false) -> String {
        let probe = liveness ? ", livenessProbe: {httpGet: {path: /, port: 80}}" : ""
        return scenario(
            append: [
                "  workloads:",  // 15
                "    - object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i\(probe)}]}}}}",  // 16
                "  faults:",  // 17
                "    - at: 10m",  // 18
            ] + lines)
    }

    @Test func crashContainerLoads() throws {
        let s = try ScenarioLoader.load(
            text: withFault([
                "      action: crash-container", "      target: deployment/web",
                "      options: {count: 3}",
            ]), path: "/s.yaml")
        #expect(s.spec.faults[0].action == .crashContainer)
        #expect(s.spec.faults[0].target == .deployment(namespace: "default", name: "web"))
        #expect(s.spec.faults[0].count == 3)
    }

    @Test func failProbeLoads() throws {
        let s = try ScenarioLoader.load(
            text: withFault(
                [
                    "      action: fail-probe", "      target: deployment/web", "      for: 1m",
                    "      options: {probe: liveness}",
                ], liveness: true), path: "/s.yaml")
        #expect(s.spec.faults[0].probe == .liveness)
        #expect(s.spec.faults[0].duration == .seconds(60))
    }

    @Test func failProbeNeedsAProbeTheTargetHas() {
        expectError(
            loadError(
                withFault([
                    "      action: fail-probe", "      target: deployment/web", "      for: 1m",  // 19-21
                    "      options: {probe: readiness}",
                ])),  // 22
            line: 20, column: 15, field: "spec.faults[0].target", contains: ["has no readinessProbe"])
        expectError(
            loadError(withFault(["      action: fail-probe", "      target: deployment/web", "      for: 1m"])),
            line: 18, column: 7, field: "spec.faults[0].options", contains: ["options.probe"])
        expectError(
            loadError(
                withFault(
                    [
                        "      action: fail-probe", "      target: deployment/web",
                        "      options: {probe: liveness}",
                    ], liveness: true)),
            line: 18, column: 7, field: "spec.faults[0]", contains: ["needs for:"])
        expectError(
            loadError(
                withFault([
                    "      action: fail-probe", "      target: deployment/web", "      for: 1m",
                    "      options: {probe: startup}",
                ])),
            line: 22, column: 24, field: "spec.faults[0].options.probe", contains: ["liveness or readiness"])
    }

    @Test func crashContainerTargets() {
        expectError(
            loadError(withFault(["      action: crash-container", "      target: node/agents-1"])),
            line: 20, column: 15, field: "spec.faults[0].target", contains: ["crash-container does not take a node"])
        expectError(
            loadError(withFault(["      action: crash-container", "      target: deployment/web", "      options: {count: 0}"])),
            line: 21, column: 24, field: "spec.faults[0].options.count", contains: ["must be between 1 and"])
    }
}

/// A CronJob whose schedule the API server refuses is refused at load time, positioned at
/// spec.schedule (batch validateScheduleFormat).
struct CronJobScheduleValidationTests {
    @Test func invalidScheduleIsRefused() {
        let text = scenario(append: [
            "  workloads:",  // 15
            "    - object: {apiVersion: batch/v1, kind: CronJob, metadata: {name: nightly}, spec: {schedule: \"0 25 * * *\", jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: i}], restartPolicy: OnFailure}}}}}}",  // 16
        ])
        expectError(
            loadError(text), line: 16, column: 97, field: "spec.workloads[0].object.spec.schedule",
            contains: ["Invalid value: \"0 25 * * *\": end of range (25) above maximum (23): 25"])
    }

    @Test func validScheduleLoads() throws {
        let text = scenario(append: [
            "  workloads:",
            "    - object: {apiVersion: batch/v1, kind: CronJob, metadata: {name: nightly}, spec: {schedule: \"@daily\", jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: i}], restartPolicy: OnFailure}}}}}}",
        ])
        _ = try ScenarioLoader.load(text: text, path: "/s.yaml")
    }
}

/// A HorizontalPodAutoscaler the API server refuses is refused at load time
/// (autoscaling validateHorizontalPodAutoscalerSpec; its messages restated from upstream's
/// TestValidateHorizontalPodAutoscaler error cases).
struct AutoscalerValidationTests {
    static func hpa(_ spec: String) -> String {
        scenario(append: [
            "  workloads:",
            "    - object: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: web}, spec: {\(spec)}}",  // 16
        ])
    }

    @Test(arguments: [
        (
            "scaleTargetRef: {kind: Deployment, name: web}, minReplicas: 7, maxReplicas: 5",
            "spec.workloads[0].object.spec.maxReplicas",
            "Invalid value: 5: must be greater than or equal to `minReplicas`"
        ),
        (
            "scaleTargetRef: {kind: Deployment, name: web}, minReplicas: -1, maxReplicas: 5",
            "spec.workloads[0].object.spec.minReplicas",
            "Invalid value: -1: must be greater than or equal to 1"
        ),
        (
            "scaleTargetRef: {kind: Deployment, name: web}, maxReplicas: 0", "spec.workloads[0].object.spec.maxReplicas",
            "Invalid value: 0: must be greater than 0"
        ),
        (
            "scaleTargetRef: {kind: Deployment, name: web}, minReplicas: 1", "spec.workloads[0].object.spec.maxReplicas",
            "Required value"
        ),
        ("maxReplicas: 3", "spec.workloads[0].object.spec.scaleTargetRef", "Required value"),
    ])
    func refused(_ spec: String, _ field: String, _ message: String) throws {
        let e = try #require(loadError(Self.hpa(spec)))
        #expect(e.description.contains(field) && e.description.contains(message), "\(e.description)")
    }

    @Test func validAutoscalerLoads() throws {
        _ = try ScenarioLoader.load(
            text: Self.hpa("scaleTargetRef: {kind: Deployment, name: web}, minReplicas: 1, maxReplicas: 5"),
            path: "/s.yaml")
    }
}

/// Jobs and CronJobs' job templates with counts the API server refuses (batch validateJobSpec:
/// ValidateNonnegativeField on each).
struct JobValidationTests {
    @Test(arguments: [
        (
            "{apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {backoffLimit: -1, template: {spec: {containers: [{name: c, image: i}], restartPolicy: Never}}}}",
            "spec.workloads[0].object.spec.backoffLimit"
        ),
        (
            "{apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {parallelism: -2, template: {spec: {containers: [{name: c, image: i}], restartPolicy: Never}}}}",
            "spec.workloads[0].object.spec.parallelism"
        ),
        (
            "{apiVersion: batch/v1, kind: CronJob, metadata: {name: c}, spec: {schedule: \"@daily\", jobTemplate: {spec: {activeDeadlineSeconds: -5, template: {spec: {containers: [{name: c, image: i}], restartPolicy: OnFailure}}}}}}",
            "spec.workloads[0].object.spec.jobTemplate.spec.activeDeadlineSeconds"
        ),
    ])
    func negativeCountsAreRefused(_ object: String, _ field: String) throws {
        let e = try #require(loadError(scenario(append: ["  workloads:", "    - object: \(object)"])))
        #expect(e.description.contains(field) && e.description.contains("must be greater than or equal to 0"), "\(e.description)")
    }

    /// The message users meet when a Job's template names no restartPolicy (defaulted to Always).
    @Test(arguments: [
        (
            "{apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {template: {spec: {containers: [{name: c, image: i}]}}}}",
            "spec.workloads[0].object.spec.template.spec.restartPolicy"
        ),
        (
            "{apiVersion: batch/v1, kind: CronJob, metadata: {name: c}, spec: {schedule: \"@daily\", jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: i}], restartPolicy: Always}}}}}}",
            "spec.workloads[0].object.spec.jobTemplate.spec.template.spec.restartPolicy"
        ),
    ])
    func podsThatRestartForEverAreRefused(_ object: String, _ field: String) throws {
        let e = try #require(loadError(scenario(append: ["  workloads:", "    - object: \(object)"])))
        #expect(
            e.description.contains(field)
                && e.description.contains("Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""),
            "\(e.description)")
    }

    @Test func validJobLoads() throws {
        let text = scenario(append: [
            "  workloads:",
            "    - object: {apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {completions: 3, parallelism: 1, backoffLimit: 0, template: {spec: {containers: [{name: c, image: i}], restartPolicy: Never}}}}",
        ])
        _ = try ScenarioLoader.load(text: text, path: "/s.yaml")
    }
}
