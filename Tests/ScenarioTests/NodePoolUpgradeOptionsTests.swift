import Testing

@testable import Scenario
@testable import Simulation

/// The upgrade fault's node-pool options: each platform's documented defaults, and options
/// a platform does not have refused at their position.
struct NodePoolUpgradeOptionsTests {
    static let gke = (
        "distribution: gke, provider: gcp, region: us-central1",
        "{name: p, serverType: t2a-standard-4, count: 3, locations: [us-central1-a]}"
    )
    static let eks = ("distribution: eks, provider: aws, region: eu-central-1", "{name: p, serverType: m7g.large, count: 3}")
    static let lke = ("distribution: lke, provider: linode, region: eu-central", "{name: p, serverType: g6-standard-4, count: 3}")
    static let k3s = ("distribution: k3s, provider: hetzner", "{name: p, serverType: cax31, count: 3, locations: [fsn1]}")

    static func text(_ platform: (String, String), options: [String] = []) -> String {
        ([
            "apiVersion: k3sim/v1alpha1",  // 1
            "kind: Scenario",  // 2
            "metadata: {name: pools}",  // 3
            "spec:",  // 4
            "  duration: 30m",  // 5
            "  platform: {\(platform.0), kubernetesVersion: \"1.33\"}",  // 6
            "  nodePools: [\(platform.1)]",  // 7
            "  faults:",  // 8
            "    - at: 5m",  // 9
            "      action: upgrade",  // 10
            "      target: pool/p",  // 11
        ] + (options.isEmpty ? [] : ["      options:"] + options.map { "        " + $0 })).joined(separator: "\n") + "\n"
    }

    static func plan(_ platform: (String, String), _ options: [String] = []) throws -> UpgradePlan {
        try ScenarioLoader.load(text: text(platform, options: options), path: "/s.yaml").spec.faults[0].upgrade
    }

    @Test func defaultsPerPlatform() throws {
        #expect(try Self.plan(Self.gke).nodePool == .gke(maxSurge: 1, maxUnavailable: 0))
        #expect(try Self.plan(Self.gke).nodePool?.drainLimit == .minutes(60))
        #expect(try Self.plan(Self.eks).nodePool == .eks(maxUnavailable: 1))
        #expect(try Self.plan(Self.eks).nodePool?.drainLimit == .minutes(15))
        #expect(try Self.plan(Self.eks).nodePool?.drainLimitAction == .failUpdate)
        #expect(try Self.plan(Self.lke).nodePool == .lke)
        #expect(try Self.plan(Self.k3s).nodePool == nil)
        #expect(try Self.plan(Self.k3s, ["strategy: surge"]).nodePool == nil, "K3S keeps the generic surge")
    }

    @Test func givenSettings() throws {
        let g = try Self.plan(Self.gke, ["maxSurge: 2", "maxUnavailable: 1"]).nodePool
        #expect(g?.maxSurge == 2 && g?.maxUnavailable == 1)
        let e = try Self.plan(Self.eks, ["maxUnavailablePercentage: 50", "force: true"]).nodePool
        #expect(e?.maxUnavailablePercentage == 50)
        #expect(e?.drainLimitAction == .forceDelete)
    }

    @Test func optionsAPlatformDoesNotHaveAreRefused() {
        expectError(
            loadError(Self.text(Self.eks, options: ["maxSurge: 2"])), line: 13, column: 19,
            field: "spec.faults[0].options.maxSurge", contains: ["eks on aws has no maxSurge"])
        expectError(
            loadError(Self.text(Self.lke, options: ["maxUnavailable: 2"])), line: 13, column: 25,
            field: "spec.faults[0].options.maxUnavailable",
            contains: ["lke on linode has no maxUnavailable", "one node at a time"])
        expectError(
            loadError(Self.text(Self.gke, options: ["maxUnavailablePercentage: 50"])), line: 13, column: 35,
            field: "spec.faults[0].options.maxUnavailablePercentage", contains: ["gke on gcp has no maxUnavailablePercentage"])
        expectError(
            loadError(Self.text(Self.k3s, options: ["maxSurge: 2"])), line: 13, column: 19,
            field: "spec.faults[0].options.maxSurge", contains: ["k3s on hetzner has no maxSurge"])
        expectError(
            loadError(Self.text(Self.gke, options: ["concurrency: 2"])), line: 13, column: 22,
            field: "spec.faults[0].options.concurrency", contains: ["maxSurge + maxUnavailable"])
    }

    @Test func valuesOutOfRange() {
        expectError(
            loadError(Self.text(Self.eks, options: ["maxUnavailable: 0"])), line: 13, column: 25,
            field: "spec.faults[0].options.maxUnavailable", contains: ["between 1 and 100"])
        expectError(
            loadError(Self.text(Self.gke, options: ["maxSurge: -1"])), line: 13, column: 19,
            field: "spec.faults[0].options.maxSurge", contains: ["at least 0"])
        let both = loadError(Self.text(Self.gke, options: ["maxSurge: 0", "maxUnavailable: 0"]))
        #expect(both?.field == "spec.faults[0].options")
        #expect(both?.message.contains("both 0") == true)
        let two = loadError(Self.text(Self.eks, options: ["maxUnavailable: 2", "maxUnavailablePercentage: 50"]))
        #expect(two?.field == "spec.faults[0].options.maxUnavailablePercentage")
    }
}
