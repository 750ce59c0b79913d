import Scenario
import Simulation
import Testing

/// A Talos upgrade reboots each node into a new image (drain, pods and services stopped,
/// image installed, reboot), where K3S restarts a process: the machine is down for
/// installAndRebootTime plus the kubelet's boot, and its etcd member, stopped by SIGTERM,
/// hands its leadership over instead of leaving the others to an election.
@Suite struct TalosUpgradeTests {
    static func scenario(_ platform: String, options: String) -> String {
        """
        apiVersion: k3sim/v1alpha1
        kind: Scenario
        metadata: {name: talos-upgrade}
        spec:
          duration: 30m
          seed: 3
          platform: {\(platform), kubernetesVersion: "1.33", settings: {nodeBootTime: 30s}}
          controlPlane: {count: 3, serverType: cax21, locations: [fsn1, nbg1, hel1]}
          nodePools: [{name: workers, serverType: cax31, count: 2, locations: [fsn1, nbg1]}]
          workloads:
            - object:
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: web, resources: {requests: {cpu: 100m, memory: 128Mi}}}]}
          faults: [{at: 5m, action: upgrade, target: controlplane, options: {\(options)}}]
        """
    }

    static let talos = "distribution: talos, provider: hetzner"

    /// The intervals during which a node's series shows it Down (machine off).
    func downIntervals(_ r: RunRecord, node: String) -> [(from: Double, to: Double)] {
        let points = r.series.first { $0.kind == "nodeState" && $0.entity == node }?.points ?? []
        var out: [(Double, Double)] = []
        for (k, p) in points.enumerated() where p.label == "Down" && k + 1 < points.count {
            out.append((p.t, points[k + 1].t))
        }
        return out
    }

    /// One node at a time: each server is off once, for installAndRebootTime 90 s plus
    /// nodeBootTime 30 s = 120 s, and the next goes down only after the previous is back. The
    /// initial leader is one of the three, so leadership moves at least once, and every move
    /// is a transfer: writes pause for MsgTimeoutNow and a vote round, 2 × memberRoundTrip
    /// 10 ms = 20 ms per move, never for an election (Talos's etcd: at least election timeout
    /// 1 s − heartbeat 100 ms = 0.9 s, up to about 2 s).
    @Test(arguments: [UInt64](1...4))
    func eachServerRebootsOnceAndLeadershipIsHandedOver(seed: UInt64) throws {
        var spec = try ScenarioLoader.load(
            text: Self.scenario(Self.talos, options: "installAndRebootTime: 90s"), path: "/tmp/talos-upgrade.yaml"
        ).spec
        spec.seed = seed
        #expect(spec.faults[0].upgrade.strategy == .reboot)
        let r = ClusterSimulation(spec: spec).run()
        var previousEnd = 0.0
        for server in ["server-0", "server-1", "server-2"] {
            let down = downIntervals(r, node: server)
            #expect(down.count == 1, "\(server): \(down)")
            guard let d = down.first else { continue }
            #expect(abs(d.to - d.from - 120) < 1e-6, "\(server) down \(d.to - d.from) s")
            #expect(d.from >= previousEnd)
            previousEnd = d.to
        }
        let f = r.faults[0]
        #expect(f.stats["nodesUpgraded"] == 3)
        #expect(f.milestone(.rebooted) != nil && f.milestone(.leaderTransfer) != nil)
        #expect(f.milestone(.leaderLost) == nil)
        #expect(f.milestone(.completed) != nil)
        let changes = r.controlPlane.leaderChanges
        #expect(changes >= 1 && changes <= 3)
        #expect(abs(r.controlPlane.writeUnavailableSeconds - Double(changes) * 0.020) < 1e-6)
        // Every server is back, Ready and uncordoned.
        for server in ["server-0", "server-1", "server-2"] {
            let last = r.series.first { $0.kind == "nodeState" && $0.entity == server }?.points.last?.label
            #expect(last == "Ready", "\(server) ends \(last ?? "-")")
        }
    }

    /// The default: Talos reboots (60 s), K3S restarts its service and its machines stay up.
    @Test func defaultsPerDistribution() throws {
        let talos = try ScenarioLoader.load(text: Self.scenario(Self.talos, options: ""), path: "/tmp/t.yaml").spec
        #expect(talos.faults[0].upgrade.strategy == .reboot)
        #expect(talos.faults[0].upgrade.installAndRebootTime == .seconds(60))
        let k3s = try ScenarioLoader.load(
            text: Self.scenario("distribution: k3s, provider: hetzner", options: "drain: true"), path: "/tmp/k.yaml"
        ).spec
        #expect(k3s.faults[0].upgrade.strategy == .inPlace)
        let r = ClusterSimulation(spec: k3s).run()
        for server in ["server-0", "server-1", "server-2"] { #expect(downIntervals(r, node: server).isEmpty) }
        #expect(r.faults[0].milestone(.rebooted) == nil)
    }

    @Test(arguments: [
        ("distribution: k3s, provider: hetzner", "strategy: reboot", "faults[0].options.strategy"),
        (talos, "drain: false", "faults[0].options.drain"),
        ("distribution: k3s, provider: hetzner", "installAndRebootTime: 2m", "faults[0].options.installAndRebootTime"),
    ])
    func refusedOptions(platform: String, options: String, field: String) {
        do {
            _ = try ScenarioLoader.load(text: Self.scenario(platform, options: options), path: "/tmp/bad.yaml")
            Issue.record("\(options) on \(platform) was accepted")
        } catch {
            #expect("\(error)".contains(field), "\(error)")
        }
    }
}
