import Foundation
import KubeModel
import Simulation
import Testing

@testable import Scenario

/// Admission as the API server does it: LimitRanger's defaults, the RuntimeClass overhead,
/// the Priority plugin's refusal of an unknown class, and scheduling gates that keep a pod
/// Pending.
@Suite struct AdmissionTests {
    /// `SetDefaults_LimitRangeItem` (pkg/apis/core/v1/defaults.go) then LimitRanger's merge,
    /// as data: the LimitRange's Container item, the container's own resources, and the
    /// requests and limits the admitted container has.
    struct Row: Sendable, CustomStringConvertible {
        let item: String, container: String
        let requests: [String: String], limits: [String: String]
        var description: String { "\(item) on \(container)" }
    }

    static let rows: [Row] = [
        // kube-state-metrics' LimitRange: default memory limit, default request 1Mi.
        Row(
            item: "{type: Container, default: {memory: 1000Mi}, defaultRequest: {memory: 1Mi}}", container: "{}",
            requests: ["memory": "1Mi"], limits: ["memory": "1000Mi"]),
        // A default limit without a default request: the request defaults to the limit.
        Row(item: "{type: Container, default: {cpu: 500m}}", container: "{}", requests: ["cpu": "500m"], limits: ["cpu": "500m"]),
        // Only a max: the default limit is the max, and so is the default request.
        Row(
            item: "{type: Container, max: {memory: 1Gi}}", container: "{}", requests: ["memory": "1Gi"], limits: ["memory": "1Gi"]
        ),
        // Only a min: a default request, no default limit.
        Row(item: "{type: Container, min: {cpu: 100m}}", container: "{}", requests: ["cpu": "100m"], limits: [:]),
        // The container's own values stay; a limit it sets is its request too (API defaulting).
        Row(
            item: "{type: Container, default: {cpu: 500m, memory: 256Mi}, defaultRequest: {cpu: 50m}}",
            container: "{limits: {cpu: \"1\"}}", requests: ["cpu": "1", "memory": "256Mi"],
            limits: ["cpu": "1", "memory": "256Mi"]),
        // Items of other types give containers nothing.
        Row(item: "{type: Pod, max: {cpu: \"2\"}}", container: "{}", requests: [:], limits: [:]),
    ]

    static func deployment(name: String = "web", namespace: String = "shop", spec extra: String = "", resources: String = "{}")
        -> [String]
    {
        [
            "    - object:",
            "        apiVersion: apps/v1",
            "        kind: Deployment",
            "        metadata: {name: \(name), namespace: \(namespace)}",
            "        spec:",
            "          replicas: 2",
            "          selector: {matchLabels: {app: \(name)}}",
            "          template:",
            "            metadata: {labels: {app: \(name)}}",
            "            spec: {\(extra)containers: [{name: c, image: nginx, resources: \(resources)}]}",
        ]
    }

    static func load(_ workloads: [String]) throws -> LoadedScenario {
        try ScenarioLoader.load(
            text: scenario(replacing: [6: "  duration: 5m"], append: ["  workloads:"] + workloads), path: "/s/a.yaml")
    }

    @Test(arguments: rows) func limitRangeDefaults(_ row: Row) throws {
        let range = [
            "    - object:",
            "        apiVersion: v1",
            "        kind: LimitRange",
            "        metadata: {name: limits, namespace: shop}",
            "        spec: {limits: [\(row.item)]}",
        ]
        let loaded = try Self.load(
            range + Self.deployment(resources: row.container) + Self.deployment(name: "other", namespace: "elsewhere"))
        let web = try #require(loaded.spec.workloads.deployments.first { $0.metadata.name == "web" })
        let r = web.template.spec.containers[0].resources
        let requests = try row.requests.mapValues { try Quantity(parsing: $0) },
            limits = try row.limits.mapValues { try Quantity(parsing: $0) }
        #expect(r.requests == requests)
        #expect(r.limits == limits)
        // Another namespace's pods are not touched.
        let other = try #require(loaded.spec.workloads.deployments.first { $0.metadata.name == "other" })
        #expect(other.template.spec.containers[0].resources.requests.isEmpty)
    }

