import KubeModel
import SimKernel
import Testing

@testable import Simulation

/// PodDisruptionBudgets, the eviction API, kubectl drain and K3S upgrades.
struct DisruptionTests {
    /// Records every moment a budget is below its desired healthy count. These runs have
    /// no crash, so only an eviction could cause that.
    static func watchBudgets(_ sim: ClusterSimulation, from start: SimTime) -> () -> [String] {
        var violations: [String] = []
        sim.afterEvent = { s in
            guard s.now >= start else { return }
            for i in s.pdbs.indices {
                let st = s.pdbStatus(i)
                // A budget that selects no pod (e.g. CloudNativePG between two primaries) is not violated by an eviction.
                if st.expected > 0 && st.currentHealthy < st.desiredHealthy {
                    violations.append("\(s.pdbs[i].metadata.key) at \(s.now): \(st)")
                }
            }
        }
        return { violations }
    }

    @Test(arguments: [UInt64](1...15))
    func drainRetriesUntilTheBudgetAllows(seed: UInt64) throws {
        var spec = try Support.scenario("drain-pdb.yaml")
        spec.seed = seed
        let sim = ClusterSimulation(spec: spec)
        let violations = Self.watchBudgets(sim, from: .minutes(2))
        let record = sim.run()
        let f = record.faults[0]
        #expect(f.milestone(.cordoned) == 120)
        let drained = try #require(f.milestone(.drained))
        #expect(drained > 120 && drained < 300)
        #expect((f.stats["evictionRetries"] ?? 0) >= 1, "a PDB at its limit answers 429 at least once")
        #expect(violations().isEmpty, "\(violations())")
        #expect(record.workloads[0].minReadyReplicas >= 2)
    }

