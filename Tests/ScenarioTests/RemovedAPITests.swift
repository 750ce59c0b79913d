import Foundation
import KubeModel
import Testing

@testable import Scenario

/// API versions the cluster no longer serves are refused for every kind, by the scenario's
/// Kubernetes version. Rows restate the "Removed APIs by release" sections of the upstream
/// Deprecated API Migration Guide (kubernetes.io/docs/reference/using-api/deprecation-guide).
@Suite struct RemovedAPITests {
    struct Row: Sendable, CustomStringConvertible {
        let apiVersion: String, kind: String, minor: Int, refused: Bool
        var description: String { "\(kind) \(apiVersion) on 1.\(minor)" }
    }

    static let rows: [Row] = [
        Row(apiVersion: "batch/v1beta1", kind: "CronJob", minor: 28, refused: true),
        Row(apiVersion: "batch/v1", kind: "CronJob", minor: 35, refused: false),
        Row(apiVersion: "policy/v1beta1", kind: "PodDisruptionBudget", minor: 28, refused: true),
        Row(apiVersion: "policy/v1beta1", kind: "PodSecurityPolicy", minor: 28, refused: true),
        Row(apiVersion: "autoscaling/v2beta1", kind: "HorizontalPodAutoscaler", minor: 28, refused: true),
        Row(apiVersion: "autoscaling/v2beta2", kind: "HorizontalPodAutoscaler", minor: 28, refused: true),
        Row(apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", minor: 33, refused: false),
        Row(apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", minor: 33, refused: false),
        Row(apiVersion: "extensions/v1beta1", kind: "Ingress", minor: 28, refused: true),
        Row(apiVersion: "networking.k8s.io/v1beta1", kind: "Ingress", minor: 28, refused: true),
        Row(apiVersion: "networking.k8s.io/v1", kind: "Ingress", minor: 28, refused: false),
        Row(apiVersion: "apps/v1beta2", kind: "StatefulSet", minor: 28, refused: true),
        Row(apiVersion: "rbac.authorization.k8s.io/v1beta1", kind: "ClusterRole", minor: 28, refused: true),
        Row(apiVersion: "apiextensions.k8s.io/v1beta1", kind: "CustomResourceDefinition", minor: 28, refused: true),
        Row(apiVersion: "storage.k8s.io/v1beta1", kind: "StorageClass", minor: 28, refused: true),
        Row(apiVersion: "storage.k8s.io/v1beta1", kind: "CSIStorageCapacity", minor: 28, refused: true),
        Row(apiVersion: "node.k8s.io/v1beta1", kind: "RuntimeClass", minor: 28, refused: true),
        Row(apiVersion: "discovery.k8s.io/v1beta1", kind: "EndpointSlice", minor: 28, refused: true),
        // Removed inside the supported range: served before, refused from the removal on.
        Row(apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", kind: "FlowSchema", minor: 28, refused: false),
        Row(apiVersion: "flowcontrol.apiserver.k8s.io/v1beta2", kind: "FlowSchema", minor: 29, refused: true),
        Row(apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", kind: "PriorityLevelConfiguration", minor: 31, refused: false),
        Row(apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", kind: "PriorityLevelConfiguration", minor: 32, refused: true),
        // A custom resource that happens to share a group-less kind name is not affected.
        Row(apiVersion: "example.com/v1beta1", kind: "CronJob", minor: 35, refused: false),
    ]

    @Test(arguments: rows) func manifestObject(_ row: Row) throws {
        // A served CronJob needs a schedule the API server accepts (CronJobScheduleValidationTests)
        // and a job template (decoded strictly), a served HorizontalPodAutoscaler a target and
        // bounds (AutoscalerValidationTests).
        let spec =
            row.kind == "CronJob"
            ? "spec: {schedule: \"@daily\", jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: i}], restartPolicy: OnFailure}}}}}\n"
            : row.kind == "HorizontalPodAutoscaler" ? "spec: {scaleTargetRef: {kind: Deployment, name: x}, maxReplicas: 3}\n" : ""
        let text = "apiVersion: \(row.apiVersion)\nkind: \(row.kind)\nmetadata: {name: x}\n" + spec
        do {
            let objects = try ManifestLoader.load(text: text, path: "/m/app.yaml", kubernetesMinor: row.minor)
            #expect(!row.refused, "loaded \(objects.count) object(s)")
        } catch let e as ScenarioError {
            #expect(row.refused, "\(e)")
            #expect(e.line == 1 && e.column == 13 && e.field == "apiVersion")
            #expect(e.message.contains("\(row.kind) \(row.apiVersion) is not served since Kubernetes 1."))
        }
    }

    @Test func refusedInsideAList() {
        let text = """
            apiVersion: v1
            kind: List
            items:
              - apiVersion: v1
                kind: ConfigMap
                metadata: {name: a}
              - apiVersion: batch/v1beta1
                kind: CronJob
                metadata: {name: b}
            """
        #expect(throws: ScenarioError.self) { try ManifestLoader.load(text: text, path: "/m/l.yaml", kubernetesMinor: 33) }
        do { _ = try ManifestLoader.load(text: text, path: "/m/l.yaml", kubernetesMinor: 33) } catch let e as ScenarioError {
            #expect(e.line == 7 && e.field == "items[1].apiVersion")
            #expect(e.description.contains("/m/l.yaml:7:") && e.message.contains("(the scenario runs 1.33): use batch/v1"))
        } catch { Issue.record("\(error)") }
    }

    /// The cluster's version comes from the scenario; an inline object is checked too.
    @Test func scenarioVersionDecides() throws {
        let text = try referenceScenarioText().replacingOccurrences(
            of: "  workloads:\n",
            with: """
                  workloads:
                    - object:
                        apiVersion: flowcontrol.apiserver.k8s.io/v1beta3
                        kind: FlowSchema
                        metadata: {name: f}

                """)
        let at133 = text.replacingOccurrences(of: #"kubernetesVersion: "1.33""#, with: #"kubernetesVersion: "1.31""#)
        #expect(text != at133)
        _ = try ScenarioLoader.load(text: at133, path: referenceScenarioPath)
        do {
            _ = try ScenarioLoader.load(text: text, path: referenceScenarioPath)
            Issue.record("FlowSchema v1beta3 should be refused on 1.33")
        } catch let e as ScenarioError {
            #expect(e.field == "spec.workloads[0].object.apiVersion")
            #expect(e.message.contains("not served since Kubernetes 1.32"))
        }
    }
}
