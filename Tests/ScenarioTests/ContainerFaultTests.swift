import Testing
@testable import Scenario
@testable import Simulation

/// crash-container and fail-probe in scenario files: targets, options and positioned errors.
struct ContainerFaultTests {
    func withFault(_ lines: [String], liveness: Bool = false) -> String {
        let probe = liveness ? ", livenessProbe: {httpGet: {path: /, port: 80}}" : ""
        return scenario(append: [
            "  workloads:",                                                                          // 15
            "    - object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: web}, spec: {selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i\(probe)}]}}}}",  // 16
            "  faults:",                                                                             // 17
            "    - at: 10m",                                                                         // 18
        ] + lines)
    }

    @Test func crashContainerLoads() throws {
        let s = try ScenarioLoader.load(text: withFault(["      action: crash-container", "      target: deployment/web",
                                                         "      options: {count: 3}"]), path: "/s.yaml")
        #expect(s.spec.faults[0].action == .crashContainer)
        #expect(s.spec.faults[0].target == .deployment(namespace: "default", name: "web"))
        #expect(s.spec.faults[0].count == 3)
    }

    @Test func failProbeLoads() throws {
        let s = try ScenarioLoader.load(text: withFault(["      action: fail-probe", "      target: deployment/web", "      for: 1m",
                                                         "      options: {probe: liveness}"], liveness: true), path: "/s.yaml")
        #expect(s.spec.faults[0].probe == .liveness)
        #expect(s.spec.faults[0].duration == .seconds(60))
    }

    @Test func failProbeNeedsAProbeTheTargetHas() {
        expectError(loadError(withFault(["      action: fail-probe", "      target: deployment/web", "      for: 1m",  // 19-21
                                         "      options: {probe: readiness}"])),                                            // 22
                    line: 20, column: 15, field: "spec.faults[0].target", contains: ["has no readinessProbe"])
        expectError(loadError(withFault(["      action: fail-probe", "      target: deployment/web", "      for: 1m"])),
                    line: 18, column: 7, field: "spec.faults[0].options", contains: ["options.probe"])
        expectError(loadError(withFault(["      action: fail-probe", "      target: deployment/web",
                                         "      options: {probe: liveness}"], liveness: true)),
                    line: 18, column: 7, field: "spec.faults[0]", contains: ["needs for:"])
        expectError(loadError(withFault(["      action: fail-probe", "      target: deployment/web", "      for: 1m",
                                         "      options: {probe: startup}"])),
                    line: 22, column: 24, field: "spec.faults[0].options.probe", contains: ["liveness or readiness"])
    }

    @Test func crashContainerTargets() {
        expectError(loadError(withFault(["      action: crash-container", "      target: node/agents-1"])),
                    line: 20, column: 15, field: "spec.faults[0].target", contains: ["crash-container does not take a node"])
        expectError(loadError(withFault(["      action: crash-container", "      target: deployment/web", "      options: {count: 0}"])),
                    line: 21, column: 24, field: "spec.faults[0].options.count", contains: ["must be between 1 and"])
    }
}
