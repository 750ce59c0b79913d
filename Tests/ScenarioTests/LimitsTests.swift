import Foundation
import Testing

@testable import Scenario

/// The inputs that crashed or hung k3sim (overflowing durations and seconds, negative counts,
/// non-finite rates, zero periods, huge counts) are refused at load time with the place named,
/// and the bounds in `Limits` hold at their edges.
@Suite struct LimitsTests {
    static func settings(_ s: String) -> String {
        scenario(replacing: [10: "    kubernetesVersion: \"1.33\"\n    settings: {\(s)}"])
    }

    static let deployment = [
        "  workloads:",
        "    - object:",
        "        apiVersion: apps/v1",
        "        kind: Deployment",
        "        metadata: {name: web}",
        "        spec:",
        "          replicas: 2",
        "          selector: {matchLabels: {app: web}}",
        "          template:",
        "            metadata: {labels: {app: web}}",
        "            spec: {containers: [{name: web, image: nginx}]}",
    ]

    static func fault(_ f: String) -> String { scenario(append: deployment + ["  faults:", "    - \(f)"]) }

    @Test(
        arguments: [
            (scenario(replacing: [6: "  duration: 100000000000000h"]), "spec.duration", "longer than the limit of 8760h0m0s"),
            (fault("{at: 100000000000000h, action: crash, target: node/agents-0}"), "spec.faults[0].at", "longer than the limit"),
            (
                fault("{at: 1m, action: crash, target: node/agents-0, for: 100000000000000h}"), "spec.faults[0].for",
                "longer than the limit"
            ),
            (
                fault("{at: 1m, action: delete-pod, target: deployment/web, options: {count: -1}}"),
                "spec.faults[0].options.count", "must be between 1 and 50000"
            ),
            (
                fault("{at: 1m, action: crash, target: pool/agents, options: {count: -1}}"), "spec.faults[0].options.count",
                "must be between 1 and 50000"
            ),
            (
                fault("{at: 1m, action: scale, target: deployment/web, options: {replicas: -3}}"),
                "spec.faults[0].options.replicas", "must be between 0"
            ),
            (
                settings("defaultUnreachableTolerationSeconds: 4611686018427387904"),
                "spec.platform.settings.defaultUnreachableTolerationSeconds", "must be between 0 and 31536000"
            ),
            (
                settings("defaultNotReadyTolerationSeconds: -1"), "spec.platform.settings.defaultNotReadyTolerationSeconds",
                "must be between 0"
            ),
            (
                settings("nodeLeaseDurationSeconds: 4611686018427387904"), "spec.platform.settings.nodeLeaseDurationSeconds",
                "must be at most 31536000"
            ),
            (settings("nodeEvictionRate: .nan"), "spec.platform.settings.nodeEvictionRate", "must be greater than 0"),
            (settings("nodeEvictionRate: -1"), "spec.platform.settings.nodeEvictionRate", "must be greater than 0"),
            (
                settings("secondaryNodeEvictionRate: .inf"), "spec.platform.settings.secondaryNodeEvictionRate",
                "between 0 and 1000"
            ),
            (settings("unhealthyZoneThreshold: 1.5"), "spec.platform.settings.unhealthyZoneThreshold", "between 0 and 1"),
            (settings("nodeMonitorGracePeriod: 0s"), "spec.platform.settings.nodeMonitorGracePeriod", "must be greater than 0"),
            (settings("nodeMonitorPeriod: 1ms"), "spec.platform.settings.nodeMonitorPeriod", "at least 100ms"),
            (
                settings("nodeMonitorGracePeriod: 2s, nodeMonitorPeriod: 5s"), "spec.platform.settings.nodeMonitorGracePeriod",
                "at least nodeMonitorPeriod"
            ),
            (scenario(replacing: [14: "      count: 1000000000000"]), "spec.nodePools[0].count", "at most 50000 nodes"),
            (scenario(append: ["  controlPlane: {count: 100000, serverType: cax21}"]), "spec.controlPlane.count", "at most 15"),
            // Found by the fuzz suite with K3SIM_FUZZ_SEED=1234: the node count check overflowed.
            (
                scenario(append: ["  controlPlane: {count: -9223372036854775808, serverType: cax21}"]), "spec.controlPlane.count",
                "at least 1"
            ),
            (
                scenario(
                    append: deployment.map {
                        $0.replacingOccurrences(
                            of: "spec: {containers",
                            with:
                                "spec: {tolerations: [{operator: Exists, effect: NoExecute, tolerationSeconds: -9223372036854775808}], containers"
                        )
                    }),
                "spec.workloads[0].object.spec.template.spec.tolerations[0].tolerationSeconds", "within ±31536000"
            ),
            (
                scenario(append: ["  controlPlane: {count: 3, serverType: cax21, etcd: {heartbeatInterval: 0s}}"]),
                "spec.controlPlane.etcd.heartbeatInterval", "shorter than the limit of 10ms"
            ),
            (
                scenario(append: ["  controlPlane: {count: 3, serverType: cax21, etcd: {heartbeatInterval: 2s}}"]),
                "spec.controlPlane.etcd.heartbeatInterval", "at least 5 × heartbeatInterval"
            ),
            (
                scenario(
                    append: deployment.map { $0.replacingOccurrences(of: "replicas: 2", with: "replicas: 600000") }
                        + deployment.dropFirst().map {
                            $0.replacingOccurrences(of: "replicas: 2", with: "replicas: 600000")
                                .replacingOccurrences(of: "name: web", with: "name: web2")
                        }),
                "spec.workloads", "ask for 1200"
            ),
            (
                scenario(append: ["  timing: [{imagePull: {lognormal: {median: 1ms, p95: 8760h}}}]"]),
                "spec.timing[0].imagePull.lognormal", "tail"
            ),
            (
                scenario(
                    append: deployment.map {
                        $0.replacingOccurrences(
                            of: "spec: {containers", with: "spec: {terminationGracePeriodSeconds: 4611686018427387904, containers"
                        )
                    }),
                "spec.workloads[0].object.spec.template.spec.terminationGracePeriodSeconds", "must be at most 31536000"
            ),
            (
                scenario(keep: 10, append: ["  nodes: [{name: n1, capacity: {cpu: \"-4\", memory: 8Gi}}]"]),
                "spec.nodes[0].capacity.cpu", "Invalid value: \"-4\": must be greater than or equal to 0"
            ),
            (
                scenario(keep: 10, append: ["  nodes: [{name: n1, capacity: {cpu: \"4\", memory: 8Gi, pods: \"1e12\"}}]"]),
                "spec.nodes[0].capacity.pods", "must be at most 1000000"
            ),
            (
                scenario(keep: 10, append: ["  nodes: [{name: N_1, capacity: {cpu: \"4\", memory: 8Gi}}]"]),
                "spec.nodes[0].name", "a lowercase RFC 1123 subdomain"
            ),
            (
                scenario(replacing: [
                    6: "  duration: 8760h", 10: "    kubernetesVersion: \"1.33\"\n    settings: {nodeMonitorPeriod: 100ms}",
                ]),
                "spec.duration", "315360000 node-monitor passes; at most 10000000"
            ),
            (
                scenario(
                    replacing: [6: "  duration: 8000h"],
                    append: [
                        "  controlPlane: {count: 3, serverType: cax21, etcd: {heartbeatInterval: 10ms, electionTimeout: 100ms}}"
                    ]),
                "spec.duration", "heartbeats; at most 100000000"
            ),
        ] as [(String, String, String)])
    func refused(text: String, field: String, fragment: String) {
        let e = loadError(text)
        guard let e else { return }
        #expect(e.field.hasPrefix(field), "\(e)")
        #expect(fragment.isEmpty || e.message.contains(fragment), "\(e)")
        #expect(e.line != nil, "\(e)")
    }

