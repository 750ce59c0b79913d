import Foundation
import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// The node monitor pass visits only the nodes that can change and derives the heartbeat
/// bookkeeping of the settled ones: every shipped scenario and generated fault
/// plans (node crashes, partitions, zone outages, control-plane leader loss, every zone
/// down and back) give the same record as the pass over every node, events included, and
/// after every pass the same lastSeenRenew/probeTimestamp for every node, zone states and
/// eviction queues.
@Suite struct NodeMonitorDerivationTests {
    struct Run {
        var record: RunRecord
        /// After each monitor pass: every node's (lastSeenRenew, probeTimestamp), the zone
        /// states and the eviction queues.
        var passes: [[Int64]]
    }

    static func run(_ spec: ClusterSpec, explicitPass: Bool) -> Run {
        let sim = ClusterSimulation(spec: spec)
        sim.nodeLifecycle.settled.explicit = explicitPass
        var seen = 0
        var passes: [[Int64]] = []
        sim.afterEvent = { s in
            guard s.nodeLifecycle.settled.passTimes.count != seen else { return }
            seen = s.nodeLifecycle.settled.passTimes.count
            var state: [Int64] = []
            for n in s.nodes.indices {
                let b = s.nodeLifecycle.heartbeatBookkeeping(n, in: s)
                state += [b.lastSeen.microseconds, b.probe.microseconds]
            }
            state += s.nodeLifecycle.zoneStates.map {
                Int64([ZoneState.initial, .normal, .partialDisruption, .fullDisruption].firstIndex(of: $0)!)
            }
            for q in s.nodeLifecycle.zoneQueues { state += [-1] + q.map(Int64.init) }
            passes.append(state)
        }
        var record = sim.run()
        record.wallSeconds = 0
        return Run(record: record, passes: passes)
    }