    @Test func runtimeClassOverheadIsAdded() throws {
        let kata = [
            "    - object:",
            "        apiVersion: node.k8s.io/v1",
            "        kind: RuntimeClass",
            "        metadata: {name: kata}",
            "        handler: kata",
            "        overhead: {podFixed: {cpu: 250m, memory: 120Mi}}",
            "        scheduling: {nodeSelector: {runtime: kata}}",
        ]
        let loaded = try Self.load(kata + Self.deployment(spec: "runtimeClassName: kata, ", resources: "{requests: {cpu: 100m}}"))
        let spec = try #require(loaded.spec.workloads.deployments.first { $0.metadata.name == "web" }).template.spec
        #expect(spec.effectiveRequests.milliCPU == 350)
        #expect(spec.effectiveRequests.memoryBytes == 120 << 20)
        #expect(spec.nodeSelector["runtime"] == "kata")
        // Without the RuntimeClass the API server refuses the pods.
        let missing = try Self.load(Self.deployment(spec: "runtimeClassName: gvisor, "))
        let r = ClusterSimulation(spec: missing.spec).run()
        #expect(r.workloads.first { $0.name == "shop/web" }?.minReadyReplicas == 0)
        let refusals = r.notes.filter { $0.contains("FailedCreate on ReplicaSet shop/web-") }
        #expect(
            refusals.count == 1
                && refusals.first?.hasSuffix("-\" is forbidden: pod rejected: RuntimeClass \"gvisor\" not found") == true,
            "\(r.notes)")
    }

    @Test func unknownPriorityClassIsRefused() throws {
        let loaded = try Self.load(Self.deployment(spec: "priorityClassName: high, "))
        let r = ClusterSimulation(spec: loaded.spec).run()
        let web = try #require(r.workloads.first { $0.name == "shop/web" })
        #expect(web.availability == 0 && web.desiredReplicas == 2)
        #expect(r.pendingPodsAtEnd == 0, "no pod was created")
        let refusals = r.notes.filter { $0.contains("FailedCreate on ReplicaSet shop/web-") }
        #expect(refusals.count == 1, "\(r.notes)")
        #expect(refusals.first?.hasSuffix("-\" is forbidden: no PriorityClass with name high was found") == true)
        #expect(refusals.first?.contains(": Error creating: pods \"web-") == true)
    }

    @Test func schedulingGatesKeepThePodPending() throws {
        let loaded = try Self.load(Self.deployment(spec: "schedulingGates: [{name: example.com/quota}], "))
        let r = ClusterSimulation(spec: loaded.spec).run()
        #expect(r.pendingPodsAtEnd == 2)
        let pending = r.notes.filter { $0.hasPrefix("Pending at the end: shop/web-") }
        #expect(pending.count == 2)
        #expect(
            pending.allSatisfy {
                $0.hasSuffix(
                    ": SchedulingGated: Scheduling is blocked due to non-empty scheduling gates (waiting for scheduling gates: [example.com/quota])"
                )
            })
    }
}

/// The ResourceQuota admission plugin: pods beyond the namespace's quota are refused with the
/// API server's message, and the owner's FailedCreate is in the notes.
@Suite struct ResourceQuotaTests {
    static func quota(_ hard: String, scope: String = "") -> [String] {
        [
            "    - object:",
            "        apiVersion: v1",
            "        kind: ResourceQuota",
            "        metadata: {name: compute, namespace: shop}",
            "        spec: {hard: \(hard)\(scope)}",
        ]
    }

    /// `CheckRequest` as data: (hard, the Deployment's container resources, pods created of
    /// 2, the refusal's text after "forbidden: ").
    @Test(arguments: [
        ("{pods: \"1\"}", "{}", 1, "exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1"),
        (
            "{requests.cpu: 300m}", "{requests: {cpu: 200m}}", 1,
            "exceeded quota: compute, requested: requests.cpu=200m, used: requests.cpu=200m, limited: requests.cpu=300m"
        ),
        (
            "{limits.memory: 1Gi, requests.memory: 2Gi}", "{limits: {memory: 768Mi}}", 1,
            "exceeded quota: compute, requested: limits.memory=768Mi, used: limits.memory=768Mi, limited: limits.memory=1Gi"
        ),
        ("{cpu: \"1\"}", "{requests: {cpu: 500m}}", 2, ""),
        // A container that asks for no CPU does not count against a CPU quota.
        ("{requests.cpu: 100m}", "{}", 2, ""),
        ("{configmaps: \"1\"}", "{}", 2, ""),
    ])
    func podsBeyondTheQuotaAreRefused(_ hard: String, _ resources: String, _ created: Int, _ refusal: String) throws {
        let loaded = try AdmissionTests.load(Self.quota(hard) + AdmissionTests.deployment(resources: resources))
        let r = ClusterSimulation(spec: loaded.spec).run()
        let web = try #require(r.workloads.first { $0.name == "shop/web" })
        #expect(web.minReadyReplicas == created)
        let failed = r.notes.filter { $0.contains("FailedCreate on ReplicaSet shop/web-") }
        if refusal.isEmpty {
            #expect(failed.isEmpty, "\(failed)")
        } else {
            #expect(failed.count == 1)
            #expect(failed.first?.hasSuffix("-\" is forbidden: \(refusal)") == true, "\(failed)")
        }
    }

    /// flux's quota counts only pods of the two system PriorityClasses: others are not limited.
    @Test func scopedQuotaCountsOnlyItsPods() throws {
        let scope =
            ", scopeSelector: {matchExpressions: [{operator: In, scopeName: PriorityClass, values: [system-node-critical]}]}"
        let loaded = try AdmissionTests.load(Self.quota("{pods: \"1\"}", scope: scope) + AdmissionTests.deployment())
        let r = ClusterSimulation(spec: loaded.spec).run()
        #expect(r.workloads.first { $0.name == "shop/web" }?.minReadyReplicas == 2)
        #expect(!r.notes.contains { $0.contains("FailedCreate") })
    }
}
