import Scenario
import Simulation
import Testing

/// Platforms differ in behaviour, not only in price: a GKE node that stays broken is
/// re-created, a K3S agent on Hetzner is not; a zonal GKE control plane is unavailable during
/// its upgrade, a regional one is not; Talos's etcd (upstream timing) elects a new leader
/// faster than K3S's.
@Suite struct PlatformBehaviourTests {
    func load(_ platform: String, _ body: String) throws -> ClusterSpec {
        let text = """
            apiVersion: k3sim/v1alpha1
            kind: Scenario
            metadata: {name: platform-behaviour}
            spec:
              duration: 50m
              seed: 3
              platform: {\(platform), kubernetesVersion: "1.33"}
            \(body)
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
            """
        return try ScenarioLoader.load(text: text, path: "/tmp/platform-behaviour.yaml").spec
    }

    static let gke = "distribution: gke, provider: gcp, region: us-central1"
    static let gkePools = "  nodePools: [{name: pool, serverType: t2a-standard-4, count: 3, locations: [us-central1-a]}]\n"

    /// GKE re-creates a crashed node after about 10 minutes NotReady: the repair starts 10 min
    /// after NotReady and the node is Ready again 60 s (re-creation, assumption) plus the boot
    /// time later; 10–30 minutes after NotReady as the platform behaves.
    @Test func gkeRepairsACrashedNode() throws {
        let spec = try load(Self.gke, Self.gkePools + "  faults: [{at: 5m, action: crash, target: node/pool-1}]")
        #expect(spec.nodeAutoRepair == .gke)
        let f = ClusterSimulation(spec: spec).run().faults[0]
        let notReady = try #require(f.milestone(.nodeNotReady))
        let started = try #require(f.milestone(.nodeRepairStarted))
        let repaired = try #require(f.milestone(.nodeRepaired))
        #expect(abs(started - notReady - 600) < 1e-6)
        #expect(repaired - notReady >= 600 && repaired - notReady <= 1800)
    }

    @Test func gkeWithoutAutoRepairAndK3sOnHetznerRepairNothing() throws {
        let off = try load(
            Self.gke.replacingOccurrences(
                of: "region: us-central1", with: "region: us-central1, settings: {nodeAutoRepair: false}"),
            Self.gkePools + "  faults: [{at: 5m, action: crash, target: node/pool-1}]")
        #expect(off.nodeAutoRepair == nil)
        let k3s = try load(
            "distribution: k3s, provider: hetzner",
            "  controlPlane: {count: 3, serverType: cax21, locations: [fsn1, nbg1, hel1]}\n"
                + "  nodePools: [{name: agents, serverType: cax31, count: 3, locations: [fsn1, nbg1, hel1]}]\n"
                + "  faults: [{at: 5m, action: crash, target: node/agents-1}]")
        #expect(k3s.nodeAutoRepair == nil)
        for spec in [off, k3s] {
            let f = ClusterSimulation(spec: spec).run().faults[0]
            #expect(f.milestone(.nodeNotReady) != nil)
            #expect(f.milestone(.nodeRepairStarted) == nil && f.milestone(.nodeReady) == nil)
        }
    }

    @Test func eksRepairsOnlyWhenAskedAndAfterThirtyMinutes() throws {
        let pools =
            "  nodePools: [{name: ng, serverType: m7g.large, count: 3}]\n  faults: [{at: 2m, action: crash, target: node/ng-0}]"
        let eks = "distribution: eks, provider: aws, region: eu-central-1"
        #expect(try load(eks, pools).nodeAutoRepair == nil)
        let spec = try load(eks + ", settings: {nodeAutoRepair: true}", pools)
        let f = ClusterSimulation(spec: spec).run().faults[0]
        let notReady = try #require(f.milestone(.nodeNotReady))
        #expect(f.milestone(.nodeRepairStarted).map { abs($0 - notReady - 1800) < 1e-6 } == true)
    }

    /// LKE recycles a broken worker only when someone asks: a crashed node goes NotReady and
    /// stays down, with no repair; asking for auto-repair on LKE is refused.
    @Test func lkeRepairsNoWorker() throws {
        let lke = "distribution: lke, provider: linode, region: eu-central"
        let pools =
            "  nodePools: [{name: p, serverType: g6-standard-4, count: 3}]\n  faults: [{at: 5m, action: crash, target: node/p-1}]"
        let spec = try load(lke, pools)
        #expect(spec.nodeAutoRepair == nil)
        let f = ClusterSimulation(spec: spec).run().faults[0]
        #expect(f.milestone(.nodeNotReady) != nil)
        #expect(f.milestone(.nodeRepairStarted) == nil && f.milestone(.nodeReady) == nil)
        #expect(throws: ScenarioError.self) { try load(lke + ", settings: {nodeAutoRepair: true}", pools) }
    }