    static func expectSameRun(_ spec: ClusterSpec, _ label: String) {
        let explicit = run(spec, explicitPass: true)
        let derived = run(spec, explicitPass: false)
        #expect(derived.record == explicit.record, "\(label): the derived monitor pass changed the run")
        #expect(derived.passes.count == explicit.passes.count, "\(label): number of monitor passes")
        if let i = zip(derived.passes, explicit.passes).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("\(label): controller state differs after monitor pass \(i)")
        }
    }

    @Test(arguments: ShippedScenarioTests.files)
    func shippedScenarios(_ file: String) throws {
        for seed: UInt64 in [1, 2] {
            var spec = try Support.scenario(file)
            spec.seed = seed
            Self.expectSameRun(spec, "\(file) seed \(seed)")
        }
    }

    /// Three servers and nine agents over fsn1, nbg1, hel1 (from etcd-leader-loss.yaml).
    static func cluster(_ faults: [FaultSpec], seed: UInt64) throws -> ClusterSpec {
        var spec = try Support.scenario("etcd-leader-loss.yaml")
        spec.seed = seed
        spec.duration = .minutes(40)
        let agents = spec.nodes.filter { $0.name.hasPrefix("agents-") }
        for k in agents.count..<9 {
            var node = agents[k % agents.count]
            node.name = "agents-\(k)"
            node.labels["kubernetes.io/hostname"] = node.name
            spec.nodes.append(node)
        }
        spec.workloads.deployments[0].replicas = 9
        spec.faults = faults
        return spec
    }

    static func fault(
        _ at: Int64, _ action: FaultSpec.Action, _ target: FaultSpec.Target, for minutes: Int64? = nil,
        count: Int? = nil
    ) -> FaultSpec {
        FaultSpec(at: .seconds(at), action: action, target: target, duration: minutes.map { .minutes($0) }, count: count)
    }

    static let plans: [(String, [FaultSpec])] = [
        (
            "node crashes",
            [
                fault(120, .crash, .node("agents-1"), for: 3), fault(200, .crash, .node("agents-4")),
                fault(700, .crash, .node("agents-7"), for: 10),
            ]
        ),
        ("partition", [fault(300, .partition, .zone("hel1"), for: 4), fault(900, .partition, .zone("nbg1"), for: 1)]),
        ("zone outage", [fault(240, .outage, .zone("nbg1"), for: 12), fault(500, .crash, .node("agents-0"), for: 2)]),
        (
            "control-plane leader",
            [fault(300, .crash, .controlPlaneLeader, for: 5), fault(320, .crash, .node("agents-2"), for: 8)]
        ),
        ("every zone down", [fault(180, .crash, .cluster, for: 6)]),
        (
            "servers deleted and removed",
            [
                fault(200, .deleteServer, .node("agents-5")), fault(260, .hostFailure, .node("agents-3")),
                fault(400, .crash, .node("agents-6")), fault(460, .deleteNode, .node("agents-6")),
                fault(480, .outOfService, .node("agents-4")), fault(520, .deleteNode, .node("agents-8")),
            ]
        ),
    ]

    @Test(arguments: plans.indices)
    func faultPlans(_ i: Int) throws {
        for seed: UInt64 in [1, 2] {
            Self.expectSameRun(try Self.cluster(Self.plans[i].1, seed: seed), "\(Self.plans[i].0) seed \(seed)")
        }
    }

    /// Random plans of crashes, outages and partitions, overlapping at times.
    @Test(arguments: [UInt64](1...6))
    func randomFaultPlans(_ seed: UInt64) throws {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let zones = ["fsn1", "nbg1", "hel1"]
        var faults: [FaultSpec] = []
        for _ in 0..<(3 + next(3)) {
            let at = Int64(60 + next(1500)), minutes = Int64(1 + next(8))
            switch next(4) {
            case 0: faults.append(Self.fault(at, .crash, .node("agents-\(next(9))"), for: minutes))
            case 1: faults.append(Self.fault(at, .outage, .zone(zones[next(3)]), for: minutes, count: 1 + next(3)))
            case 2: faults.append(Self.fault(at, .partition, .zone(zones[next(3)]), for: minutes))
            default: faults.append(Self.fault(at, .crash, .node("server-\(next(3))"), for: minutes))
            }
        }
        Self.expectSameRun(
            try Self.cluster(faults.sorted { $0.at < $1.at }, seed: seed),
            "random plan \(seed): \(faults.map { "\($0.action.rawValue) \($0.target) at \($0.at)" })")
    }

    /// A node unsettled during a pass is visited by that pass when the pass has not reached
    /// it yet (the explicit pass would see it changed), else from the next pass on.
    @Test func nodeUnsettledDuringAPass() throws {
        var spec = try Self.cluster([], seed: 1)
        spec.duration = .minutes(2)
        let sim = ClusterSimulation(spec: spec)
        _ = sim.run()
        sim.nodeLifecycle.settled.passing = true
        sim.nodeLifecycle.settled.passOrder = [3, 7]
        sim.nodeLifecycle.settled.passPosition = 0
        sim.nodeLifecycle.unsettleNode(5, in: sim)
        sim.nodeLifecycle.unsettleNode(1, in: sim)
        sim.nodeLifecycle.unsettleNode(9, in: sim)
        #expect(sim.nodeLifecycle.settled.passOrder == [3, 5, 7, 9])
        #expect(sim.nodeLifecycle.settled.visits == [5, 1, 9])
        #expect(![1, 5, 9].contains { sim.nodeLifecycle.settled.isSettled($0) })
    }

    /// The derivation is in use: once every kubelet has renewed its Lease and nothing fails,
    /// the pass visits no node; with the explicit pass no node settles.
    @Test func healthyNodesSettle() throws {
        var spec = try Self.cluster([], seed: 1)
        spec.duration = .minutes(2)
        let derived = ClusterSimulation(spec: spec)
        _ = derived.run()
        #expect(derived.nodeLifecycle.settled.visits.isEmpty)
        #expect(derived.nodes.indices.allSatisfy { derived.nodeLifecycle.settled.isSettled($0) })
        let explicit = ClusterSimulation(spec: spec)
        explicit.nodeLifecycle.settled.explicit = true
        _ = explicit.run()
        #expect(!explicit.nodes.indices.contains { explicit.nodeLifecycle.settled.isSettled($0) })
    }
}
