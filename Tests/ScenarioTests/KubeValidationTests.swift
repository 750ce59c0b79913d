import Foundation
import KubeModel
import Testing

@testable import Scenario

/// The API server's validation of the objects k3sim models, with upstream's own test cases
/// restated as data where they exist (kubernetes pkg/apis/apps/validation/validation_test.go
/// TestValidateDeployment, pkg/apis/policy/validation/validation_test.go
/// TestValidateMinAvailablePodDisruptionBudgetSpec and its maxUnavailable twin).
@Suite struct KubeValidationTests {
    /// upstream's validDeployment(): name "abc", selector {name: abc}, RollingUpdate 1/1.
    static func deployment(
        meta: String = "{name: abc, namespace: default}", replicas: String = "1",
        selector: String = "{matchLabels: {name: abc}}", labels: String = "{name: abc}",
        strategy: String = "{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 1}}",
        podSpec: String = "containers: [{name: nginx, image: image}]", extra: String = ""
    ) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: \(meta)
        spec:
          replicas: \(replicas)
          selector: \(selector)
          strategy: \(strategy)\(extra)
          template:
            metadata: {labels: \(labels)}
            spec:
              \(podSpec)
        """
    }

    static func error(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> ScenarioError? {
        do {
            _ = try ManifestLoader.load(text: text, path: "/m/app.yaml")
            Issue.record("expected a ScenarioError", sourceLocation: sourceLocation)
        } catch let e as ScenarioError { return e } catch { Issue.record("\(error)", sourceLocation: sourceLocation) }
        return nil
    }

    @Test func upstreamValidDeploymentLoads() throws {
        #expect(try ManifestLoader.load(text: Self.deployment(), path: "/m/app.yaml").count == 1)
    }

    /// TestValidateDeployment's error cases that k3sim models (key: a fragment of the first
    /// error), with the field k3sim reports.
    @Test(
        arguments: [
            (deployment(meta: "{namespace: default}"), "metadata.name", "Required value"),
            (
                deployment(selector: "{matchLabels: {name: def}}"), "spec.template.metadata.labels",
                "`selector` does not match template `labels`"
            ),
            (
                deployment(podSpec: "restartPolicy: Never\n      containers: [{name: nginx, image: image}]"),
                "spec.template.spec.restartPolicy", "Unsupported value: \"Never\""
            ),
            (
                deployment(strategy: "{type: RollingUpdate, rollingUpdate: {maxSurge: 20Percent}}"),
                "spec.strategy.rollingUpdate.maxSurge",
                "must be an integer or a percentage"
            ),
            (
                deployment(strategy: "{type: RollingUpdate, rollingUpdate: {maxSurge: \"0%\", maxUnavailable: 0}}"),
                "spec.strategy.rollingUpdate.maxUnavailable", "may not be 0 when `maxSurge` is 0"
            ),
            (
                deployment(strategy: "{type: RollingUpdate, rollingUpdate: {maxUnavailable: \"110%\"}}"),
                "spec.strategy.rollingUpdate.maxUnavailable", "must not be greater than 100%"
            ),
            (
                deployment(strategy: "{type: Recreate, rollingUpdate: {maxSurge: 1}}"), "spec.strategy.rollingUpdate",
                "Forbidden: may not be specified when strategy `type` is 'Recreate'"
            ),
            (
                deployment(extra: "\n  minReadySeconds: 600\n  progressDeadlineSeconds: 600"), "spec.progressDeadlineSeconds",
                "must be greater than minReadySeconds"
            ),
            // The issue's cases beyond upstream's list.
            (deployment(replicas: "-1"), "spec.replicas", "Invalid value: -1: must be greater than or equal to 0"),
            (
                deployment(replicas: "2000000"), "spec.replicas",
                "Invalid value: 2000000: must be at most 1000000 (a limit of k3sim)"
            ),
            (deployment(selector: "{}"), "spec.selector", "empty selector is invalid for deployment"),
            (deployment(podSpec: "containers: [{name: nginx}]"), "spec.template.spec.containers[0].image", "Required value"),
            (
                deployment(podSpec: "containers: [{name: nginx, image: i, resources: {requests: {cpu: \"-1\"}}}]"),
                "spec.template.spec.containers[0].resources.requests.cpu", "must be greater than or equal to 0"
            ),
            (
                deployment(
                    podSpec: "containers: [{name: nginx, image: i, resources: {requests: {memory: 2Gi}, limits: {memory: 1Gi}}}]"),
                "spec.template.spec.containers[0].resources.requests.memory", "must be less than or equal to memory limit of 1Gi"
            ),
            (
                deployment(podSpec: "terminationGracePeriodSeconds: -5\n      containers: [{name: nginx, image: i}]"),
                "spec.template.spec.terminationGracePeriodSeconds", "must be greater than or equal to 0"
            ),
            (
                deployment(podSpec: "containers: [{name: nginx, image: i, readinessProbe: {periodSeconds: -1}}]"),
                "spec.template.spec.containers[0].readinessProbe.periodSeconds", "must be greater than or equal to 0"
            ),
            (
                deployment(podSpec: "containers: [{name: nginx, image: i, livenessProbe: {successThreshold: 2}}]"),
                "spec.template.spec.containers[0].livenessProbe.successThreshold", "must be 1"
            ),
            (
                deployment(
                    podSpec:
                        "containers: [{name: nginx, image: i}]\n      topologySpreadConstraints: [{maxSkew: 0, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]"
                ),
                "spec.template.spec.topologySpreadConstraints[0].maxSkew", "must be greater than zero"
            ),
            (
                deployment(
                    podSpec:
                        "containers: [{name: nginx, image: i}]\n      topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: Sometimes}]"
                ),
                "spec.template.spec.topologySpreadConstraints[0].whenUnsatisfiable",
                "Unsupported value: \"Sometimes\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\""
            ),
            (
                deployment(
                    podSpec:
                        "containers: [{name: nginx, image: i}]\n      affinity: {nodeAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 0, preference: {matchExpressions: [{key: a, operator: Exists}]}}]}}"
                ),
                "spec.template.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
                "must be in the range 1-100"
            ),
            (
                deployment(
                    podSpec:
                        "containers: [{name: nginx, image: i}]\n      affinity: {podAntiAffinity: {preferredDuringSchedulingIgnoredDuringExecution: [{weight: 1000, podAffinityTerm: {topologyKey: zone}}]}}"
                ),
                "spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight",
                "must be in the range 1-100"
            ),
            (
                deployment(
                    podSpec:
                        "containers: [{name: nginx, image: i}]\n      tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 5}]"
                ),
                "spec.template.spec.tolerations[0].effect", "effect must be 'NoExecute' when `tolerationSeconds` is set"
            ),
            // k3sim's bounds: period × successThreshold overflowed simulated time.
            (
                deployment(
                    podSpec:
                        "containers: [{name: nginx, image: i, readinessProbe: {periodSeconds: 31536000, successThreshold: 31536000}}]"
                ),
                "spec.template.spec.containers[0].readinessProbe.successThreshold", "must be at most 10000 (a limit of k3sim)"
            ),
            (
                deployment(podSpec: "containers: [{name: nginx, image: i, ports: [{containerPort: 0}]}]"),
                "spec.template.spec.containers[0].ports[0].containerPort",
                "Invalid value: 0: must be between 1 and 65535, inclusive"
            ),
            (
                deployment(podSpec: "containers: [{name: nginx, image: i, ports: [{containerPort: 80, hostPort: 70000}]}]"),
                "spec.template.spec.containers[0].ports[0].hostPort", "must be between 1 and 65535, inclusive"
            ),
            (
                deployment(podSpec: "containers: [{name: nginx, image: i, ports: [{containerPort: 80, protocol: HTTP}]}]"),
                "spec.template.spec.containers[0].ports[0].protocol",
                "Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\""
            ),
            (
                deployment(
                    podSpec:
                        "containers: [{name: nginx, image: i}]\n      topologySpreadConstraints: [{maxSkew: 4294967296, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]"
                ),
                "spec.template.spec.topologySpreadConstraints[0].maxSkew", "must be at most 2147483647 (an int32)"
            ),
        ] as [(String, String, String)])
    func deploymentErrors(text: String, field: String, fragment: String) {
        guard let e = Self.error(text) else { return }
        #expect(e.field == field, "\(e)")
        #expect(e.message.contains(fragment), "\(e)")
        #expect(e.line != nil, "\(e)")
    }

    static func pdb(_ spec: String) -> String {
        """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: p}
        spec: {selector: {matchLabels: {a: b}}, \(spec)}
        """
    }

    /// TestValidateMinAvailablePodDisruptionBudgetSpec (and the same values for maxUnavailable):
    /// success cases load, failure cases are refused ("1.1%" and "nope" already by decoding).
    @Test(arguments: ["minAvailable", "maxUnavailable"])
    func pdbValues(field: String) throws {
        for ok in ["\"0%\"", "\"1%\"", "\"100%\"", "0", "1", "100"] {
            #expect(try ManifestLoader.load(text: Self.pdb("\(field): \(ok)"), path: "/m/app.yaml").count == 1)
        }
        for bad in ["\"1.1%\"", "nope", "\"-1%\"", "\"101%\"", "-1"] {
            guard let e = Self.error(Self.pdb("\(field): \(bad)")) else { continue }
            #expect(e.field == "spec.\(field)", "\(e)")
        }
    }

    /// TestValidatePodDisruptionBudgetSpec: both set is invalid.
    @Test func pdbBothSet() {
        let e = Self.error(Self.pdb("minAvailable: \"0%\", maxUnavailable: \"10%\""))
        #expect(e?.field == "spec")
        #expect(e?.message.contains("minAvailable and maxUnavailable cannot be both set") == true)
    }

    @Test func statefulSetAndDaemonSet() {
        let sts = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              selector: {matchLabels: {app: db}}
              podManagementPolicy: Sometimes
              template: {metadata: {labels: {app: db}}, spec: {containers: [{name: c, image: i}]}}
            """
        let e = Self.error(sts)
        #expect(e?.field == "spec.podManagementPolicy")
        #expect(e?.message.contains("supported values: \"OrderedReady\", \"Parallel\"") == true)
        let ds = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: d}
            spec:
              selector: {matchLabels: {app: d}}
              updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 0}}
              template: {metadata: {labels: {app: other}}, spec: {containers: [{name: c, image: i}]}}
            """
        // The first error in upstream's order: the selector before the strategy.
        #expect(Self.error(ds)?.field == "spec.template.metadata.labels")
    }

    /// Storage quantities decoded to bytes are shown as quantities again.
    @Test func negativeStorageIsRefused() {
        let pvc = """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: -20Gi}}}
            """
        let e = Self.error(pvc)
        #expect(e?.field == "spec.resources.requests.storage")
        #expect(e?.message == "Invalid value: \"-20Gi\": must be greater than or equal to 0")
    }

    /// ValidatePriorityClass: user classes at most 10^9, "system-" names reserved.
    @Test(arguments: [
        ("{name: high}\nvalue: 1000000001", "value", "Forbidden: maximum allowed value of a user defined priority is 1000000000"),
        ("{name: system-mine}\nvalue: 5", "metadata.name", "Forbidden: priority class names with 'system-' prefix are reserved"),
        ("{name: p}\nvalue: 5\npreemptionPolicy: Sometimes", "preemptionPolicy", "Unsupported value: \"Sometimes\""),
    ])
    func priorityClasses(tail: String, field: String, fragment: String) {
        let e = Self.error("apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: " + tail + "\n")
        #expect(e?.field == field, "\(String(describing: e))")
        #expect(e?.message.contains(fragment) == true, "\(String(describing: e))")
    }

    @Test func namesAreDNS1123() {
        let e = Self.error(Self.deployment(meta: "{name: Web_1}"))
        #expect(e?.field == "metadata.name")
        #expect(e?.message.contains("a lowercase RFC 1123 subdomain") == true)
        #expect(CoreValidation.dns1123Subdomain("web-") == nil)  // a generateName prefix
        #expect(CoreValidation.dns1123Label("a.b") != nil)
        #expect(CoreValidation.dns1123Label(String(repeating: "a", count: 64)) == "must be no more than 63 characters")
    }

    /// An inline object is validated too, with the scenario's path in front.
    @Test func inlineObjectInScenario() {
        let text = scenario(append: [
            "  workloads:",
            "    - object: {apiVersion: apps/v1, kind: Deployment, metadata: {name: w}, spec: {replicas: -1, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}}}",
        ])
        let e = loadError(text)
        #expect(e?.field == "spec.workloads[0].object.spec.replicas")
        #expect(e?.line == 16)
    }

    @Test func schedulerProfiles() {
        let noQueueSort = scenario(append: [
            "  scheduler:",
            "    profiles:",
            "      - schedulerName: bin-packing",
            "        plugins: {queueSort: {disabled: [{name: \"*\"}]}}",
        ])
        let e = loadError(noQueueSort)
        #expect(e?.field == "spec.scheduler.profiles[0].plugins.queueSort")
        #expect(e?.message == "only one queue sort plugin required for profile with scheduler name \"bin-packing\", but got 0")
        let duplicate = scenario(append: [
            "  scheduler:",
            "    profiles:",
            "      - pluginConfig: [{name: NodeResourcesFit}, {name: NodeResourcesFit}]",
        ])
        let d = loadError(duplicate)
        #expect(d?.field == "spec.scheduler.profiles[0].pluginConfig[1]")
        #expect(d?.message == "Duplicate value: \"NodeResourcesFit\"")
        // v1 Plugin.Weight is an int32; a weight of 2^62 overflowed the score totals.
        let weight = scenario(append: [
            "  scheduler:",
            "    profiles:",
            "      - plugins: {score: {enabled: [{name: NodeResourcesFit, weight: 4611686018427387904}]}}",
        ])
        let w = loadError(weight)
        #expect(w?.field == "spec.scheduler.profiles[0].plugins.score.enabled[0].weight")
        #expect(w?.message == "Invalid value: 4611686018427387904: must be at most 2147483647 (an int32)")
    }
}