    @Test func schedulerBackoffSeconds() {
        let e = loadError(
            scenario(append: [
                "  scheduler: {podInitialBackoffSeconds: 4611686018427387904, podMaxBackoffSeconds: 4611686018427387904}"
            ]))
        #expect(e?.field == "spec.scheduler.podInitialBackoffSeconds")
        #expect(e?.message.contains("must be at most 31536000") == true)
    }

    @Test func limitsAreInclusive() throws {
        // The edges themselves load.
        _ = try ScenarioLoader.load(text: scenario(replacing: [6: "  duration: 8760h"]), path: "/s.yaml")
        _ = try ScenarioLoader.load(
            text: Self.settings("nodeMonitorPeriod: 100ms, defaultUnreachableTolerationSeconds: 31536000"), path: "/s.yaml")
        #expect(DurationValue.parse("8760h") == .seconds(Limits.maxSeconds))
        #expect(DurationValue.parse("8760h1us") == nil)
        #expect(DurationValue.parse("99999999999999999999999999999h", limit: nil) != nil)  // saturates, never traps
    }

    /// A file above the limit is refused from its size, before it is read.
    @Test func largeFileIsRefusedUpFront() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = dir.appendingPathComponent("big.yaml")
        FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 50 << 20)  // 50 MB, sparse
        try handle.close()
        let start = Date()
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(path: big.path) }
        #expect(Date().timeIntervalSince(start) < 1)
        do { _ = try ScenarioLoader.load(path: big.path) } catch let e as ScenarioError {
            #expect(e.message.contains("more than the limit of 4194304"))
        }
        do { _ = try ScenarioLoader.load(path: dir.path) } catch let e as ScenarioError {
            #expect(e.message == "the scenario file is not a regular file (a directory)")
        }
    }

    /// Workload files that are not manifests: the error says what the file holds, never its content.
    @Test(arguments: [
        ("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n", "holds a single value (a YAML scalar)"),
        ("- a\n- b\n", "holds a list (a YAML sequence)"),
        ("apiVersion: k3sim/v1alpha1\nkind: Scenario\nmetadata: {name: secret-name}\n", "holds a k3sim Scenario"),
        (
            "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: \"https://x\"}}]\nusers: [{name: u, user: {token: sekrit}}]\n",
            "holds a kubeconfig"
        ),
        ("SECRET=hunter2\u{0}HOME=/root\u{0}", "invalid YAML: control characters are not allowed"),
    ])
    func workloadFileHoldsKubernetesObjects(content: String, fragment: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-wf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try content.write(to: dir.appendingPathComponent("w.yaml"), atomically: true, encoding: .utf8)
        let text = scenario(append: ["  workloads:", "    - file: w.yaml"])
        do {
            _ = try ScenarioLoader.load(text: text, path: dir.appendingPathComponent("s.yaml").path)
            Issue.record("loaded")
        } catch let e as ScenarioError {
            #expect(e.file.hasSuffix("w.yaml"), "\(e)")
            #expect(e.description.contains(fragment), "\(e)")
            for secret in ["hunter2", "sekrit", "secret-name", "/bin/bash"] { #expect(!e.description.contains(secret), "\(e)") }
        }
    }

    /// A fault whose target does not exist is refused with the candidates, rather than run with
    /// milestones that nothing caused (`delete-pod pod/default/nope` → `deleted`).
    @Test(arguments: [
        ("{at: 1m, action: delete-pod, target: pod/default/nope}", "no pod default/nope known before the run (pods: none)"),
        ("{at: 1m, action: crash, target: node-of/pod/default/web-0}", "Deployment and ReplicaSet pods have generated names"),
        ("{at: 1m, action: crash, target: node/nope}", "(nodes: agents-0, agents-1)"),
        ("{at: 1m, action: outage, target: zone/nope}", "(zones and locations: fsn1, fsn1-dc14)"),
        ("{at: 1m, action: crash, target: pool/nope}", "(pools: agents)"),
        ("{at: 1m, action: rollout, target: deployment/nope}", "(Deployments: default/web, kube-system/coredns"),
    ])
    func unknownTargetsListCandidates(fault: String, fragment: String) {
        let e = loadError(Self.fault(fault))
        #expect(e?.field == "spec.faults[0].target")
        #expect(e?.message.contains(fragment) == true, "\(String(describing: e))")
    }

    @Test func controlCharactersAreEscaped() {
        let e = ScenarioError(file: "s\u{1b}.yaml", line: 1, column: 2, field: "a\u{7}", message: "\"x\u{1b}[2J\"\n")
        #expect(e.description == "s\\u{1b}.yaml:1:2: a\\u{7}: \"x\\u{1b}[2J\"\\n")
    }
}