    @Test func autoRepairOnAPlatformWithoutOneIsRefused() {
        #expect(throws: ScenarioError.self) {
            try load(
                "distribution: k3s, provider: hetzner, settings: {nodeAutoRepair: true}",
                "  nodePools: [{name: agents, serverType: cax31, count: 3, locations: [fsn1]}]")
        }
    }

    /// A zonal GKE control plane (one replica) has no API while it is upgraded; nodes do not
    /// go NotReady because the controllers restart their clocks afterwards. A regional one
    /// upgrades replica by replica without unavailability.
    @Test func zonalControlPlaneUpgradeStopsTheAPIRegionalDoesNot() throws {
        let fault = "  faults: [{at: 5m, action: upgrade, target: controlplane}]"
        let zonal = try load(Self.gke, Self.gkePools + "  controlPlane: {highAvailability: false}\n" + fault)
        #expect(zonal.controlPlane.managedHighAvailability == false)
        let z = ClusterSimulation(spec: zonal).run()
        #expect(abs(z.controlPlane.writeUnavailableSeconds - 300) < 1e-6)
        #expect(z.faults[0].milestone(.completed).map { abs($0 - 600) < 1e-6 } == true)
        #expect(z.faults[0].milestone(.nodeNotReady) == nil)
        #expect(z.workloads.allSatisfy { $0.secondsUnavailable == 0 })
        let regional = try load(Self.gke, Self.gkePools + fault)
        #expect(regional.controlPlane.managedHighAvailability)
        #expect(ClusterSimulation(spec: regional).run().controlPlane.writeUnavailableSeconds == 0)
    }

    /// Talos runs etcd with upstream defaults (heartbeat 100 ms, election timeout 1 s), K3S
    /// 500 ms / 5 s. A follower campaigns a randomized [timeout, 2 × timeout) after the last
    /// heartbeat it heard, which came up to one heartbeat before the crash, and the vote takes
    /// a round trip: writes stop for [timeout − heartbeat, 2 × timeout) plus a little, so
    /// 0.9–2.1 s on Talos and 4.5–10.1 s on K3S.
    @Test(arguments: [UInt64](1...5))
    func talosElectsFasterThanK3s(seed: UInt64) throws {
        let cp =
            "  controlPlane: {count: 3, serverType: cax21, locations: [fsn1, nbg1, hel1]}\n"
            + "  nodePools: [{name: agents, serverType: cax31, count: 2, locations: [fsn1, nbg1]}]\n"
            + "  faults: [{at: 5m, action: crash, target: controlplane/leader}]"
        for (platform, range) in [
            ("distribution: talos, provider: hetzner", 0.9...2.1), ("distribution: k3s, provider: hetzner", 4.5...10.1),
        ] {
            var spec = try load(platform, cp)
            spec.seed = seed
            spec.duration = .minutes(8)
            let lost = ClusterSimulation(spec: spec).run().controlPlane.writeUnavailableSeconds
            #expect(range.contains(lost), "\(platform), seed \(seed): \(lost) s of writes lost")
        }
    }

    /// MicroK8s HA runs dqlite: C raft with dqlite's heartbeat_timeout 500 ms and
    /// election_timeout 3000 ms, pre-vote on. A follower draws its timeout in whole
    /// milliseconds from [3000, 6000) and campaigns at its first raft tick (every 500 ms) at
    /// or after the last heartbeat it heard plus that timeout; the heartbeat came up to 500 ms
    /// before the crash; pre-vote and vote take 2 × 10 ms. Writes stop for more than
    /// 3000 − 500 + 20 = 2520 ms and less than 5999 + 500 + 20 = 6519 ms.
    @Test(arguments: [UInt64](1...5))
    func microk8sLosesWritesForDqlitesWindow(seed: UInt64) throws {
        let cp =
            "  controlPlane: {count: 3, serverType: cax21, locations: [fsn1, nbg1, hel1]}\n"
            + "  nodePools: [{name: agents, serverType: cax31, count: 2, locations: [fsn1, nbg1]}]\n"
            + "  faults: [{at: 5m, action: crash, target: controlplane/leader}]"
        var spec = try load("distribution: microk8s, provider: hetzner", cp)
        #expect(spec.controlPlane.embeddedRaft == .dqlite)
        #expect(spec.controlPlane.heartbeatInterval == .milliseconds(500))
        #expect(spec.controlPlane.electionTimeout == .milliseconds(3000))
        spec.seed = seed
        spec.duration = .minutes(8)
        let r = ClusterSimulation(spec: spec).run()
        let lost = r.controlPlane.writeUnavailableSeconds
        #expect(lost > 2.52 && lost < 6.519, "seed \(seed): \(lost) s of writes lost")
        let elected = r.faults[0].milestones.first { $0.name == .leaderElected }
        #expect(elected?.mechanism.hasPrefix("dqlite member on") == true)
    }
}
