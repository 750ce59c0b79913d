import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// Scheduling as operators expect it to behave.
struct SchedulingBehaviourTests {
    /// 3 zones × 2 nodes.
    static let zonedNodes: [NodeSpec] = ["a", "b", "c"].flatMap { z in
        (1...2).map { Support.node("\(z)\($0)", cpu: 8000, memoryGi: 16, zone: z) }
    }

    static func placement(_ sim: ClusterSimulation, _ workload: String) -> [String: Int] {
        var perZone: [String: Int] = [:]
        for p in sim.pods.values where !p.isTerminating && sim.workloads[p.workload].name == workload {
            guard let n = p.node else { continue }
            perZone[sim.nodes[n].labels["topology.kubernetes.io/zone"] ?? "", default: 0] += 1
        }
        return perZone
    }

    /// System default spreading (zone maxSkew 5, hostname maxSkew 3, ScheduleAnyway) with a
    /// Service selecting the pods: 6 replicas land 2 per zone.
    @Test(arguments: [UInt64](1...10))
    func systemDefaultsSpreadTwoPerZone(seed: UInt64) {
        var w = Workloads()
        w.deployments = [Support.deployment("web", replicas: 6)]
        w.services = [Service(metadata: ObjectMeta(name: "web"), selector: ["app": "web"])]
        let sim = ClusterSimulation(
            spec: ClusterSpec(
                name: "t", duration: .minutes(2), seed: seed, nodes: Self.zonedNodes,
                workloads: w, timing: [Support.constantTiming]))
        _ = sim.run()
        #expect(Self.placement(sim, "default/web") == ["a": 2, "b": 2, "c": 2])
    }

    /// A DoNotSchedule zone constraint with maxSkew 1: when zone c is lost and its pods are
    /// evicted, the replacements cannot go to a or b without exceeding the skew.
    @Test func doNotScheduleZoneConstraintLeavesPodsPendingWhenAZoneIsLost() throws {
        var d = Support.deployment("web", replicas: 6)
        d.template.spec.topologySpreadConstraints = [
            try Support.decode(
                TopologySpreadConstraint.self,
                #"""
                {"maxSkew": 1, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "DoNotSchedule",
                 "labelSelector": {"matchLabels": {"app": "web"}}}
                """#)
        ]
        var w = Workloads()
        w.deployments = [d]
        let spec = ClusterSpec(
            name: "t", duration: .minutes(15), nodes: Self.zonedNodes, workloads: w,
            timing: [Support.constantTiming],
            faults: [FaultSpec(at: .minutes(1), action: .crash, target: .zone("c"))])
        let sim = ClusterSimulation(spec: spec)
        let record = sim.run()
        #expect(record.pendingPodsAtEnd == 2)
        let message = try #require(record.notes.first { $0.contains("Pending at the end") })
        #expect(message.contains("node(s) didn't match pod topology spread constraints"), "\(message)")
        #expect(message.contains("0/6 nodes are available"))
    }

    /// Required anti-affinity by hostname never co-locates two replicas; the surplus waits.
    @Test func requiredAntiAffinityNeverCoLocates() throws {
        var d = Support.deployment("db", replicas: 8)
        d.template.spec.affinity = try Support.decode(
            Affinity.self,
            #"""
            {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
              {"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": "kubernetes.io/hostname"}]}}
            """#)
        var w = Workloads()
        w.deployments = [d]
        let sim = ClusterSimulation(
            spec: ClusterSpec(
                name: "t", duration: .minutes(2), nodes: Self.zonedNodes, workloads: w,
                timing: [Support.constantTiming]))
        var violations = 0
        sim.afterEvent = { s in
            for n in s.nodes
            where n.pods.compactMap({ s.pods[$0] }).filter({ !$0.isTerminating && $0.labels["app"] == "db" }).count > 1 {
                violations += 1
            }
        }
        let record = sim.run()
        #expect(violations == 0)
        #expect(record.pendingPodsAtEnd == 2)
        #expect(record.notes.contains { $0.contains("6 node(s) didn't match pod anti-affinity rules") })
    }

    /// A high-priority Deployment that does not fit preempts low-priority pods.
    @Test func preemptionEvictsLowerPriorityPods() throws {
        var low = Support.deployment("batch", replicas: 4, cpuMilli: 1500)
        low.template.spec.priorityClassName = "low"
        var high = Support.deployment("critical", replicas: 2, cpuMilli: 1500)
        high.template.spec.priorityClassName = "high"
        high.replicas = 0
        var w = Workloads()
        w.deployments = [low, high]
        w.priorityClasses = [PriorityClass(name: "low", value: 100), PriorityClass(name: "high", value: 10000)]
        let nodes = [Support.node("n1", cpu: 3000), Support.node("n2", cpu: 3000)]
        let spec = ClusterSpec(
            name: "t", duration: .minutes(5), nodes: nodes, workloads: w, timing: [Support.constantTiming],
            faults: [
                FaultSpec(
                    at: .minutes(1), action: .scale, target: .deployment(namespace: "default", name: "critical"), replicas: 2)
            ])
        let record = ClusterSimulation(spec: spec).run()
        let critical = try #require(record.workloads.first { $0.name == "default/critical" })
        let last = record.series.first { $0.entity == "default/critical" }?.points.last?.value
        #expect(last == 2, "critical at \(last ?? -1) of \(critical.desiredReplicas)")
        let preemptions = record.notes.filter { $0.contains("preempted") }
        #expect(preemptions.count == 2, "\(record.notes)")
        #expect(preemptions.allSatisfy { $0.contains("(priority 10000) preempted default/batch-") })
        // The victims' replicas are recreated but no longer fit: two batch pods stay Pending.
        #expect(record.pendingPodsAtEnd == 2)
        #expect(record.faults[0].milestone(.completed) != nil)
    }

    /// Nodes are visited zones interleaved, as the scheduler cache's node tree lists them.
    @Test func nodeOrderInterleavesZones() {
        let sim = ClusterSimulation(
            spec: ClusterSpec(name: "t", duration: .seconds(1), nodes: Self.zonedNodes, workloads: Workloads()))
        #expect(sim.scheduler.nodeOrder.map { sim.nodes[$0].name } == ["a1", "b1", "c1", "a2", "b2", "c2"])
    }
}
