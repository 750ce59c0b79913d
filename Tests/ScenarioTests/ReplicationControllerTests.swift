import Foundation
import KubeModel
import Simulation
import Testing

@testable import Scenario

/// A `v1 ReplicationController` runs as the ReplicaSet it is: an equality selector (the
/// template's labels when it has none, as the API server defaults it) and `replicas` pods.
@Suite struct ReplicationControllerTests {
    static func text(selector: String) -> String {
        scenario(
            replacing: [6: "  duration: 5m"],
            append: [
                "  workloads:",
                "    - object:",
                "        apiVersion: v1",
                "        kind: ReplicationController",
                "        metadata: {name: rc, namespace: shop}",
                "        spec:",
                "          replicas: 3",
            ] + (selector.isEmpty ? [] : ["          selector: \(selector)"]) + [
                "          template:",
                "            metadata: {labels: {app: rc, tier: web}}",
                "            spec: {containers: [{name: c, image: nginx, resources: {requests: {cpu: 100m}}}]}",
            ])
    }

    @Test(arguments: [("{app: rc}", ["app": "rc"]), ("", ["app": "rc", "tier": "web"])])
    func selectorIsEquality(_ selector: String, _ expected: [String: String]) throws {
        let loaded = try ScenarioLoader.load(text: Self.text(selector: selector), path: "/s/rc.yaml")
        let rc = try #require(loaded.userWorkloads.replicaSets.first)
        #expect(rc.kind == "ReplicationController" && rc.replicas == 3)
        #expect(rc.selector == LabelSelector(matchLabels: expected))
    }

    @Test func runsItsReplicas() throws {
        let loaded = try ScenarioLoader.load(text: Self.text(selector: "{app: rc}"), path: "/s/rc.yaml")
        let record = ClusterSimulation(spec: loaded.spec).run()
        let w = try #require(record.workloads.first { $0.name == "shop/rc" })
        #expect(w.kind == "ReplicationController" && w.desiredReplicas == 3)
        #expect(w.minReadyReplicas == 3 && w.availability > 0.8)
        #expect(record.pendingPodsAtEnd == 0)
    }

    @Test func aSelectorThatMissesTheTemplateIsRefused() {
        let e = loadError(Self.text(selector: "{app: other}"))
        #expect(e?.field.hasPrefix("spec.workloads[0].object.spec") == true, "\(String(describing: e))")
    }
}
