import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// The fault timelines driven by hand: which fault a node or control-plane event belongs to,
/// and when a fault's workloads count as recovered. Expected values follow from the rules in
/// `FaultTimelines` (the latest cause on a node plus the remediations since; the first
/// occurrence of a milestone wins), worked out by hand below.
struct FaultTimelinesTests {
    /// Node 0: crashes at 30 s and 60 s, out-of-service at 45 s, delete-node at 120 s, a crash
    /// still to come at 300 s. At 150 s the latest cause is the 60 s crash; the delete-node
    /// after it shares its timeline, the 45 s out-of-service (before it) and the 30 s crash
    /// (over for that node) do not. Node 2 has only a remediation: it counts on its own.
    @Test func nodeEventsGoToTheLatestCauseAndTheRemediationsSince() {
        let t = FaultTimelines()
        let faults: [(SimTime, FaultSpec.Action, String, Int)] = [
            (.seconds(30), .crash, "a", 0), (.seconds(60), .crash, "a", 0), (.seconds(120), .deleteNode, "a", 0),
            (.seconds(60), .crash, "b", 1), (.seconds(300), .crash, "a", 0), (.seconds(45), .outOfService, "a", 0),
            (.seconds(10), .recover, "c", 2),
        ]
        for (at, action, node, n) in faults {
            let i = t.add(FaultSpec(at: at, action: action, target: .node(node)))
            t.update(i) { $0.nodes = [n] }
        }
        let now = SimTime.seconds(150)
        #expect(t.activeFaults(onNode: 0, at: now) == [FaultID(1), FaultID(2)])
        #expect(t.activeFaults(onNode: 2, at: now) == [FaultID(6)])
        #expect(t.faultsCausing(nodes: [1, 0], at: now) == [1, 2, 3].map(FaultID.init))

        t.nodeMilestone(.podsForceDeleted, onNode: 0, "first", at: now)
        t.nodeMilestone(.podsForceDeleted, onNode: 0, "second", at: .seconds(160))
        let marked = t.records.indices.filter { t.records[$0].has(.podsForceDeleted) }
        #expect(marked == [1, 2])
        #expect(t.records[1].result.milestones.map(\.mechanism) == ["first"])
        #expect(t.records[1].result.milestones.map(\.at) == [150])
    }

    /// Without a known cause a control-plane milestone goes to the latest fault on a server or
    /// partition (the 20 s partition, not the 10 s server crash, and never the 30 s agent
    /// crash); with causes it goes to them, once per fault.
    @Test func controlPlaneMilestonesGoToTheirCausesOrTheLatestControlPlaneFault() {
        let ctx = TimelinesContext(serverNodes: [0])
        let t = FaultTimelines()
        let faults: [(SimTime, FaultSpec.Action, FaultSpec.Target, Int)] = [
            (.seconds(10), .crash, .node("server-0"), 0), (.seconds(20), .partition, .zone("b"), 1),
            (.seconds(30), .crash, .node("agent-0"), 2),
        ]
        for (at, action, target, n) in faults {
            let i = t.add(FaultSpec(at: at, action: action, target: target))
            t.update(i) { $0.nodes = [n] }
        }
        ctx.now = .seconds(40)
        t.controlPlaneMilestone(.leaderLost, "churn", causes: [], in: ctx)
        ctx.now = .seconds(50)
        t.controlPlaneMilestone(.leaderLost, "server crash", causes: [FaultID(0)], in: ctx)
        ctx.now = .seconds(60)
        t.controlPlaneMilestone(.leaderLost, "again", causes: [FaultID(0), FaultID(1)], in: ctx)
        #expect(t.records.map { $0.result.milestones.map(\.at) } == [[50], [40], []])
        #expect(t.records[0].result.milestones.map(\.mechanism) == ["server crash"])
    }

    /// A Deployment of 3 hit at 100 s: while 2 are ready nothing is marked; at 3 ready both
    /// faults recover, and only the delete-pod fault (whose pods were deleted, so replaced)
    /// also reaches replacementsReady — the crash's pods were never evicted.
    @Test func affectedWorkloadsBackAtDesiredEndTheFault() {
        let ctx = TimelinesContext(serverNodes: [])
        ctx.workloads = [Workload(name: "shop/web", kind: "Deployment", desired: 3)]
        let t = FaultTimelines()
        for action in [FaultSpec.Action.deletePod, .crash] {
            let i = t.add(FaultSpec(at: .seconds(100), action: action, target: .deployment(namespace: "shop", name: "web")))
            t.update(i) {
                $0.affected = [WorkloadID(0)]
                $0.replaceable = [WorkloadID(0)]
            }
        }
        ctx.now = .seconds(130)
        ctx.workloads[0].ready = 2
        t.workloadChanged(WorkloadID(0), pods: 2, in: ctx)
        #expect(t.records.allSatisfy { $0.result.milestones.isEmpty && !$0.done })
        ctx.now = .seconds(140)
        ctx.workloads[0].ready = 3
        t.workloadChanged(WorkloadID(0), pods: 3, in: ctx)
        #expect(t.records[0].result.milestones.map(\.name) == [.replacementsReady, .recovered])
        #expect(t.records[1].result.milestones.map(\.name) == [.recovered])
        #expect(t.records.allSatisfy { $0.done && $0.result.milestones.allSatisfy { $0.at == 140 } })
    }
}

/// Just the cluster state the timelines read.
private final class TimelinesContext: FaultTimelinesContext {
    var now: SimTime = .zero
    var nodes: [SimNode] = []
    var pods: [PodID: SimPod] = [:]
    var workloads: [Workload] = []
    var deployments: [SimDeployment] = []
    var volumes: [SimVolume] = []
    let serverNodes: [Int]
    let params = ClusterParameters()

    init(serverNodes: [Int]) { self.serverNodes = serverNodes }

    func leaseRenewTime(_ n: Int) -> SimTime { .zero }
    func zoneLabel(_ z: Int) -> String { "zone-\(z)" }
}
