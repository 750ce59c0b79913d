import Costs
import KubeModel
import SimKernel
import Simulation
import Testing

/// The figures `--simulate N` puts beside a price, and how the scenario's faults are aimed
/// at another node set.
@Suite struct BehaviourTests {
    static func record(seed: UInt64, web: Double, db: Double, below: Double, pending: Int, writes: Double) -> RunRecord {
        RunRecord(
            scenarioName: "s", seed: seed, simulatedSeconds: 1200, wallSeconds: 0, events: 0,
            workloads: [
                WorkloadResult(
                    name: "shop/web", kind: "Deployment", desiredReplicas: 3, availability: web,
                    secondsBelowDesired: below, secondsUnavailable: 0, minReadyReplicas: 2),
                WorkloadResult(
                    name: "shop/db", kind: "StatefulSet", desiredReplicas: 1, availability: db,
                    secondsBelowDesired: 2 * below, secondsUnavailable: 2 * below, minReadyReplicas: 0),
            ],
            faults: [], controlPlane: ControlPlaneResult(writeUnavailableSeconds: writes), pendingPodsAtEnd: pending,
            series: [], notes: [])
    }

    /// Three runs: availabilities 0.99, 0.97, 0.98 (web) and 0.90, 0.96, 0.95 (db). Sorted db
    /// 0.90, 0.95, 0.96: p50 0.95, p95 at 0.95 · 2 = 1.9 → 0.95 + 0.9 · 0.01 = 0.959, mean 0.936̅.
    @Test func statisticsPerWorkloadAndWorst() {
        let b = Behaviour(records: [
            Self.record(seed: 1, web: 0.99, db: 0.90, below: 10, pending: 0, writes: 0),
            Self.record(seed: 2, web: 0.97, db: 0.96, below: 30, pending: 2, writes: 4),
            Self.record(seed: 3, web: 0.98, db: 0.95, below: 20, pending: 1, writes: 0),
        ])
        #expect(b.runs == 3)
        #expect(b.seeds == [1, 2, 3])
        #expect(b.workloads.map(\.name) == ["shop/web", "shop/db"])
        let db = b.workloads[1]
        #expect(db.availability.p50 == 0.95)
        #expect(abs(db.availability.p95 - 0.959) < 1e-12)
        #expect(abs(db.availability.mean - 2.81 / 3) < 1e-12)
        #expect(db.availability.min == 0.90)
        #expect(db.secondsBelowDesired.p95 == 58)  // 40 + 0.9 · (60 − 40)
        #expect(b.worst?.name == "shop/db")
        #expect(b.pendingPodsAtEnd.max == 2)
        #expect(b.pendingPodsAtEnd.p50 == 1)
        #expect(b.writeUnavailableSeconds.mean == 4.0 / 3)
    }

    static func node(_ name: String, pool: String, zone: String, server: Bool = false) -> NodeSpec {
        var labels = ["topology.kubernetes.io/zone": zone]
        if server { labels["node-role.kubernetes.io/control-plane"] = "true" }
        return NodeSpec(name: name, labels: labels, allocatable: Resources(milliCPU: 2000), pool: pool)
    }

    static let scenario = [
        node("server-0", pool: "control-plane", zone: "fsn1-dc14", server: true),
        node("agents-0", pool: "agents", zone: "fsn1-dc14"), node("agents-1", pool: "agents", zone: "nbg1-dc3"),
        node("agents-2", pool: "agents", zone: "hel1-dc2"),
    ]
    static let eks = [
        node("workers-0", pool: "workers", zone: "eu-central-1a"),
        node("workers-1", pool: "workers", zone: "eu-central-1b"),
    ]

    /// agents-1 is the second agent → workers-1; nbg1-dc3 the second zone → eu-central-1b; the
    /// server and the third zone have no counterpart on two EKS workers; workloads stay.
    @Test func faultsAimedByPlace() {
        let faults = [
            FaultSpec(at: .minutes(10), action: .crash, target: .node("agents-1")),
            FaultSpec(at: .minutes(12), action: .crash, target: .node("server-0")),
            FaultSpec(at: .minutes(14), action: .outage, target: .zone("nbg1-dc3")),
            FaultSpec(at: .minutes(16), action: .outage, target: .zone("hel1-dc2")),
            FaultSpec(at: .minutes(18), action: .crash, target: .pool("agents"), count: 1),
            FaultSpec(at: .minutes(20), action: .rollout, target: .deployment(namespace: "shop", name: "web")),
        ]
        let (mapped, notes) = FaultMapping.map(faults, from: Self.scenario, to: Self.eks)
        #expect(
            mapped.map(\.target) == [
                .node("workers-1"), .zone("eu-central-1b"), .pool("workers"),
                .deployment(namespace: "shop", name: "web"),
            ])
        #expect(mapped[2].count == 1)
        #expect(
            notes == [
                "crash node/server-0 at 720 s left out: this node set has no counterpart of node/server-0",
                "outage zone/hel1-dc2 at 960 s left out: this node set has no counterpart of zone/hel1-dc2",
            ])
        // The same node set keeps every target as it is.
        #expect(FaultMapping.map(faults, from: Self.scenario, to: Self.scenario).faults == faults)
    }
}
