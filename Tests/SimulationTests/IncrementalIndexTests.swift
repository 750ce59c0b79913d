import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// The counts kept up to date where pods change (serving pods per workload, active and Ready
/// pods per ReplicaSet, a DaemonSet's pods) and the DaemonSet sync's set of changed nodes
/// replace walks over every pod or node of a large cluster. After every event they must equal
/// what a full walk gives, and every node a DaemonSet sync would skip must be one where the
/// full sync would do nothing.
@Suite struct IncrementalIndexTests {
    static func violations(_ s: ClusterSimulation) -> [String] {
        var found: [String] = []
        for wl in s.workloads {
            let serving = wl.members.filter { s.pods[$0]?.serving == true }.count
            if serving != wl.serving { found.append("\(wl.name): serving \(wl.serving), walk \(serving)") }
        }
        for rs in s.replicaSets {
            let active = rs.pods.compactMap { s.pods[$0] }.filter { !$0.isTerminating }
            if active.count != rs.activePods || active.filter(\.ready).count != rs.readyPods {
                found.append(
                    "\(rs.name): active/ready \(rs.activePods)/\(rs.readyPods), walk \(active.count)/\(active.filter(\.ready).count)"
                )
            }
            var onNode: [Int: Int] = [:]
            for p in active { if let n = p.node { onNode[n, default: 0] += 1 } }
            if onNode != rs.activeOnNode.filter({ $0.value != 0 }) {
                found.append("\(rs.name): active per node \(rs.activeOnNode), walk \(onNode)")
            }
        }
        for (i, ds) in s.daemonSets.enumerated() {
            let own = s.pods.values.filter { if case .daemonSet(i) = $0.owner { return true } else { return false } }
            let inIndex = ds.podByNode.values.compactMap { s.pods[$0] }
            if own.count != ds.existingPods || inIndex.count != own.count {
                found.append("\(ds.object.metadata.name): pods \(ds.existingPods), walk \(own.count), podByNode \(inIndex.count)")
            }
            let unavailable = own.filter { !$0.ready || $0.isTerminating }.count
            if unavailable != ds.unavailablePods {
                found.append("\(ds.object.metadata.name): unavailable \(ds.unavailablePods), walk \(unavailable)")
            }
            var byRevision: [String: Int] = [:]
            for p in own where !p.isTerminating { byRevision[p.labels["controller-revision-hash"] ?? "", default: 0] += 1 }
            if byRevision != ds.activeByRevision.filter({ $0.value != 0 }) {
                found.append("\(ds.object.metadata.name): by revision \(ds.activeByRevision), walk \(byRevision)")
            }
            guard !ds.allNodesDirty else { continue }
            if ds.shouldRun.filter({ $0 }).count != ds.shouldRunCount {
                found.append("\(ds.object.metadata.name): shouldRunCount")
            }
            for n in s.nodes.indices where !ds.dirtyNodes.contains(n) {
                let should = s.daemonSetController.nodeShouldRunDaemonPod(i, node: n, in: s)
                if n >= ds.shouldRun.count || ds.shouldRun[n] != should {
                    found.append("\(ds.object.metadata.name): skipped \(s.nodes[n].name) with a stale shouldRun at \(s.now)")
                    continue
                }
                let existing = ds.podByNode[n]
                if should && existing == nil {
                    found.append("\(ds.object.metadata.name): skipped \(s.nodes[n].name) that needs a pod at \(s.now)")
                }
                if !should, let id = existing, let p = s.pods[id], !p.isTerminating,
                    !p.tolerations.untolerated(s.nodes[n].taints, effects: [.NoExecute]).isEmpty
                        || !s.nodeMatchesAffinity(ds.object.template.spec, node: n)
                {
                    found.append("\(ds.object.metadata.name): skipped \(s.nodes[n].name) whose pod must go at \(s.now)")
                }
            }
        }
        return found
    }

    static func check(_ sim: ClusterSimulation) -> [String] {
        var problems: [String] = []
        sim.afterEvent = { s in if problems.count < 5 { problems += Self.violations(s) } }
        _ = sim.run()
        return problems
    }

    @Test(arguments: ShippedScenarioTests.files)
    func countsEqualAFullWalk(_ file: String) throws {
        let problems = Self.check(ClusterSimulation(spec: try Support.scenario(file)))
        #expect(problems.isEmpty, "\(file): \(problems.prefix(5))")
    }

    /// DaemonSets through a rollout, a crash, a deleted Node and an out-of-service taint.
    @Test func daemonSetThroughNodeTrouble() {
        let ds = Support.daemonSet("agent", image: "agent:1")
        var w = Workloads()
        w.daemonSets = [ds]
        w.deployments = [Support.deployment("web", replicas: 6)]
        let nodes = (1...5).map { Support.node("n\($0)") }
        let spec = ClusterSpec(
            name: "t", duration: .minutes(20), nodes: nodes, workloads: w, timing: [Support.constantTiming],
            faults: [
                FaultSpec(
                    at: .minutes(1), action: .rollout, target: .daemonSet(namespace: "default", name: "agent"), image: "agent:2"),
                FaultSpec(at: .minutes(2), action: .crash, target: .node("n2"), duration: .minutes(3)),
                FaultSpec(at: .minutes(3), action: .crash, target: .node("n3")),
                FaultSpec(at: .minutes(4), action: .deleteNode, target: .node("n3")),
                FaultSpec(at: .minutes(5), action: .crash, target: .node("n4")),
                FaultSpec(at: .minutes(6), action: .outOfService, target: .node("n4")),
            ])
        let problems = Self.check(ClusterSimulation(spec: spec))
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }
}
