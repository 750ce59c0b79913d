import Foundation
import Testing

@testable import KubeModel

/// Strict decoding of whole manifests (`kubectl apply --validate=strict`): every field of
/// the real API is accepted, an unknown one fails with its path; API defaults are applied.
@Suite struct ManifestDecodingTests {
    /// A Deployment as `kubectl get deploy web -o json` prints it: server-set metadata,
    /// status, and most PodSpec features.
    static let fullDeployment = #"""
        {
          "apiVersion": "apps/v1",
          "kind": "Deployment",
          "metadata": {
            "name": "web",
            "namespace": "shop",
            "uid": "0b8a2f7e-4c1d-4f35-9d0e-6f3b2a1c9d10",
            "resourceVersion": "123456",
            "generation": 4,
            "creationTimestamp": "2024-05-01T10:00:00Z",
            "labels": {"app": "web", "app.kubernetes.io/part-of": "shop"},
            "annotations": {"deployment.kubernetes.io/revision": "4"},
            "managedFields": [{"manager": "kubectl", "operation": "Update", "apiVersion": "apps/v1"}]
          },
          "spec": {
            "replicas": 6,
            "revisionHistoryLimit": 5,
            "progressDeadlineSeconds": 300,
            "minReadySeconds": 10,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 2, "maxUnavailable": "10%"}},
            "template": {
              "metadata": {
                "creationTimestamp": null,
                "labels": {"app": "web", "version": "v4"},
                "annotations": {"prometheus.io/scrape": "true"}
              },
              "spec": {
                "serviceAccountName": "web",
                "automountServiceAccountToken": false,
                "dnsPolicy": "ClusterFirst",
                "enableServiceLinks": false,
                "priorityClassName": "high",
                "schedulerName": "default-scheduler",
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 45,
                "securityContext": {"runAsNonRoot": true, "runAsUser": 10001, "fsGroup": 2000,
                                    "seccompProfile": {"type": "RuntimeDefault"}},
                "imagePullSecrets": [{"name": "registry"}],
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "tolerations": [
                  {"key": "dedicated", "operator": "Equal", "value": "web", "effect": "NoSchedule"},
                  {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                   "tolerationSeconds": 60}
                ],
                "affinity": {
                  "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "node.kubernetes.io/instance-type", "operator": "NotIn",
                                           "values": ["t3.micro"]}]}]}},
                  "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 100, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "web"}},
                                                        "topologyKey": "kubernetes.io/hostname"}}]}
                },
                "topologySpreadConstraints": [
                  {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway",
                   "labelSelector": {"matchLabels": {"app": "web"}}, "matchLabelKeys": ["pod-template-hash"]}
                ],
                "volumes": [
                  {"name": "config", "configMap": {"name": "web-config", "defaultMode": 420}},
                  {"name": "tmp", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}},
                  {"name": "certs", "secret": {"secretName": "web-tls"}}
                ],
                "initContainers": [
                  {"name": "migrate", "image": "registry.example.com/web:4.2.0",
                   "command": ["/bin/migrate"], "args": ["--up"],
                   "env": [{"name": "DB_URL", "valueFrom": {"secretKeyRef": {"name": "db", "key": "url"}}}],
                   "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}}},
                  {"name": "log-shipper", "image": "fluent/fluent-bit:3.0", "restartPolicy": "Always",
                   "resources": {"requests": {"cpu": "50m", "memory": "32Mi"}},
                   "volumeMounts": [{"name": "tmp", "mountPath": "/var/log/app"}]}
                ],
                "containers": [
                  {
                    "name": "web",
                    "image": "registry.example.com/web:4.2.0",
                    "imagePullPolicy": "IfNotPresent",
                    "command": ["/app/server"],
                    "args": ["--port=8080"],
                    "workingDir": "/app",
                    "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"},
                              {"name": "metrics", "containerPort": 9090}],
                    "env": [{"name": "GOMAXPROCS", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
                            {"name": "LOG_LEVEL", "value": "info"}],
                    "envFrom": [{"configMapRef": {"name": "web-env"}}],
                    "resources": {"requests": {"cpu": "500m", "memory": "256Mi"},
                                  "limits": {"cpu": "2", "memory": "512Mi", "ephemeral-storage": "1Gi"}},
                    "volumeMounts": [{"name": "config", "mountPath": "/etc/web", "readOnly": true},
                                     {"name": "tmp", "mountPath": "/tmp"}],
                    "securityContext": {"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
                                        "capabilities": {"drop": ["ALL"]}},
                    "startupProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "failureThreshold": 30,
                                     "periodSeconds": 2},
                    "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080, "scheme": "HTTP"},
                                       "initialDelaySeconds": 5, "periodSeconds": 5, "timeoutSeconds": 2,
                                       "successThreshold": 2, "failureThreshold": 4},
                    "livenessProbe": {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 15},
                    "lifecycle": {"preStop": {"exec": {"command": ["sleep", "5"]}}},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File"
                  }
                ]
              }
            }
          },
          "status": {
            "observedGeneration": 4,
            "replicas": 6,
            "updatedReplicas": 6,
            "readyReplicas": 6,
            "availableReplicas": 6,
            "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"}]
          }
        }
        """#

    static func decode<T: Decodable>(_ json: String, as type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    static func deployment(_ object: KubeObject) throws -> Deployment {
        guard case .deployment(let d) = object else { throw Unexpected(what: "not a Deployment: \(object.kind)") }
        return d
    }

    struct Unexpected: Error { let what: String }

    @Test func decodesARealisticDeployment() throws {
        let object: KubeObject = try Self.decode(Self.fullDeployment)
        #expect(object.kind == "Deployment")
        let d = try Self.deployment(object)
        #expect(d.metadata.key == "shop/web")
        #expect(d.metadata.labels["app.kubernetes.io/part-of"] == "shop")
        #expect(d.replicas == 6)
        #expect(d.revisionHistoryLimit == 5)
        #expect(d.progressDeadlineSeconds == 300)
        #expect(d.minReadySeconds == 10)
        #expect(!d.paused)
        var written = DeploymentStrategy(type: .RollingUpdate, maxSurge: .int(2), maxUnavailable: .string("10%"))
        written.rollingUpdateGiven = true
        #expect(d.strategy == written)
        #expect(d.selector.matches(d.template.metadata.labels))

        let spec = d.template.spec
        #expect(spec.terminationGracePeriodSeconds == 45)
        #expect(spec.priorityClassName == "high")
        #expect(spec.nodeSelector == ["kubernetes.io/os": "linux"])
        #expect(spec.tolerations.count == 2)
        #expect(spec.tolerations[1].tolerationSeconds == 60)
        #expect(spec.affinity?.nodeAffinity?.required?.nodeSelectorTerms.count == 1)
        #expect(spec.affinity?.podAntiAffinity?.preferred.first?.podAffinityTerm.topologyKey == "kubernetes.io/hostname")
        #expect(spec.topologySpreadConstraints.first?.matchLabelKeys == ["pod-template-hash"])
        #expect(spec.initContainers.map(\.name) == ["migrate", "log-shipper"])
        #expect(
            spec.images == [
                "registry.example.com/web:4.2.0", "fluent/fluent-bit:3.0",
                "registry.example.com/web:4.2.0",
            ])

        let web = spec.containers[0]
        #expect(web.ports.map(\.containerPort) == [8080, 9090])
        #expect(web.ports[1].protocol == "TCP")  // defaulted
        #expect(web.resources.requests["cpu"]?.milliValue == 500)
        // ephemeral-storage has a limit only: the request defaults to it.
        #expect(web.resources.requests["ephemeral-storage"]?.value == 1_073_741_824)
        #expect(
            web.readinessProbe
                == Probe(
                    initialDelaySeconds: 5, periodSeconds: 5, timeoutSeconds: 2,
                    successThreshold: 2, failureThreshold: 4))
        #expect(web.startupProbe?.failureThreshold == 30 && web.startupProbe?.periodSeconds == 2)
        #expect(web.livenessProbe == Probe(initialDelaySeconds: 15))
        #expect(spec.readinessProbe == web.readinessProbe)

        // PodRequests: app 500m/256Mi + sidecar 50m/32Mi = 550m/288Mi; init migrate (after
        // no sidecar) 100m/64Mi → 550m, 288Mi; ephemeral storage 1Gi.
        #expect(
            spec.effectiveRequests
                == Resources(
                    milliCPU: 550, memoryBytes: 288 * 1_048_576,
                    ephemeralStorageBytes: 1_073_741_824))
    }

    @Test func appliesAPIDefaults() throws {
        let json = #"""
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "tiny"},
             "spec": {"selector": {"matchLabels": {"app": "tiny"}},
                      "template": {"metadata": {"labels": {"app": "tiny"}},
                                   "spec": {"containers": [{"name": "c", "image": "pause",
                                                            "ports": [{"containerPort": 80}],
                                                            "readinessProbe": {"httpGet": {"path": "/", "port": 80}},
                                                            "resources": {"limits": {"cpu": "1", "memory": "1Gi"}}}]}}}}
            """#
        let d = try Self.deployment(try Self.decode(json))
        // apps/v1 SetDefaults_Deployment.
        #expect(d.replicas == 1)
        #expect(d.strategy.type == .RollingUpdate)
        #expect(d.strategy.maxSurge == .string("25%"))
        #expect(d.strategy.maxUnavailable == .string("25%"))
        #expect(d.revisionHistoryLimit == 10)
        #expect(d.progressDeadlineSeconds == 600)
        #expect(d.minReadySeconds == 0)
        #expect(!d.paused)
        // kubectl's namespace.
        #expect(d.metadata.namespace == "default")
        // core/v1 SetDefaults_PodSpec / SetDefaults_Probe / SetDefaults_ContainerPort.
        let spec = d.template.spec
        #expect(spec.terminationGracePeriodSeconds == 30)
        #expect(spec.schedulerName == "default-scheduler")
        #expect(spec.restartPolicy == "Always")
        #expect(!spec.hostNetwork)
        let probe = try #require(spec.containers[0].readinessProbe)
        #expect(probe.periodSeconds == 10)
        #expect(probe.timeoutSeconds == 1)
        #expect(probe.successThreshold == 1)
        #expect(probe.failureThreshold == 3)
        #expect(probe.initialDelaySeconds == 0)
        #expect(spec.containers[0].ports[0].protocol == "TCP")
        // SetDefaults_Pod: requests default to limits.
        #expect(spec.containers[0].resources.requests["cpu"]?.milliValue == 1_000)
        #expect(spec.containers[0].resources.requests["memory"]?.value == 1_073_741_824)
    }

    @Test func partialRollingUpdateKeepsTheOtherDefault() throws {
        let json = #"""
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
             "spec": {"selector": {}, "strategy": {"rollingUpdate": {"maxSurge": 0}},
                      "template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}}
            """#
        let d = try Self.deployment(try Self.decode(json))
        #expect(d.strategy.type == .RollingUpdate)  // type defaults too
        #expect(d.strategy.maxSurge == .int(0))
        #expect(d.strategy.maxUnavailable == .string("25%"))
        let recreate = try Self.deployment(
            try Self.decode(
                json.replacingOccurrences(
                    of: #""strategy": {"rollingUpdate": {"maxSurge": 0}}"#, with: #""strategy": {"type": "Recreate"}"#)))
        #expect(recreate.strategy.type == .Recreate)
    }

    @Test func explicitNullIsAbsent() throws {
        let json = #"""
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x", "labels": null},
             "spec": {"replicas": null, "selector": {}, "strategy": null,
                      "template": {"spec": {"containers": [{"name": "c", "image": "i", "resources": null}]}}}}
            """#
        let d = try Self.deployment(try Self.decode(json))
        #expect(d.replicas == 1)
        #expect(d.metadata.labels.isEmpty)
        #expect(d.strategy == DeploymentStrategy())
    }

    // MARK: - Misspelt fields

    /// A path step in the JSON tree.
    enum Step { case key(String), index(Int) }

    /// Renames the last key of `path` to `newName` inside the JSON object.
    static func renaming(_ path: [Step], to newName: String, in json: String) throws -> String {
        let root = try JSONSerialization.jsonObject(with: Data(json.utf8))
        func edit(_ node: Any, _ rest: ArraySlice<Step>) throws -> Any {
            guard let step = rest.first else { return node }
            switch step {
            case .key(let k):
                guard var dict = node as? [String: Any], let child = dict[k] else {
                    throw Unexpected(what: "no key \(k)")
                }
                if rest.count == 1 {
                    dict[k] = nil
                    dict[newName] = child
                } else {
                    dict[k] = try edit(child, rest.dropFirst())
                }
                return dict
            case .index(let i):
                guard var array = node as? [Any], i < array.count else { throw Unexpected(what: "no index \(i)") }
                array[i] = try edit(array[i], rest.dropFirst())
                return array
            }
        }
        let edited = try edit(root, path[...])
        return String(decoding: try JSONSerialization.data(withJSONObject: edited), as: UTF8.self)
    }

    /// A coding path as text: keys by name, array elements by index.
    static func text(_ path: [CodingKey]) -> [String] {
        path.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
    }

    struct Typo: CustomTestStringConvertible, Sendable {
        let path: [String]  // where the correct key is ("[0]" for an array index)
        let typo: String
        let suggestion: String?
        var testDescription: String { (path.dropLast() + [typo]).joined(separator: ".") }
        var steps: [Step] {
            path.map { p in
                p.hasPrefix("[") ? .index(Int(p.dropFirst().dropLast())!) : .key(p)
            }
        }
    }

    static let typos: [Typo] = [
        .init(path: ["metadata", "labels"], typo: "lables", suggestion: "labels"),
        .init(path: ["metadata"], typo: "metdata", suggestion: "metadata"),
        .init(path: ["spec", "replicas"], typo: "replicass", suggestion: "replicas"),
        .init(path: ["spec", "replicas"], typo: "replica", suggestion: "replicas"),
        .init(path: ["spec", "replicas"], typo: "Replicas", suggestion: "replicas"),  // case matters
        .init(path: ["spec", "selector", "matchLabels"], typo: "matchLabel", suggestion: "matchLabels"),
        .init(path: ["spec", "strategy", "rollingUpdate", "maxSurge"], typo: "maxSurg", suggestion: "maxSurge"),
        .init(path: ["spec", "strategy", "rollingUpdate"], typo: "rollingupdate", suggestion: "rollingUpdate"),
        .init(path: ["spec", "template", "metadata", "labels"], typo: "label", suggestion: "labels"),
        .init(
            path: ["spec", "template", "spec", "containers", "[0]", "resources"], typo: "resorces",
            suggestion: "resources"),
        .init(
            path: ["spec", "template", "spec", "containers", "[0]", "resources", "requests"], typo: "request",
            suggestion: "requests"),
        .init(
            path: ["spec", "template", "spec", "containers", "[0]", "readinessProbe", "periodSeconds"],
            typo: "periodSecond", suggestion: "periodSeconds"),
        .init(
            path: ["spec", "template", "spec", "containers", "[0]", "ports", "[1]", "containerPort"],
            typo: "containerport", suggestion: "containerPort"),
        .init(
            path: ["spec", "template", "spec", "initContainers", "[1]", "restartPolicy"],
            typo: "restartPolcy", suggestion: "restartPolicy"),
        .init(
            path: ["spec", "template", "spec", "tolerations", "[1]", "tolerationSeconds"],
            typo: "tolerationSecond", suggestion: "tolerationSeconds"),
        .init(
            path: [
                "spec", "template", "spec", "affinity", "nodeAffinity",
                "requiredDuringSchedulingIgnoredDuringExecution", "nodeSelectorTerms", "[0]", "matchExpressions",
            ],
            typo: "matchExpression", suggestion: "matchExpressions"),
        .init(
            path: ["spec", "template", "spec", "topologySpreadConstraints", "[0]", "maxSkew"],
            typo: "maxskew", suggestion: "maxSkew"),
        .init(path: ["spec", "template", "spec", "nodeSelector"], typo: "nodeSelecter", suggestion: "nodeSelector"),
        .init(
            path: ["spec", "template", "spec", "terminationGracePeriodSeconds"],
            typo: "terminationGracePeriod", suggestion: nil),  // 7 edits away: no suggestion
        .init(path: ["spec", "progressDeadlineSeconds"], typo: "deadline", suggestion: nil),
    ]

    @Test(arguments: typos)
    func misspeltFieldFailsWithItsPath(_ t: Typo) throws {
        let json = try Self.renaming(t.steps, to: t.typo, in: Self.fullDeployment)
        do {
            _ = try Self.decode(json, as: KubeObject.self)
            Issue.record("decoded despite \(t.typo)")
        } catch let e as UnknownFieldError {
            #expect(Self.text(e.codingPath) == Array(t.path.dropLast()) + [t.typo])
            #expect(e.field == t.typo)
            #expect(e.suggestion == t.suggestion)
            if let s = t.suggestion { #expect(e.description.contains("did you mean \"\(s)\"")) }
        }
    }

    /// Fields that belong to the real API but are not modelled are accepted silently,
    /// at any depth; unknown fields inside them are not checked.
    @Test func ignoredFieldsAreAccepted() throws {
        let json = #"""
            {"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "p", "ownerReferences": [{"kind": "ReplicaSet", "name": "rs"}], "finalizers": ["x"]},
             "spec": {"hostPID": false, "os": {"name": "linux"}, "runtimeClassName": "kata",
                      "volumes": [{"name": "v", "configMap": {"name": "cfg", "anything": {"goes": "here"}}}],
                      "containers": [{"name": "c", "image": "i", "tty": true, "stdin": false,
                                      "resources": {"claims": [{"name": "gpu"}]},
                                      "ports": [{"containerPort": 53, "protocol": "UDP", "hostIP": "0.0.0.0", "hostPort": 53}]}]},
             "status": {"phase": "Running"}}
            """#
        guard case .pod(let p) = try Self.decode(json, as: KubeObject.self) else {
            Issue.record("not a pod"); return
        }
        #expect(p.spec.containers[0].ports[0].hostPort == 53)
        #expect(p.spec.containers[0].ports[0].protocol == "UDP")
    }

    // MARK: - KubeObject dispatch

    @Test(arguments: [
        (
            #"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "b"}}"#,
            "v1", "ConfigMap", "cfg"
        ),
        (
            #"{"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": {"name": "widgets.example.com"}, "spec": {"group": "example.com"}}"#,
            "apiextensions.k8s.io/v1", "CustomResourceDefinition", "widgets.example.com"
        ),
        (
            #"{"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": {"name": "web"}, "spec": {"whatever": 1}}"#,
            "monitoring.coreos.com/v1", "ServiceMonitor", "web"
        ),
        (
            #"{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"}}"#,
            "autoscaling/v2", "HorizontalPodAutoscaler", "web"
        ),
        // A custom resource that happens to be called Deployment is not an apps/v1 Deployment.
        (
            #"{"apiVersion": "example.com/v1", "kind": "Deployment", "metadata": {"name": "mine"}, "spec": {"x": 1}}"#,
            "example.com/v1", "Deployment", "mine"
        ),
        (#"{"apiVersion": "v1", "kind": "Namespace"}"#, "v1", "Namespace", ""),
    ])
    func unmodelledKindsAreKeptAsOther(json: String, apiVersion: String, kind: String, name: String) throws {
        let o: KubeObject = try Self.decode(json)
        guard case .other(let u) = o else { Issue.record("expected .other, got \(o.kind)"); return }
        #expect(u.apiVersion == apiVersion && u.kind == kind && u.name == name)
        #expect(o.kind == kind)
    }

    @Test(arguments: ["extensions/v1beta1", "apps/v1beta1", "apps/v1beta2"])
    func removedAPIVersionsAreErrors(apiVersion: String) {
        let json = Self.fullDeployment.replacingOccurrences(
            of: #""apiVersion": "apps/v1""#,
            with: #""apiVersion": "\#(apiVersion)""#)
        do {
            _ = try Self.decode(json, as: KubeObject.self)
            Issue.record("\(apiVersion) Deployment decoded")
        } catch DecodingError.dataCorrupted(let ctx) {
            #expect(Self.text(ctx.codingPath) == ["apiVersion"])
            #expect(ctx.debugDescription.contains("apps/v1"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func policyV1beta1PodDisruptionBudgetIsAnError() {
        let json = #"{"apiVersion": "policy/v1beta1", "kind": "PodDisruptionBudget", "metadata": {"name": "p"}, "spec": {}}"#
        #expect(throws: DecodingError.self) { try Self.decode(json, as: KubeObject.self) }
    }

    @Test func apiVersionAndKindAreRequired() {
        #expect(throws: DecodingError.self) {
            try Self.decode(#"{"kind": "Deployment", "metadata": {"name": "x"}}"#, as: KubeObject.self)
        }
        #expect(throws: DecodingError.self) {
            try Self.decode(#"{"apiVersion": "apps/v1", "metadata": {"name": "x"}}"#, as: KubeObject.self)
        }
    }

    @Test func decodesOtherModelledKindsWithDefaults() throws {
        let json = #"""
            [
             {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent", "namespace": "kube-system"},
              "spec": {"selector": {"matchLabels": {"app": "agent"}}, "updateStrategy": {"type": "RollingUpdate"},
                       "template": {"metadata": {"labels": {"app": "agent"}},
                                    "spec": {"containers": [{"name": "a", "image": "agent:1"}]}}}},
             {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "db"},
              "spec": {"serviceName": "db", "selector": {"matchLabels": {"app": "db"}},
                       "volumeClaimTemplates": [{"metadata": {"name": "data"}}],
                       "template": {"metadata": {"labels": {"app": "db"}},
                                    "spec": {"containers": [{"name": "db", "image": "postgres:16"}]}}}},
             {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "rs"},
              "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "rs"}},
                       "template": {"metadata": {"labels": {"app": "rs"}},
                                    "spec": {"containers": [{"name": "c", "image": "i"}]}}}},
             {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "pdb"},
              "spec": {"minAvailable": "50%", "selector": {"matchLabels": {"app": "db"}}}},
             {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": "high"},
              "value": 1000, "description": "important"},
             {"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "job-"},
              "spec": {"containers": [{"name": "c", "image": "i"}], "nodeName": "node-1"}}
            ]
            """#
        let objects: [KubeObject] = try Self.decode(json)
        #expect(
            objects.map(\.kind) == [
                "DaemonSet", "StatefulSet", "ReplicaSet", "PodDisruptionBudget",
                "PriorityClass", "Pod",
            ])
        guard case .daemonSet(let ds) = objects[0], case .statefulSet(let sts) = objects[1],
            case .replicaSet(let rs) = objects[2], case .podDisruptionBudget(let pdb) = objects[3],
            case .priorityClass(let pc) = objects[4], case .pod(let pod) = objects[5]
        else { Issue.record("wrong kinds"); return }
        // apps/v1 SetDefaults_DaemonSet: RollingUpdate with maxUnavailable 1, maxSurge 0.
        #expect(ds.maxUnavailable == .int(1) && ds.maxSurge == .int(0))
        #expect(ds.metadata.key == "kube-system/agent")
        // SetDefaults_StatefulSet: replicas 1, podManagementPolicy OrderedReady.
        #expect(sts.replicas == 1 && sts.podManagementPolicy == "OrderedReady" && sts.serviceName == "db")
        #expect(rs.replicas == 3 && rs.minReadySeconds == 0)
        // policy/v1 default unhealthyPodEvictionPolicy is IfHealthyBudget (when unset).
        #expect(pdb.minAvailable == .string("50%") && pdb.maxUnavailable == nil)
        #expect(pdb.unhealthyPodEvictionPolicy == "IfHealthyBudget")
        #expect(pc.value == 1000 && !pc.globalDefault && pc.preemptionPolicy == "PreemptLowerPriority")
        #expect(pc.metadata.name == "high")
        #expect(pod.metadata.name == "job-" && pod.spec.nodeName == "node-1")
    }

    @Test func builtInPriorityClasses() {
        // k8s.io/api/scheduling/v1: SystemCriticalPriority = 2·10^9; node-critical is +1000.
        #expect(PriorityClass.systemClusterCritical.value == 2_000_000_000)
        #expect(PriorityClass.systemNodeCritical.value == 2_000_001_000)
    }

    @Test func wrongTypesAreErrors() {
        let replicasAsText = Self.fullDeployment.replacingOccurrences(of: #""replicas": 6,"#, with: #""replicas": "six","#)
        #expect(throws: DecodingError.self) { try Self.decode(replicasAsText, as: KubeObject.self) }
        let badStrategy = Self.fullDeployment.replacingOccurrences(
            of: #""type": "RollingUpdate""#,
            with: #""type": "BlueGreen""#)
        #expect(throws: DecodingError.self) { try Self.decode(badStrategy, as: KubeObject.self) }
        let badQuantity = Self.fullDeployment.replacingOccurrences(of: #""cpu": "500m""#, with: #""cpu": "500 m""#)
        #expect(throws: DecodingError.self) { try Self.decode(badQuantity, as: KubeObject.self) }
        let noContainers = #"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}"#
        #expect(throws: DecodingError.self) { try Self.decode(noContainers, as: KubeObject.self) }
    }
}