    /// PDB arithmetic on worked cases (disruption.go): minAvailable integer and percent,
    /// maxUnavailable integer and percent.
    @Test(arguments: [
        // (replicas ready, pdb minAvailable, pdb maxUnavailable) → (desiredHealthy, disruptionsAllowed)
        (5, IntOrString?.some(.int(3)), IntOrString?.none, 3, 2),
        (5, .some(.string("50%")), nil, 3, 2),  // ceil(2.5) = 3
        (5, nil, .some(.int(1)), 4, 1),
        (5, nil, .some(.string("30%")), 3, 2),  // 5 − ceil(1.5) = 3
        (2, .some(.int(2)), nil, 2, 0),
    ])
    func budgetArithmetic(ready: Int, minAvailable: IntOrString?, maxUnavailable: IntOrString?, desired: Int, allowed: Int) throws
    {
        var w = Workloads()
        w.deployments = [Support.deployment("web", replicas: ready)]
        let selector = #"{"matchLabels": {"app": "web"}}"#
        var fields = [#""selector": \#(selector)"#]
        if let m = minAvailable { fields.append(#""minAvailable": \#(Self.json(m))"#) }
        if let m = maxUnavailable { fields.append(#""maxUnavailable": \#(Self.json(m))"#) }
        w.podDisruptionBudgets = [
            try Support.decode(
                PodDisruptionBudget.self,
                #"{"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"}, "spec": {\#(fields.joined(separator: ", "))}}"#
            )
        ]
        let sim = ClusterSimulation(
            spec: ClusterSpec(
                name: "t", duration: .minutes(1), nodes: [Support.node("n1", cpu: 16000, memoryGi: 32)],
                workloads: w, timing: [Support.constantTiming]))
        _ = sim.run()
        let st = sim.pdbStatus(0)
        #expect(st.currentHealthy == ready)
        #expect(st.desiredHealthy == desired)
        #expect(st.disruptionsAllowed == allowed)
    }

    static func json(_ v: IntOrString) -> String {
        switch v {
        case .int(let i): return "\(i)";
        case .string(let s): return "\"\(s)\""
        }
    }

    @Test func podWithoutControllerStopsTheDrainUnlessForced() throws {
        var w = Workloads()
        w.pods = [
            try Support.decode(
                PodManifest.self,
                #"{"metadata": {"name": "lonely"}, "spec": {"nodeName": "n1", "containers": [{"name": "c", "image": "x:1"}]}}"#)
        ]
        func run(force: Bool) -> FaultResult {
            var f = FaultSpec(at: .seconds(60), action: .drain, target: .node("n1"))
            f.force = force
            let spec = ClusterSpec(
                name: "t", duration: .minutes(3), nodes: [Support.node("n1"), Support.node("n2")], workloads: w,
                timing: [Support.constantTiming], faults: [f])
            return ClusterSimulation(spec: spec).run().faults[0]
        }
        let refused = run(force: false)
        #expect(
            refused.milestones.contains {
                $0.name == .drainFailed && $0.mechanism.contains("cannot delete Pods that declare no controller")
            })
        #expect(run(force: true).milestone(.drained) != nil)
    }

    /// kubectl drain waits for pods that are already terminating (skip-wait-for-delete-timeout
    /// 0): a pod deleted a moment before the drain, whose shutdown (40 s) is cut at its grace
    /// period (30 s), holds it until it is gone.
    @Test func drainWaitsForPodsAlreadyTerminating() throws {
        var w = Workloads()
        w.deployments = [Support.deployment("slow", replicas: 1)]
        let slowStop = PodTimingRule(
            imagePull: .constant(4), containerStart: .constant(1), appReady: .constant(0), shutdown: .constant(40))
        let delete = FaultSpec(at: .seconds(60), action: .deletePod, target: .deployment(namespace: "default", name: "slow"))
        var drain = FaultSpec(at: .seconds(61), action: .drain, target: .node("n1"))
        drain.force = true
        let spec = ClusterSpec(
            name: "t", duration: .minutes(3), nodes: [Support.node("n1"), Support.node("n2", zone: "b")], workloads: w,
            timing: [slowStop], faults: [delete, drain])
        let sim = ClusterSimulation(spec: spec)
        sim.store.update(node: 1) { $0.unschedulable = true }  // everything starts on n1
        let r = sim.run()
        let drained = try #require(r.faults[1].milestone(.drained))
        #expect(drained >= 60 + 30, "drained at \(drained) s, before the terminating pod was gone")
    }

    /// A K3S upgrade of 3 servers and 4 agents, concurrency 1 with drain: one node at a
    /// time, every PDB within its budget, and a duration.
    @Test(arguments: [UInt64](1...5))
    func upgradeKeepsBudgets(seed: UInt64) throws {
        var spec = try Support.scenario("k3s-upgrade.yaml")
        spec.seed = seed
        let sim = ClusterSimulation(spec: spec)
        let violations = Self.watchBudgets(sim, from: .minutes(5))
        var maxCordoned = 0
        let previous = sim.afterEvent
        sim.afterEvent = { s in
            previous?(s)
            maxCordoned = max(maxCordoned, s.nodes.filter(\.unschedulable).count)
        }
        let record = sim.run()
        let f = record.faults[0]
        #expect(f.stats["nodesUpgraded"] == 7)
        #expect(f.stats["maxNodesUnavailable"] == 1)
        #expect(maxCordoned == 1)
        let completed = try #require(f.milestone(.completed))
        // 7 nodes × (drain + 30 s restart + 10 s postCompleteDelay) at least.
        #expect(completed - f.at >= 7 * 40)
        #expect(violations().isEmpty, "\(violations())")
        #expect(record.pendingPodsAtEnd == 0)
        for name in ["shop/web", "shop/cloudflared"] {
            let w = try #require(record.workloads.first { $0.name == name })
            #expect(w.minReadyReplicas >= (name == "shop/web" ? 4 : 1), "\(name) min ready \(w.minReadyReplicas)")
        }
    }

    /// A surge upgrade (GKE/EKS/LKE style): a new node first, so the pool never has fewer
    /// schedulable Ready nodes than before; old nodes are drained and deleted.
    @Test(arguments: [UInt64](1...5))
    func surgeUpgradeAddsBeforeItRemoves(seed: UInt64) throws {
        var spec = try Support.scenario("surge-upgrade.yaml")
        spec.seed = seed
        let sim = ClusterSimulation(spec: spec)
        let violations = Self.watchBudgets(sim, from: .minutes(5))
        var fewestSchedulable = Int.max, most = 0
        let previous = sim.afterEvent
        sim.afterEvent = { s in
            previous?(s)
            guard s.now >= .minutes(5) else { return }
            let live = s.nodes.filter { !$0.deleted && $0.up && $0.ready == .isTrue }
            fewestSchedulable = min(fewestSchedulable, live.filter { !$0.unschedulable }.count)
            most = max(most, live.count)
        }
        let record = sim.run()
        let f = record.faults[0]
        #expect(f.stats["nodesUpgraded"] == 3)
        #expect(fewestSchedulable >= 3, "maxUnavailable 0: \(fewestSchedulable) schedulable nodes at worst")
        #expect(most == 4, "maxSurge 1")
        #expect(sim.nodes.filter { !$0.deleted }.map(\.name).sorted() == ["agents-3", "agents-4", "agents-5"])
        #expect(violations().isEmpty)
        #expect(record.pendingPodsAtEnd == 0)
    }
}

/// The eviction API's own rules (pkg/registry/core/pod/storage/eviction.go), beyond the
/// budget arithmetic.
struct EvictionAPITests {
    func cluster(replicas: Int, pdb: String, cpuMilli: Int64 = 100) throws -> ClusterSimulation {
        var w = Workloads()
        w.deployments = [Support.deployment("web", replicas: replicas, cpuMilli: cpuMilli)]
        w.podDisruptionBudgets = [
            try Support.decode(
                PodDisruptionBudget.self,
                #"{"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"}, "spec": \#(pdb)}"#)
        ]
        let sim = ClusterSimulation(
            spec: ClusterSpec(
                name: "t", duration: .minutes(1), nodes: [Support.node("n1", cpu: 4000, memoryGi: 8)],
                workloads: w, timing: [Support.constantTiming]))
        _ = sim.run()
        return sim
    }

    /// `canIgnorePDB`: a Pending pod (here: too big for the node) goes whatever the budget says.
    @Test func pendingPodsAreEvictedRegardlessOfTheBudget() throws {
        let sim = try cluster(
            replicas: 1, pdb: #"{"selector": {"matchLabels": {"app": "web"}}, "minAvailable": 1}"#, cpuMilli: 8000)
        let pending = try #require(sim.pods.values.first { $0.node == nil })
        #expect(sim.evict(pending.id) == .evicted)
    }

    /// policy/v1: an empty selector matches every pod of the namespace, so a budget that asks
    /// for all of them refuses the eviction; without a selector it matches nothing.
    @Test func anEmptySelectorMatchesEveryPodOfTheNamespace() throws {
        let sim = try cluster(replicas: 2, pdb: #"{"selector": {}, "minAvailable": 2}"#)
        let pod = try #require(sim.pods.values.first { $0.ready })
        #expect(sim.evict(pod.id) == .tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget."))
        let open = try cluster(replicas: 2, pdb: #"{"minAvailable": 2}"#)
        let other = try #require(open.pods.values.first { $0.ready })
        #expect(open.evict(other.id) == .evicted)
    }

    /// IfHealthyBudget lets an unready pod go only while the budget is met *and* asks for at
    /// least one healthy pod; AlwaysAllow lets it go regardless.
    @Test(arguments: [("IfHealthyBudget", false), ("AlwaysAllow", true)])
    func unreadyPodsAndTheUnhealthyPodEvictionPolicy(policy: String, evicted: Bool) throws {
        // maxUnavailable 100 %: desiredHealthy 0, and with every pod unready nothing is allowed.
        let sim = try cluster(
            replicas: 1,
            pdb:
                #"{"selector": {"matchLabels": {"app": "web"}}, "maxUnavailable": "100%", "unhealthyPodEvictionPolicy": "\#(policy)"}"#
        )
        let id = try #require(sim.pods.values.first?.id)
        sim.setPodReady(id, false)
        #expect(sim.pdbStatus(0).desiredHealthy == 0)
        #expect((sim.evict(id) == .evicted) == evicted)
    }
}
