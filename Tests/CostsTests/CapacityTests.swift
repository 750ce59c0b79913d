import Costs
import KubeModel
import Scenario
import Simulation
import Testing

/// `k3sim capacity`'s counts on clusters small enough to count by hand. Nodes are given
/// their allocatable directly and K3S's bundled workloads are disabled, so nothing but the
/// scenario's own pods takes room.
@Suite struct CapacityTests {
    static let head = """
        apiVersion: k3sim/v1alpha1
        kind: Scenario
        metadata: {name: capacity}
        spec:
          duration: 10m
          platform: {distribution: k3s, provider: hetzner, kubernetesVersion: "1.33",
                     disable: [coredns, traefik, servicelb, metrics-server, local-storage]}

        """

    static func node(_ name: String, cpu: String, memory: String, pods: Int, zone: String, taint: String = "") -> String {
        let r = "{cpu: \"\(cpu)\", memory: \(memory), pods: \"\(pods)\"}"
        return
            "    - {name: \(name), capacity: \(r), allocatable: \(r), labels: {topology.kubernetes.io/zone: \(zone)}\(taint)}\n"
    }

    static func pod(cpu: String, memory: String, antiAffinity: Bool = false, extra: String = "") throws -> PodManifest {
        let affinity =
            antiAffinity
            ? """
              affinity:
                podAntiAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    - {labelSelector: {matchLabels: {app: probe}}, topologyKey: kubernetes.io/hostname}

            """ : ""
        let text = """
            apiVersion: v1
            kind: Pod
            metadata: {name: probe, labels: {app: probe}}
            spec:
            \(affinity)\(extra)  containers: [{name: probe, image: example/probe:1, resources: {requests: {cpu: \(cpu), memory: \(memory)}}}]

            """
        guard case .pod(let p) = try #require(try ManifestLoader.load(text: text, path: "probe.yaml").first) else {
            throw CapacityError(description: "not a pod")
        }
        return p
    }

    /// n1 (2 CPU, 8 Gi), n2 (4 CPU, 2 Gi), n3 (4 CPU, 8 Gi, 3 pods) with one pod of 1 CPU and
    /// 1 Gi pinned to n3.
    static func three() throws -> ClusterSpec {
        try ScenarioLoader.load(
            text: head + "  nodes:\n"
                + node("n1", cpu: "2", memory: "8Gi", pods: 110, zone: "a")
                + node("n2", cpu: "4", memory: "2Gi", pods: 110, zone: "b")
                + node("n3", cpu: "4", memory: "8Gi", pods: 3, zone: "c") + """
                      workloads:
                        - object:
                            apiVersion: apps/v1
                            kind: Deployment
                            metadata: {name: base}
                            spec:
                              replicas: 1
                              selector: {matchLabels: {app: base}}
                              template:
                                metadata: {labels: {app: base}}
                                spec:
                                  nodeSelector: {kubernetes.io/hostname: n3}
                                  containers: [{name: base, image: example/base:1, resources: {requests: {cpu: "1", memory: 1Gi}}}]

                    """, path: "three.yaml"
        ).spec
    }

    /// Each node stops at a different resource: n1 at cpu (2000m / 500m = 4), n2 at memory
    /// (2 Gi / 1 Gi = 2), n3 at pods (3 − the pinned pod = 2): 8 in all. Losing n1 leaves
    /// 2 + 2 = 4, n2 leaves 6, n3 leaves 6 (its pinned pod cannot move).
    @Test func eachNodeNamesItsLimit() throws {
        let a = try CapacityQuestion.answer(spec: try Self.three(), pod: try Self.pod(cpu: "500m", memory: "1Gi"), survive: .node)
        #expect(a.fitNow == 8)
        #expect(
            a.nodes == [
                .init(name: "n1", fits: 4, limitedBy: "cpu"), .init(name: "n2", fits: 2, limitedBy: "memory"),
                .init(name: "n3", fits: 2, limitedBy: "pods"),
            ])
        #expect(a.fitAfterLoss == .init(instances: 4, worst: "node/n1"))
        #expect(a.pendingBefore == 0)
    }

    /// 3 CPU and 3 Gi: n1 lacks cpu (2), n2 memory (2 Gi), n3 takes one (4 − 1 CPU free) and
    /// then lacks cpu. With 9 Gi nothing fits, and n1 lacks both.
    @Test func largePods() throws {
        let a = try CapacityQuestion.answer(spec: try Self.three(), pod: try Self.pod(cpu: "3", memory: "3Gi"), survive: .none)
        #expect(a.fitNow == 1)
        #expect(a.nodes.map(\.limitedBy) == ["cpu", "memory", "cpu"])
        #expect(a.fitAfterLoss == nil)
        let none = try CapacityQuestion.answer(spec: try Self.three(), pod: try Self.pod(cpu: "3", memory: "9Gi"), survive: .none)
        #expect(none.fitNow == 0)
        #expect(none.nodes.map(\.limitedBy) == ["cpu, memory", "memory", "memory"])
    }

    /// m1, m2 in zone z1; m3 and the tainted m4 in z2; 2 CPU and 4 Gi each.
    static func zones() throws -> ClusterSpec {
        try ScenarioLoader.load(
            text: head + "  nodes:\n"
                + node("m1", cpu: "2", memory: "4Gi", pods: 110, zone: "z1")
                + node("m2", cpu: "2", memory: "4Gi", pods: 110, zone: "z1")
                + node("m3", cpu: "2", memory: "4Gi", pods: 110, zone: "z2")
                + node(
                    "m4", cpu: "2", memory: "4Gi", pods: 110, zone: "z2",
                    taint: ", taints: [{key: dedicated, value: db, effect: NoSchedule}]"), path: "zones.yaml"
        ).spec
    }

    /// 1 CPU each: two per untainted node (6), none on m4; losing z1 leaves m3's 2, z2 leaves 4.
    @Test func taintAndZoneLoss() throws {
        let a = try CapacityQuestion.answer(spec: try Self.zones(), pod: try Self.pod(cpu: "1", memory: "1Gi"), survive: .zone)
        #expect(a.fitNow == 6)
        #expect(a.nodes.map(\.fits) == [2, 2, 2, 0])
        #expect(a.nodes[3].limitedBy == "node(s) had untolerated taint {dedicated: db}")
        #expect(a.fitAfterLoss == .init(instances: 2, worst: "zone/z1"))
    }

    /// A toleration opens m4: 8 now.
    @Test func tolerationOpensTheTaintedNode() throws {
        let tolerating = try Self.pod(
            cpu: "1", memory: "1Gi",
            extra: "  tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]\n")
        let a = try CapacityQuestion.answer(spec: try Self.zones(), pod: tolerating, survive: .none)
        #expect(a.fitNow == 8)
    }

    /// Required anti-affinity on the hostname: one per untainted node (3), though resources
    /// would take 20 per node; after z1's loss only m3 is left.
    @Test func antiAffinityOnePerNode() throws {
        let a = try CapacityQuestion.answer(
            spec: try Self.zones(), pod: try Self.pod(cpu: "100m", memory: "128Mi", antiAffinity: true),
            survive: .zone)
        #expect(a.fitNow == 3)
        #expect(a.nodes.map(\.fits) == [1, 1, 1, 0])
        #expect(a.nodes[0].limitedBy == "node(s) didn't match pod anti-affinity rules")
        #expect(a.fitAfterLoss == .init(instances: 1, worst: "zone/z1"))
    }

    /// One K3S server on embedded etcd: its loss leaves no quorum, so no copy can be scheduled
    /// whatever room the agents have; with three servers one loss keeps a quorum of two.
    @Test func losingTheOnlyServerLeavesNothing() throws {
        func scenario(servers: Int) throws -> ClusterSpec {
            try ScenarioLoader.load(
                text: Self.head + """
                      controlPlane: {count: \(servers), serverType: cpx22, locations: [fsn1], datastore: embedded-etcd, schedulable: false}
                      nodePools:
                        - {name: agents, serverType: cpx32, count: 2, locations: [fsn1]}

                    """, path: "one.yaml"
            ).spec
        }
        let probe = try Self.pod(cpu: "500m", memory: "512Mi")
        let one = try CapacityQuestion.answer(spec: try scenario(servers: 1), pod: probe, survive: .node)
        #expect(one.fitAfterLoss == .init(instances: 0, worst: "node/server-0"))
        #expect(one.notes.contains { $0.hasPrefix("losing node/server-0 takes the API server down (embedded-etcd on server-0)") })
        let three = try CapacityQuestion.answer(spec: try scenario(servers: 3), pod: probe, survive: .node)
        #expect(three.fitAfterLoss?.worst.hasPrefix("node/agents-") == true)
        #expect(try #require(three.fitAfterLoss).instances > 0)
    }

    @Test func zoneLossNeedsZones() throws {
        var spec = try Self.zones()
        for i in spec.nodes.indices { spec.nodes[i].labels["topology.kubernetes.io/zone"] = nil }
        #expect(throws: CapacityError.self) {
            try CapacityQuestion.answer(spec: spec, pod: try Self.pod(cpu: "1", memory: "1Gi"), survive: .zone)
        }
    }
}
